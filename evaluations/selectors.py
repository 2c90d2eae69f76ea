"""Reads of the 協働事業評価, with the permission filter built in (an outsider gets 404), and the
summaries — the three sides side by side, the council's mean, the weighted total, targets
against results, the previous year — computed for many evaluations in a fixed number of
queries."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.http import Http404

from accounts.rules import is_center_staff, is_council_member, is_ward_official
from evaluations import arithmetic, rules
from evaluations.enums import SheetStatus, Side, Status
from evaluations.models import (
    CouncilAssignment,
    Evaluation,
    EvaluationReport,
    ResultEvidence,
    Sheet,
    SheetScore,
    Target,
    TemplateItem,
)
from evaluations.targets import TargetRow, target_rows

RELATED = (
    "project_year__project__proposal__organization",
    "project_year__project__proposal__round",
    "project_year__project__proposal__department_official",
    "template",
    "targets",
)


def _base():
    return (
        Evaluation.objects.select_related(*RELATED)
        .defer(
            "project_year__project__proposal__issue",
            "project_year__project__proposal__track_record",
            "project_year__project__proposal__organization__purpose",
            "project_year__project__proposal__organization__activities",
        )
        .prefetch_related(Prefetch("assignments", queryset=CouncilAssignment.objects.all()))
    )


def evaluations_visible_to(user):
    """Staff: every evaluation. Others: those of their organizations' projects, those of the
    proposals they are the department's official for, those they are assigned to."""
    if not getattr(user, "is_authenticated", False):
        return Evaluation.objects.none()
    if is_center_staff(user):
        return _base()
    condition = Q(project_year__project__proposal__organization__memberships__user=user)
    if is_ward_official(user):
        condition |= Q(project_year__project__proposal__department_official=user)
    if is_council_member(user):
        condition |= Q(assignments__member=user)
    ids = Evaluation.objects.filter(condition).values("pk")
    return _base().filter(pk__in=ids)


def evaluation_for(user, pk: int) -> Evaluation:
    evaluation = evaluations_visible_to(user).filter(pk=pk).first()
    if evaluation is None or not rules.can_view_evaluation(user, evaluation):
        raise Http404
    return evaluation


def evidence_of(evaluation):
    return ResultEvidence.objects.filter(sheet_id=evaluation.targets_id).select_related(
        "uploaded_by"
    )


def items_of(evaluation) -> list[TemplateItem]:
    return list(evaluation.template.items.all())


def own_sheet(evaluation, user, side) -> Sheet | None:
    sheets = Sheet.objects.filter(evaluation=evaluation, side=side).prefetch_related("scores")
    if side == Side.COUNCIL:
        sheets = sheets.filter(author=user)
    return sheets.first()


def sheets_seen_by(user, evaluation) -> list[Sheet]:
    """The submitted sheets the person may read now, with their scores."""
    sheets = (
        Sheet.objects.filter(evaluation=evaluation, status=SheetStatus.SUBMITTED)
        .select_related("author")
        .prefetch_related(Prefetch("scores", queryset=SheetScore.objects.select_related("item")))
        .order_by("side", "submitted_at", "pk")
    )
    return [s for s in sheets if rules.may_see_sheet(user, evaluation, s)]


def staff_evaluations(fiscal_year: int | None = None):
    qs = _base().order_by("-project_year__fiscal_year", "pk")
    if fiscal_year:
        qs = qs.filter(project_year__fiscal_year=fiscal_year)
    return qs


def project_years_to_evaluate():
    """Project years of running projects that have no evaluation yet (staff start one)."""
    from proposals.models import ProjectYear

    return (
        ProjectYear.objects.filter(
            evaluation__isnull=True, project__status__in=["agreed", "running"]
        )
        .select_related("project__proposal__organization", "project__proposal__round")
        .only(
            "pk",
            "year",
            "fiscal_year",
            "project__id",
            "project__status",
            "project__proposal__id",
            "project__proposal__title",
            "project__proposal__number",
            "project__proposal__round__fiscal_year",
            "project__proposal__organization__name",
        )
        .order_by("-fiscal_year", "pk")
    )


def published_reports():
    return EvaluationReport.objects.filter(published_at__isnull=False).order_by("-fiscal_year")


def published_report(pk: int) -> EvaluationReport:
    report = published_reports().select_related("document").filter(pk=pk).first()
    if report is None:
        raise Http404
    return report


# --- summaries -----------------------------------------------------------------------------------


@dataclass
class ItemRow:
    item: TemplateItem
    self_points: int | None
    department_points: int | None
    council_mean: Decimal | None
    council_points: list[int] = field(default_factory=list)


@dataclass
class Summary:
    evaluation: Evaluation
    items: list[ItemRow]
    side_means: dict[str, Decimal | None]
    total: arithmetic.WeightedTotal
    council_sheets: int
    targets: list[TargetRow]
    comments: dict[str, list[Sheet]]
    previous: "Summary | None" = None

    @property
    def weights(self):
        return self.evaluation.template.weights

    @property
    def project_year(self):
        return self.evaluation.project_year

    def chart(self) -> list[dict]:
        """Year on year: each side's mean and the total, this year beside last year, with
        bar lengths (the numbers are printed beside every bar: no meaning by colour alone)."""
        rows = []
        for side in Side:
            rows.append(
                {
                    "label": side.label,
                    "scale": arithmetic.MAX_POINTS,
                    "this": self.side_means.get(side),
                    "previous": self.previous.side_means.get(side) if self.previous else None,
                }
            )
        rows.append(
            {
                "label": None,  # the template names the total
                "scale": 100,
                "this": self.total.value,
                "previous": self.previous.total.value if self.previous else None,
            }
        )
        for row in rows:
            row["this_width"] = arithmetic.bar_width(row["this"], row["scale"])
            row["previous_width"] = arithmetic.bar_width(row["previous"], row["scale"])
        return rows


def summaries_for(evaluations) -> list[Summary]:
    """Summaries of the given evaluations (each with the project's previous year when it was
    evaluated): seven queries, however many evaluations."""
    evaluations = list(evaluations)
    if not evaluations:
        return []
    project_ids = {e.project_year.project_id for e in evaluations}
    earlier = {
        (e.project_year.project_id, e.project_year.year): e
        for e in Evaluation.objects.filter(
            project_year__project_id__in=project_ids, project_year__year=1
        ).select_related("project_year", "template")
    }
    previous_of = {}
    for e in evaluations:
        if e.project_year.year == 2:
            prior = earlier.get((e.project_year.project_id, 1))
            if prior is not None:
                previous_of[e.pk] = prior
    everything = {e.pk: e for e in evaluations} | {p.pk: p for p in previous_of.values()}
    built = _build(list(everything.values()))
    result = []
    for e in evaluations:
        summary = built[e.pk]
        prior = previous_of.get(e.pk)
        summary.previous = built[prior.pk] if prior is not None else None
        result.append(summary)
    return result


def _build(evaluations) -> dict[int, Summary]:
    template_ids = {e.template_id for e in evaluations}
    items: dict[int, list[TemplateItem]] = {}
    for item in TemplateItem.objects.filter(template_id__in=template_ids).order_by("order", "pk"):
        items.setdefault(item.template_id, []).append(item)
    sheets: dict[int, list[Sheet]] = {}
    for sheet in (
        Sheet.objects.filter(
            evaluation_id__in=[e.pk for e in evaluations], status=SheetStatus.SUBMITTED
        )
        .select_related("author")
        .prefetch_related("scores")
        .order_by("side", "submitted_at", "pk")
    ):
        sheets.setdefault(sheet.evaluation_id, []).append(sheet)
    targets: dict[int, list[Target]] = {}
    for target in Target.objects.filter(sheet_id__in=[e.targets_id for e in evaluations]):
        targets.setdefault(target.sheet_id, []).append(target)
    return {
        e.pk: _summary(
            e, items.get(e.template_id, []), sheets.get(e.pk, []), targets.get(e.targets_id, [])
        )
        for e in evaluations
    }


def _points(sheet) -> dict[int, int]:
    return {score.item_id: score.points for score in sheet.scores.all()}


def _summary(evaluation, items, sheets, targets) -> Summary:
    by_side = {side: [s for s in sheets if s.side == side] for side in Side}
    self_points = _points(by_side[Side.SELF][0]) if by_side[Side.SELF] else {}
    department_points = _points(by_side[Side.DEPARTMENT][0]) if by_side[Side.DEPARTMENT] else {}
    council = [_points(s) for s in by_side[Side.COUNCIL]]
    council_means = arithmetic.item_means(council)
    rows = [
        ItemRow(
            item=item,
            self_points=self_points.get(item.pk),
            department_points=department_points.get(item.pk),
            council_mean=council_means.get(item.pk),
            council_points=[p[item.pk] for p in council if item.pk in p],
        )
        for item in items
    ]
    side_means = {
        Side.SELF: arithmetic.side_mean(self_points) if self_points else None,
        Side.DEPARTMENT: arithmetic.side_mean(department_points) if department_points else None,
        Side.COUNCIL: arithmetic.side_mean(council_means) if council else None,
    }
    return Summary(
        evaluation=evaluation,
        items=rows,
        side_means=side_means,
        total=arithmetic.weighted_total(side_means, evaluation.template.weights),
        council_sheets=len(council),
        targets=target_rows(targets),
        comments=by_side,
    )


def summary_of(evaluation) -> Summary:
    return summaries_for([evaluation])[0]


def report_evaluations(fiscal_year: int):
    """The evaluations of a 年度 with their verdict, for the public report."""
    return (
        _base()
        .filter(project_year__fiscal_year=fiscal_year, status=Status.DECIDED)
        .order_by("project_year__project__proposal__round__fiscal_year", "pk")
    )
