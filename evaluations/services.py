"""Writes of the 協働事業評価: the year's check-sheet template, an evaluation per project year
(with its targets, prefilled from the proposal), the turns of the three sides, the verdict —
written once, on the proposals pillar's project year — and the public report per 年度."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_center_staff, is_council_member
from evaluations import reminders, rules, targets
from evaluations.arithmetic import MAX_POINTS, MIN_POINTS, comment_required
from evaluations.enums import DEFAULT_ITEMS, TRANSITIONS, SheetStatus, Side, Status, TargetKind
from evaluations.models import (
    CouncilAssignment,
    Evaluation,
    EvaluationEvent,
    EvaluationReport,
    Sheet,
    SheetScore,
    SheetTemplate,
    TemplateItem,
)
from kyodo.exceptions import DomainError
from kyodo.workflow import transition


class EvaluationError(DomainError):
    pass


def _require_staff(user) -> None:
    if not is_center_staff(user):
        raise EvaluationError(_("Only center staff can do this."))


def _move(evaluation, to, *, by, reason="", extra_fields=None):
    return transition(
        instance=evaluation,
        to=to,
        transitions=TRANSITIONS,
        history_model=EvaluationEvent,
        history_fk="evaluation",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
    )


def _fresh(evaluation) -> Evaluation:
    """The evaluation as it is now, locked for this transaction: the turn checked is the
    turn in the database, not the one the caller read."""
    return Evaluation.objects.select_for_update().get(pk=evaluation.pk)


# --- the template -------------------------------------------------------------------------------


@transaction.atomic
def template_for_year(*, fiscal_year: int) -> SheetTemplate:
    """The year's template, made with the default items and weights the first time (staff
    edit it in the admin)."""
    template, created = SheetTemplate.objects.get_or_create(fiscal_year=fiscal_year)
    if created:
        TemplateItem.objects.bulk_create(
            TemplateItem(template=template, order=i, name=name, name_en=name_en, description=text)
            for i, (name, name_en, text) in enumerate(DEFAULT_ITEMS, start=1)
        )
    return template


# --- the evaluation and its targets ------------------------------------------------------------


def _prefill_rows(proposal) -> list[dict]:
    """The proposal's aims and indicators as a first draft of the targets (事業構築シート)."""
    rows = []
    for kind, text in (
        (TargetKind.OUTCOME, proposal.outcome_target or proposal.aims),
        (TargetKind.ACTIVITY, proposal.activity_indicator),
        (TargetKind.BENEFICIARY, proposal.beneficiary_target),
    ):
        for line in (text or "").splitlines():
            if line.strip():
                rows.append({"kind": kind, "title": line.strip()[:300]})
    return rows


@transaction.atomic
def evaluation_create(*, project_year, by) -> Evaluation:
    """Start the evaluation of a project year: the targets start from the proposal's aims and
    indicators. Side effects: an EvaluationEvent; the year's template if it had none."""
    _require_staff(by)
    if Evaluation.objects.filter(project_year=project_year).exists():
        raise EvaluationError(_("This project year has an evaluation already."))
    template = template_for_year(fiscal_year=project_year.fiscal_year)
    sheet = targets.sheet_for(project_year)
    if not sheet.targets.exists():
        targets.targets_replace(sheet=sheet, rows=_prefill_rows(project_year.project.proposal))
    evaluation = Evaluation.objects.create(
        project_year=project_year, template=template, targets=sheet
    )
    EvaluationEvent.objects.create(
        evaluation=evaluation, old_status="", new_status=Status.TARGETS, changed_by=by
    )
    return evaluation


@transaction.atomic
def evaluation_targets_save(
    *, evaluation, by, rows, beneficiary_unmeasured_reason=""
) -> Evaluation:
    evaluation = _fresh(evaluation)
    if not rules.can_edit_targets(by, evaluation):
        raise EvaluationError(_("The targets can no longer be changed."))
    targets.targets_replace(
        sheet=evaluation.targets,
        rows=rows,
        beneficiary_unmeasured_reason=beneficiary_unmeasured_reason,
    )
    return evaluation


@transaction.atomic
def evaluation_targets_confirm(*, evaluation, by) -> Evaluation:
    """Staff confirm the targets the group and the department agreed: frozen from now on.
    Side effects: the TargetSheet confirmed; an EvaluationEvent."""
    _require_staff(by)
    evaluation = _fresh(evaluation)
    if evaluation.status != Status.TARGETS:
        raise EvaluationError(_("The targets are confirmed already."))
    targets.targets_confirm(sheet=evaluation.targets, by=by)
    return _move(evaluation, Status.WAITING, by=by)


@transaction.atomic
def council_assign(*, evaluation, member, by) -> CouncilAssignment:
    _require_staff(by)
    if not is_council_member(member):
        raise EvaluationError(_("Only council members evaluate for the council."))
    if evaluation.status == Status.DECIDED:
        raise EvaluationError(_("The verdict has been given."))
    assignment, _created = CouncilAssignment.objects.get_or_create(
        evaluation=evaluation, member=member
    )
    return assignment


@transaction.atomic
def evaluation_open(
    *, evaluation, by, self_due: dt.date, department_due: dt.date, council_due: dt.date
) -> Evaluation:
    """After the year: the group's turn opens (results and self-evaluation), with the due date
    of each side. Side effects: an EvaluationEvent; a mail to the group's managers (claimed)."""
    _require_staff(by)
    if not (self_due and department_due and council_due) or not (
        self_due <= department_due <= council_due
    ):
        raise EvaluationError(
            _("Give the three due dates in the order of the turns: group, department, council.")
        )
    evaluation = _move(
        _fresh(evaluation),
        Status.SELF,
        by=by,
        extra_fields={
            "self_due": self_due,
            "department_due": department_due,
            "council_due": council_due,
        },
    )
    reminders.turn_opened(evaluation, Side.SELF)
    return evaluation


@transaction.atomic
def evaluation_results_save(*, evaluation, by, results: dict[int, tuple]) -> Evaluation:
    evaluation = _fresh(evaluation)
    if not rules.can_enter_results(by, evaluation):
        raise EvaluationError(_("Results are entered by the group during its turn."))
    targets.results_record(sheet=evaluation.targets, results=results)
    return evaluation


@transaction.atomic
def evaluation_evidence_add(*, evaluation, by, upload):
    evaluation = _fresh(evaluation)
    if not rules.can_enter_results(by, evaluation):
        raise EvaluationError(_("Results are entered by the group during its turn."))
    try:
        return targets.evidence_add(sheet=evaluation.targets, upload=upload, by=by)
    except targets.TargetsError as error:
        raise EvaluationError(error.message) from None


@transaction.atomic
def evaluation_evidence_remove(*, evaluation, by, evidence) -> None:
    evaluation = _fresh(evaluation)
    if not rules.can_enter_results(by, evaluation) or evidence.sheet_id != evaluation.targets_id:
        raise EvaluationError(_("Results are entered by the group during its turn."))
    targets.evidence_remove(evidence=evidence)


# --- the sheets ----------------------------------------------------------------------------------


def _check_scores(template, scores: dict[int, tuple], *, complete: bool) -> None:
    items = {item.pk for item in template.items.all()}
    for item_id, (points, comment) in scores.items():
        if item_id not in items:
            raise EvaluationError(_("This item is not on the year's check sheet."))
        if points is None:
            continue
        if not MIN_POINTS <= points <= MAX_POINTS:
            raise EvaluationError(_("Score each item from 1 to 5."))
        if comment_required(points) and not (comment or "").strip():
            raise EvaluationError(_("A score of 1 or 2 needs a comment saying why."))
    if complete and any(scores.get(pk, (None, ""))[0] is None for pk in items):
        raise EvaluationError(_("Score every item before submitting."))


@transaction.atomic
def sheet_save(
    *,
    evaluation,
    by,
    scores: dict[int, tuple],
    went_well: str = "",
    issues: str = "",
    improvements: str = "",
    submit: bool = False,
) -> Sheet:
    """Save (and optionally submit) the person's sheet for their side, during their side's
    turn only. A score of 1 or 2 needs a comment (also a database constraint). Submitting the
    group's sheet needs every target's result; it opens the department's turn, whose
    submission opens the council's. Side effects: SheetScore rows; on a submission that opens
    the next turn, an EvaluationEvent and mails to the next side (claimed once)."""
    evaluation = _fresh(evaluation)
    side = rules.side_of(by, evaluation)
    if side is None:
        if rules.is_assigned_member(by, evaluation):
            raise EvaluationError(
                _("You have a conflict of interest with this project and do not evaluate it.")
            )
        raise EvaluationError(_("You do not evaluate this project."))
    if not rules.turn_is_open(evaluation, side):
        raise EvaluationError(_("It is not your side's turn to evaluate."))
    _check_scores(evaluation.template, scores, complete=submit)
    author_filter = {"author": by} if side == Side.COUNCIL else {}
    sheet = Sheet.objects.filter(evaluation=evaluation, side=side, **author_filter).first()
    if sheet is not None and sheet.status == SheetStatus.SUBMITTED:
        raise EvaluationError(_("This sheet has been submitted."))
    if submit and side == Side.SELF and targets.results_missing(evaluation.targets):
        raise EvaluationError(
            _("Enter a result (or say why there is none) for every target first.")
        )
    if sheet is None:
        try:
            with transaction.atomic():
                sheet = Sheet.objects.create(evaluation=evaluation, side=side, author=by)
        except IntegrityError:
            raise EvaluationError(_("This sheet has been started by someone else.")) from None
    sheet.author = by
    sheet.went_well, sheet.issues, sheet.improvements = (
        (went_well or "").strip(),
        (issues or "").strip(),
        (improvements or "").strip(),
    )
    for item_id, (points, comment) in scores.items():
        if points is None:
            SheetScore.objects.filter(sheet=sheet, item_id=item_id).delete()
        else:
            SheetScore.objects.update_or_create(
                sheet=sheet,
                item_id=item_id,
                defaults={"points": points, "comment": (comment or "").strip()},
            )
    if submit:
        sheet.status, sheet.submitted_at = SheetStatus.SUBMITTED, timezone.now()
    sheet.save()
    if submit and side in (Side.SELF, Side.DEPARTMENT):
        next_status = Status.DEPARTMENT if side == Side.SELF else Status.COUNCIL
        _move(evaluation, next_status, by=by)
        reminders.turn_opened(evaluation, Side.DEPARTMENT if side == Side.SELF else Side.COUNCIL)
    return sheet


# --- the verdict and the report -----------------------------------------------------------------


@transaction.atomic
def verdict_record(*, evaluation, by, verdict: str, text: str, on: dt.date) -> Evaluation:
    """The council's verdict (継続 / 一部修正のうえ継続 / 終了) and its comment, given after the
    council evaluated: written once, as the project year's verdict through the proposals
    service (proposals.projects.project_verdict — an end verdict ends the project), so it is
    never typed twice. Side effects: the ProjectYear's verdict; an EvaluationEvent; a notice to
    the group's managers."""
    from organizations.selectors import managers_of
    from proposals.projects import project_verdict

    _require_staff(by)
    evaluation = _fresh(evaluation)
    if evaluation.status != Status.COUNCIL:
        raise EvaluationError(_("The verdict is given after the council's evaluation."))
    if not evaluation.sheets.filter(side=Side.COUNCIL, status=SheetStatus.SUBMITTED).exists():
        raise EvaluationError(_("No council member has submitted a sheet yet."))
    if not (text or "").strip():
        raise EvaluationError(_("Give the council's comment."))
    project_year = evaluation.project_year
    project_verdict(
        project=project_year.project,
        by=by,
        year=project_year.year,
        verdict=verdict,
        text=text,
        on=on,
        from_source=True,
    )
    _move(evaluation, Status.DECIDED, by=by)
    reminders.verdict_given(evaluation, managers_of(project_year.project.proposal.organization))
    return evaluation


@transaction.atomic
def report_publish(*, fiscal_year: int, by) -> EvaluationReport:
    """Publish the 協働事業評価結果 of a 年度, once, and only when every evaluation of the year
    has its verdict. Side effects: the report row claimed (published_at, a conditional
    update); its PDF asked for (kyodo's document pipeline)."""
    from evaluations import report

    _require_staff(by)
    evaluations = Evaluation.objects.filter(project_year__fiscal_year=fiscal_year)
    if not evaluations.exists():
        raise EvaluationError(_("No project was evaluated for this fiscal year."))
    if evaluations.exclude(status=Status.DECIDED).exists():
        raise EvaluationError(_("Some evaluations of this fiscal year have no verdict yet."))
    row, _created = EvaluationReport.objects.get_or_create(fiscal_year=fiscal_year)
    now = timezone.now()
    claimed = EvaluationReport.objects.filter(pk=row.pk, published_at__isnull=True).update(
        published_at=now, published_by=by
    )
    if claimed != 1:
        raise EvaluationError(_("The results of this fiscal year are published already."))
    row.refresh_from_db()
    row.document = report.report_document_request(row, by=by)
    row.save(update_fields=["document"])
    return row
