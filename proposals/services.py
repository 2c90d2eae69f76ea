"""Writes of 協働事業提案. Every status change goes through kyodo.workflow.transition with a
history row; mails are queued for after the commit.

Deadlines are days in Asia/Tokyo (settings.TIME_ZONE): a proposal due on 4/30 is accepted
until 23:59:59 that day and refused from 00:00:00 on 5/1.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rules import is_center_staff
from kyodo.exceptions import DomainError
from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, queue_notice
from kyodo.workflow import transition
from organizations.rules import can_manage_organization
from organizations.selectors import managers_of
from proposals import rules
from proposals.enums import (
    ADOPTED_STATUSES,
    DEFAULT_CRITERIA,
    EDITABLE_STATUSES,
    IN_REVIEW_STATUSES,
    PROPOSAL_TRANSITIONS,
    Outcome,
    ProposalKind,
    ProposalStatus,
    StageStatus,
)
from proposals.models import (
    BudgetLine,
    Criterion,
    Decision,
    DepartmentOpinion,
    Presentation,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalVersion,
    Round,
    Stage,
)


class ProposalError(DomainError):
    pass


# Fields of the 事業構築シート an organization writes, in the order of the form.
TEXT_FIELDS = (
    "title",
    "issue",
    "aims",
    "outcome_target",
    "activity_indicator",
    "beneficiary_target",
    "year1_activities",
    "year1_schedule",
    "year2_activities",
    "year2_schedule",
    "role_group",
    "role_ward",
    "collaboration_form",
    "track_record",
)
# What must be filled before a proposal can be submitted.
REQUIRED_FOR_SUBMISSION = (
    "title",
    "issue",
    "aims",
    "outcome_target",
    "activity_indicator",
    "beneficiary_target",
    "year1_activities",
    "year2_activities",
    "role_group",
    "role_ward",
    "collaboration_form",
)


# --- helpers ---------------------------------------------------------------------------------


def _today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def deadline_of(proposal: Proposal) -> dt.date:
    """The last day the organization may change and submit: the round's deadline, or the new
    date staff gave when returning it."""
    if proposal.status == ProposalStatus.RETURNED and proposal.resubmit_by:
        return proposal.resubmit_by
    return proposal.round.submission_deadline


def is_open_for_changes(proposal: Proposal, now: dt.datetime | None = None) -> bool:
    today = _today(now)
    return proposal.status in EDITABLE_STATUSES and today <= deadline_of(proposal)


def _require_open(proposal: Proposal, now=None) -> None:
    if proposal.round.decisions_released:
        raise ProposalError(_("The decisions of this call have been released."))
    if proposal.status not in EDITABLE_STATUSES:
        raise ProposalError(
            _("This proposal is “%(status)s” and can no longer be changed.")
            % {"status": proposal.get_status_display()}
        )
    if _today(now) > deadline_of(proposal):
        raise ProposalError(
            _("The deadline (%(date)s, 23:59 Tokyo time) has passed.")
            % {"date": deadline_of(proposal).isoformat()}
        )


def _require_manager(user, proposal: Proposal) -> None:
    if not can_manage_organization(user, proposal.organization):
        raise ProposalError(_("Only the organization's managers can do this."))


def _require_staff(user) -> None:
    if not is_center_staff(user):
        raise ProposalError(_("Only center staff can do this."))


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ProposalError(_("Give a reason."))
    return reason


def _move(proposal, to, *, by=None, reason="", extra_fields=None):
    return transition(
        instance=proposal,
        to=to,
        transitions=PROPOSAL_TRANSITIONS,
        history_model=ProposalEvent,
        history_fk="proposal",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
    )


def _lock(proposal: Proposal) -> None:
    """Lock the row for the rest of the transaction and re-read it into the caller's object,
    so a concurrent change is seen and the caller's copy ends up current."""
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    proposal.refresh_from_db()


def _proposal_url(proposal) -> str:
    return absolute_url(reverse("proposals:detail", args=[proposal.pk]))


def _facts(proposal) -> list:
    return [
        (gettext_lazy("Call"), localized_lazy(proposal.round)),
        (gettext_lazy("Proposal"), f"{proposal.reference} {proposal.title}"),
        (gettext_lazy("Organization"), proposal.organization.name),
    ]


# --- rounds ----------------------------------------------------------------------------------


@transaction.atomic
def round_add_default_criteria(*, round_: Round) -> list[Criterion]:
    """Give a round without criteria the 10 of DOMAIN.md (weight 1 each)."""
    if round_.criteria.exists():
        return list(round_.criteria.all())
    return Criterion.objects.bulk_create(
        Criterion(round=round_, order=number, name=name, name_en=name_en, description=text)
        for number, (name, name_en, text) in enumerate(DEFAULT_CRITERIA, start=1)
    )


# --- proposals: the organization --------------------------------------------------------------


def _check_theme(round_: Round, kind: str, theme) -> None:
    if kind == ProposalKind.THEME:
        if theme is None or theme.round_id != round_.pk:
            raise ProposalError(_("Choose one of the call's themes."))
    elif kind == ProposalKind.FREE:
        if not round_.accepts_free_proposals:
            raise ProposalError(_("This call does not accept free proposals."))
        if theme is not None:
            raise ProposalError(_("A free proposal has no theme."))
    else:
        raise ProposalError(_("Choose the type of proposal."))


@transaction.atomic
def proposal_create(
    *, round_: Round, organization, by, kind: str, title: str, theme=None, now=None
) -> Proposal:
    """Start a draft for ``organization``. Only a validly registered organization's managers,
    while the call is open. Side effects: a ProposalEvent."""
    if not can_manage_organization(by, organization):
        raise ProposalError(_("Only the organization's managers can do this."))
    today = _today(now)
    if not round_.is_published or not (round_.call_opens_on <= today <= round_.submission_deadline):
        raise ProposalError(_("This call is not open for proposals."))
    if not organization.is_valid_on(today):
        raise ProposalError(_("Only organizations with a valid registration can make a proposal."))
    _check_theme(round_, kind, theme)
    title = (title or "").strip()
    if not title:
        raise ProposalError(_("Give the project a title."))
    proposal = Proposal.objects.create(
        round=round_,
        organization=organization,
        kind=kind,
        theme=theme if kind == ProposalKind.THEME else None,
        title=title,
        department=theme.department if theme else "",
        created_by=by,
    )
    ProposalEvent.objects.create(
        proposal=proposal, old_status="", new_status=ProposalStatus.DRAFT, changed_by=by
    )
    return proposal


@transaction.atomic
def proposal_update(
    *, proposal: Proposal, by, data: dict, budget_lines: list[dict] | None = None, now=None
) -> Proposal:
    """Save the draft (any time before the deadline; nothing is required yet).

    ``data`` holds TEXT_FIELDS and optionally ``kind``/``theme``; ``budget_lines`` (a list of
    dicts with year, category, item, amount, borne_by), when given, replaces the budget."""
    _require_manager(by, proposal)
    _lock(proposal)
    _require_open(proposal, now)
    kind = data.get("kind", proposal.kind)
    theme = data.get("theme", proposal.theme) if kind == ProposalKind.THEME else None
    _check_theme(proposal.round, kind, theme)
    proposal.kind, proposal.theme = kind, theme
    for name in TEXT_FIELDS:
        if name in data:
            value = data[name]
            setattr(proposal, name, value.strip() if isinstance(value, str) else value)
    if not proposal.title:
        raise ProposalError(_("Give the project a title."))
    if theme is not None and not proposal.department:
        proposal.department = theme.department
    proposal.save()
    if budget_lines is not None:
        proposal.budget_lines.all().delete()
        BudgetLine.objects.bulk_create(
            BudgetLine(
                proposal=proposal,
                year=line["year"],
                category=line["category"],
                item=line["item"],
                amount=line["amount"],
                borne_by=line.get("borne_by") or "ward",
                order=index,
            )
            for index, line in enumerate(budget_lines)
        )
    return proposal


@transaction.atomic
def attachment_add(*, proposal: Proposal, by, title: str, upload, now=None) -> ProposalAttachment:
    """Attach a file (validated by the form with kyodo.uploads.validate_document)."""
    _require_manager(by, proposal)
    _lock(proposal)  # a submission running at the same time freezes a consistent list
    _require_open(proposal, now)
    return ProposalAttachment.objects.create(
        proposal=proposal, title=(title or upload.name).strip()[:200], file=upload, uploaded_by=by
    )


@transaction.atomic
def attachment_remove(*, attachment: ProposalAttachment, by, now=None) -> None:
    """Remove a file from the proposal. A file of a submitted version stays stored (the version
    still shows it) and is only marked removed; any other is deleted."""
    proposal = attachment.proposal
    _require_manager(by, proposal)
    _lock(proposal)
    _require_open(proposal, now)
    in_versions = any(
        attachment.pk in version.attachment_ids for version in proposal.versions.all()
    )
    if in_versions:
        ProposalAttachment.objects.filter(pk=attachment.pk).update(removed_at=timezone.now())
    else:
        attachment.file.delete(save=False)
        attachment.delete()


def missing_for_submission(proposal: Proposal) -> list[str]:
    """Labels of what must still be written before the proposal can be submitted."""
    missing = [
        str(Proposal._meta.get_field(name).verbose_name)
        for name in REQUIRED_FOR_SUBMISSION
        if not getattr(proposal, name)
    ]
    years = set(proposal.budget_lines.values_list("year", flat=True))
    for year in (1, 2):
        if year not in years:
            missing.append(_("budget of year %(year)s") % {"year": year})
    return missing


def snapshot(proposal: Proposal) -> dict:
    """Everything reviewers see of the proposal, as it is now."""
    lines = list(proposal.budget_lines.all())
    attachments = list(proposal.attachments.filter(removed_at__isnull=True))
    organization = proposal.organization
    return {
        **{name: getattr(proposal, name) for name in TEXT_FIELDS},
        "kind": proposal.kind,
        "theme": proposal.theme.title if proposal.theme else "",
        "organization": {
            "name": organization.name,
            "type": organization.org_type,
            "representative": organization.representative_name,
            "registration_number": organization.registration_number,
        },
        "budget": [
            {
                "year": line.year,
                "category": line.category,
                "item": line.item,
                "amount": line.amount,
                "borne_by": line.borne_by,
            }
            for line in lines
        ],
        "attachments": [
            {"id": a.pk, "title": a.title, "name": a.file.name.rsplit("/", 1)[-1]}
            for a in attachments
        ],
    }


def _record_pre_consultation(proposal: Proposal) -> None:
    """Find the 事前相談 in the consultation records unless staff recorded one by hand."""
    if proposal.pre_consultation_on is not None:
        return
    from consultations.selectors import pre_proposal_consultation

    round_ = proposal.round
    case = pre_proposal_consultation(
        proposal.organization,
        since=round_.pre_consultation_from,
        until=max(round_.pre_consultation_until, round_.submission_deadline),
    )
    if case is None:
        raise ProposalError(
            _(
                "A prior consultation with the center is required before submitting."
                " Please contact the center to arrange one."
            )
        )
    proposal.pre_consultation_on = case.opened_on
    proposal.pre_consultation_case = case


def _give_number(proposal: Proposal) -> None:
    """The next number of the round; the unique constraint settles a race, and we retry."""
    for _attempt in range(5):
        latest = Proposal.objects.filter(round_id=proposal.round_id).aggregate(n=Max("number"))
        number = (latest["n"] or 0) + 1
        try:
            with transaction.atomic():
                Proposal.objects.filter(pk=proposal.pk, number__isnull=True).update(number=number)
        except IntegrityError:
            continue
        proposal.number = number
        return
    raise ProposalError(_("Please try again."))


@transaction.atomic
def proposal_submit(*, proposal: Proposal, by, now=None) -> Proposal:
    """Submit before the deadline: the proposal is frozen as a new ProposalVersion.

    Requires a valid registration, a recorded 事前相談 (found in the consultation records when
    staff have not recorded one) and every field of REQUIRED_FOR_SUBMISSION.
    Side effects: a number on the first submission, a ProposalVersion, a ProposalEvent, a
    mail to the organization's managers."""
    _require_manager(by, proposal)
    _lock(proposal)
    _require_open(proposal, now)
    if not proposal.organization.is_valid_on(_today(now)):
        raise ProposalError(_("Only organizations with a valid registration can make a proposal."))
    missing = missing_for_submission(proposal)
    if missing:
        raise ProposalError(
            _("Fill in before submitting: %(fields)s.") % {"fields": "、".join(missing)}
        )
    _record_pre_consultation(proposal)
    if proposal.number is None:
        _give_number(proposal)
    version_number = proposal.versions.count() + 1
    version = ProposalVersion.objects.create(
        proposal=proposal, number=version_number, data=snapshot(proposal), submitted_by=by
    )
    if version_number > 1:
        from proposals.reviews import reviews_reopen_for_new_version

        reopened = reviews_reopen_for_new_version(proposal=proposal, by=by)
        queue_notice(
            reopened,
            purpose="proposals.new_version",
            subject=gettext_lazy("A proposal you scored was submitted again"),
            paragraphs=[
                gettext_lazy(
                    "The proposal was revised and submitted again after you scored it. Your"
                    " score sheet is a draft again: please look at the new version and submit"
                    " it again before scoring closes."
                )
            ],
            facts=[*_facts(proposal), (gettext_lazy("Version"), version_number)],
            action_url=absolute_url(reverse("proposals_review:home")),
            action_label=gettext_lazy("Open the score sheets"),
        )
    _move(
        proposal,
        ProposalStatus.SUBMITTED,
        by=by,
        extra_fields={
            "submitted_version": version,
            "pre_consultation_on": proposal.pre_consultation_on,
            "pre_consultation_case": proposal.pre_consultation_case,
            "resubmit_by": None,
        },
    )
    queue_notice(
        managers_of(proposal.organization),
        purpose="proposals.submitted",
        subject=gettext_lazy("Your proposal has been received"),
        paragraphs=[
            gettext_lazy(
                "We have received your collaboration project proposal. The version you"
                " submitted is what the reviewers will read."
            )
        ],
        facts=_facts(proposal),
        action_url=_proposal_url(proposal),
        action_label=gettext_lazy("See the proposal"),
    )
    return proposal


@transaction.atomic
def proposal_withdraw(*, proposal: Proposal, by, reason: str = "") -> Proposal:
    """The organization withdraws the proposal (until decisions are released).
    Side effects: a ProposalEvent; staff are told by mail when it had been submitted."""
    _require_manager(by, proposal)
    was_submitted = proposal.submitted_version_id is not None
    _move(proposal, ProposalStatus.WITHDRAWN, by=by, reason=(reason or "").strip())
    # Nothing prepared for it stands any more (a decision would otherwise wait for a release
    # that must skip it).
    Decision.objects.filter(proposal=proposal, released_at__isnull=True).delete()
    Presentation.objects.filter(proposal=proposal).delete()
    if was_submitted:
        from kyodo.selectors import center_profile

        queue_notice(
            [center_profile().email],
            purpose="proposals.withdrawn",
            subject=gettext_lazy("A proposal was withdrawn"),
            paragraphs=[gettext_lazy("The organization withdrew its proposal.")],
            facts=_facts(proposal),
            reason=reason,
        )
    return proposal


# --- proposals: staff -------------------------------------------------------------------------


@transaction.atomic
def proposal_return(*, proposal: Proposal, by, reason: str, resubmit_by: dt.date, now=None):
    """差し戻し: staff send a submitted proposal back with a reason and a new deadline.
    Side effects: a ProposalEvent, a mail to the organization's managers."""
    _require_staff(by)
    reason = _require_reason(reason)
    if resubmit_by is None or resubmit_by < _today(now):
        raise ProposalError(_("Give a new deadline from today on."))
    _move(
        proposal,
        ProposalStatus.RETURNED,
        by=by,
        reason=reason,
        extra_fields={"resubmit_by": resubmit_by},
    )
    # A decision prepared on the version now being revised no longer stands.
    Decision.objects.filter(proposal=proposal, released_at__isnull=True).delete()
    queue_notice(
        managers_of(proposal.organization),
        purpose="proposals.returned",
        subject=gettext_lazy("Your proposal has been returned for changes"),
        paragraphs=[
            gettext_lazy(
                "The center has returned your proposal for changes. Please revise it and submit"
                " it again by the new deadline (23:59 Tokyo time)."
            )
        ],
        facts=[*_facts(proposal), (gettext_lazy("New deadline"), resubmit_by.isoformat())],
        reason=reason,
        action_url=_proposal_url(proposal),
        action_label=gettext_lazy("Revise the proposal"),
    )
    return proposal


@transaction.atomic
def pre_consultation_record(*, proposal: Proposal, by, on: dt.date, case=None) -> Proposal:
    """Staff record the date of a 事前相談 held outside the consultation records."""
    _require_staff(by)
    if on is None:
        raise ProposalError(_("Give the date of the prior consultation."))
    Proposal.objects.filter(pk=proposal.pk).update(
        pre_consultation_on=on, pre_consultation_case=case
    )
    proposal.pre_consultation_on, proposal.pre_consultation_case = on, case
    ProposalEvent.objects.create(
        proposal=proposal,
        old_status=proposal.status,
        new_status=proposal.status,
        changed_by=by,
        reason=_("Prior consultation recorded: %(date)s") % {"date": on.isoformat()},
    )
    return proposal


@transaction.atomic
def department_assign(*, proposal: Proposal, by, department: str, official) -> Proposal:
    """Name the 所管課 and the ward official who writes its opinion.
    Side effects: the proposal's history (simple-history) and a ProposalEvent saying what
    changed; a mail to the official when the official is new."""
    _require_staff(by)
    from accounts.rules import is_ward_official

    if official is not None and not is_ward_official(official):
        raise ProposalError(_("The department's official must be a ward official."))
    _lock(proposal)
    department = (department or "").strip()
    official_changed = proposal.department_official_id != getattr(official, "pk", None)
    if not official_changed and proposal.department == department:
        return proposal
    proposal.department, proposal.department_official = department, official
    proposal.save(update_fields=["department", "department_official", "updated_at"])
    ProposalEvent.objects.create(
        proposal=proposal,
        old_status=proposal.status,
        new_status=proposal.status,
        changed_by=by,
        reason=_("Department in charge: %(department)s (%(official)s)")
        % {
            "department": department or "—",
            "official": official.get_full_name() if official else "—",
        },
    )
    if official is not None and official_changed:
        queue_notice(
            [official],
            purpose="proposals.opinion_requested",
            subject=gettext_lazy("Your department's opinion on a proposal is requested"),
            paragraphs=[
                gettext_lazy(
                    "Please give your department's opinion on the feasibility of this"
                    " collaboration proposal. The reviewers read it beside the proposal."
                )
            ],
            facts=_facts(proposal),
            action_url=absolute_url(reverse("proposals_review:opinion", args=[proposal.pk])),
            action_label=gettext_lazy("Give the opinion"),
        )
    return proposal


@transaction.atomic
def opinion_save(
    *, proposal: Proposal, by, feasibility: str, text: str, submit: bool
) -> DepartmentOpinion:
    """The department official writes (and gives) the opinion, while the proposal is in review."""
    if not rules.can_give_opinion(by, proposal):
        raise ProposalError(_("Only the department's official can give this opinion."))
    if proposal.status not in IN_REVIEW_STATUSES:
        raise ProposalError(_("This proposal is not in review."))
    text = (text or "").strip()
    if submit and not text:
        raise ProposalError(_("Write the opinion before giving it."))
    _lock(proposal)  # a double click waits instead of inserting a second opinion
    opinion = DepartmentOpinion.objects.filter(proposal=proposal).first() or DepartmentOpinion(
        proposal=proposal
    )
    opinion.author, opinion.feasibility, opinion.text = by, feasibility, text
    # Once given, the opinion stays given; a revision is given anew with its own date, which
    # reviewers see beside it (and the history keeps every wording).
    if submit or opinion.is_submitted:
        opinion.submitted_at = timezone.now()
    opinion.save()
    return opinion


# --- shortlist ----------------------------------------------------------------------------------


@transaction.atomic
def proposal_shortlist(
    *, proposal: Proposal, stage: Stage, by, starts_at=None, place: str = ""
) -> Presentation:
    """Take a proposal into the second stage with its presentation time (or change them).
    Side effects: a Presentation, a ProposalEvent, a mail to the organization's managers
    when the time or place is new."""
    _require_staff(by)
    if stage.number != 2 or stage.round_id != proposal.round_id:
        raise ProposalError(_("Proposals are shortlisted for the second stage of their call."))
    if stage.status == StageStatus.CLOSED:
        raise ProposalError(_("This stage is closed."))
    if proposal.status == ProposalStatus.SUBMITTED:
        _move(proposal, ProposalStatus.SHORTLISTED, by=by)
    elif proposal.status != ProposalStatus.SHORTLISTED:
        raise ProposalError(_("Only a submitted proposal can be shortlisted."))
    before = Presentation.objects.filter(stage=stage, proposal=proposal).first()
    presentation, _created = Presentation.objects.update_or_create(
        stage=stage, proposal=proposal, defaults={"starts_at": starts_at, "place": place}
    )
    if before is None or (before.starts_at, before.place) != (starts_at, place):
        when = (
            timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M")
            if starts_at
            else gettext_lazy("to be announced")
        )
        queue_notice(
            managers_of(proposal.organization),
            purpose="proposals.presentation",
            subject=gettext_lazy("Your proposal goes on to the presentation"),
            paragraphs=[
                gettext_lazy(
                    "Your proposal goes on to the presentation to the council. Please prepare to"
                    " present it at the time below; the center will tell you if it changes."
                )
            ],
            facts=[
                *_facts(proposal),
                (gettext_lazy("Stage"), localized_lazy(stage)),
                (gettext_lazy("When"), when),
                (gettext_lazy("Where"), place or gettext_lazy("to be announced")),
            ],
            action_url=_proposal_url(proposal),
            action_label=gettext_lazy("See the proposal"),
        )
    return presentation


@transaction.atomic
def proposal_unshortlist(*, proposal: Proposal, stage: Stage, by, reason: str = "") -> Proposal:
    _require_staff(by)
    if stage.reviews.filter(proposal=proposal).exists():
        raise ProposalError(_("Reviewers have started scoring it in this stage."))
    deleted, _rows = Presentation.objects.filter(stage=stage, proposal=proposal).delete()
    # A decision prepared for it no longer stands: the shortlist changed.
    Decision.objects.filter(proposal=proposal, released_at__isnull=True).delete()
    _move(proposal, ProposalStatus.SUBMITTED, by=by, reason=reason)
    if deleted:
        queue_notice(
            managers_of(proposal.organization),
            purpose="proposals.presentation_cancelled",
            subject=gettext_lazy("Your presentation is cancelled"),
            paragraphs=[
                gettext_lazy(
                    "The presentation we told you about is cancelled. The center will contact"
                    " you about your proposal."
                )
            ],
            facts=[*_facts(proposal), (gettext_lazy("Stage"), localized_lazy(stage))],
            action_url=_proposal_url(proposal),
            action_label=gettext_lazy("See the proposal"),
        )
    return proposal


# --- decisions -----------------------------------------------------------------------------------


def _round_has_second_stage(round_: Round) -> bool:
    return round_.stages.filter(number=2).exists()


@transaction.atomic
def decision_prepare(
    *, proposal: Proposal, by, outcome: str, council_comment: str = "", conditions: str = ""
) -> Decision:
    """Staff prepare the decision from the council's deliberation. Nothing is told to anyone
    until the round's decisions are released."""
    _require_staff(by)
    round_ = Round.objects.select_for_update().get(pk=proposal.round_id)
    if round_.decisions_released:
        raise ProposalError(_("The decisions of this call have been released."))
    if proposal.status not in IN_REVIEW_STATUSES:
        raise ProposalError(_("Only a proposal in review can be decided."))
    if outcome not in Outcome.values:
        raise ProposalError(_("Choose a decision."))
    if (
        outcome != Outcome.NOT_ADOPTED
        and _round_has_second_stage(round_)
        and proposal.status != ProposalStatus.SHORTLISTED
    ):
        raise ProposalError(_("Only a shortlisted proposal can be adopted."))
    conditions = (conditions or "").strip()
    if outcome == Outcome.ADOPTED_WITH_CONDITIONS and not conditions:
        raise ProposalError(_("Write the conditions of the adoption."))
    decision, _created = Decision.objects.update_or_create(
        proposal=proposal,
        defaults={
            "outcome": outcome,
            "council_comment": (council_comment or "").strip(),
            "conditions": conditions,
            "prepared_by": by,
        },
    )
    return decision


@transaction.atomic
def decisions_release(*, round_: Round, by, now=None) -> list[Decision]:
    """Release every decision of the round at once: each proposal takes its outcome, adopted
    ones become projects, a decision letter is issued for each, and the groups are told.

    Refused while any proposal in review has no decision, while one is returned for changes,
    or when an adoption is prepared for a proposal no longer on the shortlist. Released once:
    the round is claimed with a conditional update. Side effects: open stages are closed
    (StageEvents), ProposalEvents, Projects with two ProjectYears, GeneratedDocuments
    (letters), one task per decision that mails it."""
    _require_staff(by)
    now = now or timezone.now()
    if Round.objects.filter(pk=round_.pk, decisions_released_at__isnull=False).exists():
        raise ProposalError(_("The decisions of this call have been released."))
    undecided = Proposal.objects.filter(
        round=round_, status__in=IN_REVIEW_STATUSES, decision__isnull=True
    ).count()
    if undecided:
        raise ProposalError(
            _("%(n)s proposal(s) in review have no decision yet.") % {"n": undecided}
        )
    returned = Proposal.objects.filter(round=round_, status=ProposalStatus.RETURNED).count()
    if returned:
        raise ProposalError(
            _(
                "%(n)s proposal(s) are returned for changes: wait until they are submitted again"
                " (or withdrawn) and decided."
            )
            % {"n": returned}
        )
    if _round_has_second_stage(round_):
        # decision_prepare checks this too, but the shortlist may have changed since.
        unlisted = Decision.objects.filter(
            proposal__round=round_,
            released_at__isnull=True,
            proposal__status__in=IN_REVIEW_STATUSES,
            outcome__in=[Outcome.ADOPTED, Outcome.ADOPTED_WITH_CONDITIONS],
        ).exclude(proposal__status=ProposalStatus.SHORTLISTED)
        if unlisted.exists():
            raise ProposalError(
                _("Only shortlisted proposals can be adopted: check the decisions of %(list)s.")
                % {
                    "list": "、".join(
                        str(d.proposal.reference)
                        for d in unlisted.select_related("proposal__round")
                    )
                }
            )
    claimed = Round.objects.filter(pk=round_.pk, decisions_released_at__isnull=True).update(
        decisions_released_at=now, decisions_released_by=by
    )
    if claimed != 1:
        raise ProposalError(_("The decisions of this call have been released."))
    round_.decisions_released_at, round_.decisions_released_by = now, by
    # The review is over: a stage still open is closed, so that nothing the release rests on
    # changes afterwards (stage_open refuses once released).
    from proposals.reviews import stage_close

    for stage in round_.stages.filter(status=StageStatus.OPEN):
        stage_close(stage=stage, by=by, reason=_("Closed with the release of the decisions."))
    from proposals.letters import decision_letter_issue, decision_notify

    decisions = list(
        Decision.objects.filter(proposal__round=round_, proposal__status__in=IN_REVIEW_STATUSES)
        .select_related("proposal__round", "proposal__organization")
        .order_by("proposal__number")
    )
    for decision in decisions:
        proposal = decision.proposal
        _move(proposal, decision.outcome, by=by, reason=decision.council_comment)
        Decision.objects.filter(pk=decision.pk).update(released_at=now)
        decision.released_at = now
        if decision.outcome in ADOPTED_STATUSES:
            from proposals.projects import project_start

            project_start(proposal, by=by)
        decision_letter_issue(decision=decision)
        # In the release's transaction: the mails are outbox rows (kyodo.mail), sent after
        # the commit and again by the sweep if the broker or the mail server is down.
        decision_notify(decision=decision)
    return decisions
