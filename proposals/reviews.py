"""Writes of the review: opening and closing stages, conflict-of-interest declarations and
the reviewers' score sheets. Every status change has a history row (kyodo.workflow)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.workflow import transition
from proposals import rules
from proposals.enums import REVIEW_TRANSITIONS, STAGE_TRANSITIONS, ReviewStatus, StageStatus
from proposals.models import (
    ConflictDeclaration,
    Proposal,
    Review,
    ReviewEvent,
    Score,
    Stage,
    StageEvent,
)
from proposals.services import ProposalError, _require_staff


def _move_stage(stage, to, *, by, reason="", extra_fields=None):
    return transition(
        instance=stage,
        to=to,
        transitions=STAGE_TRANSITIONS,
        history_model=StageEvent,
        history_fk="stage",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
    )


@transaction.atomic
def stage_open(*, stage: Stage, by, reason: str = "") -> Stage:
    """Open a stage for scoring (or reopen a closed one). Side effects: a StageEvent."""
    _require_staff(by)
    if stage.round.decisions_released:
        raise ProposalError(_("The decisions of this call have been released."))
    if not stage.round.criteria.exists():
        raise ProposalError(_("The call has no criteria yet."))
    return _move_stage(
        stage, StageStatus.OPEN, by=by, reason=reason, extra_fields={"closed_at": None}
    )


@transaction.atomic
def stage_close(*, stage: Stage, by, reason: str = "") -> Stage:
    """Close scoring: reviews can no longer change. Side effects: a StageEvent."""
    _require_staff(by)
    return _move_stage(
        stage, StageStatus.CLOSED, by=by, reason=reason, extra_fields={"closed_at": timezone.now()}
    )


# --- conflicts and reviews ------------------------------------------------------------------------


def _assignment(stage: Stage, reviewer, proposal: Proposal):
    from proposals.selectors import is_assigned

    assignment = stage.assignments.filter(reviewer=reviewer).first()
    if assignment is None or not is_assigned(assignment, proposal):
        raise ProposalError(_("You are not assigned to review this proposal."))
    return assignment


def _save_declaration(proposal: Proposal, reviewer, *, has_conflict: bool, note: str):
    # The proposal's row is locked so that two declarations for it (a double click) wait for
    # each other instead of both inserting.
    Proposal.objects.select_for_update().filter(pk=proposal.pk).first()
    declaration = ConflictDeclaration.objects.filter(proposal=proposal, reviewer=reviewer).first()
    if declaration is None:
        return ConflictDeclaration.objects.create(
            proposal=proposal, reviewer=reviewer, has_conflict=has_conflict, note=note
        )
    if declaration.has_conflict and not has_conflict:
        raise ProposalError(_("A declared conflict of interest cannot be withdrawn."))
    declaration.has_conflict, declaration.note = has_conflict, note or declaration.note
    declaration.save()
    return declaration


def declaration_refusal(
    stage: Stage, proposal: Proposal, user, *, has_conflict: bool = True
) -> str | None:
    """Why ``user`` may not declare for ``proposal`` on ``stage`` now, or None.

    A declaration holds for every stage of the proposal, so a conflict that would take a
    review out of a closed stage's results — or anything after the release — is refused:
    staff record such a late conflict with conflict_record. (Scoring needs a "no conflict"
    declaration first, so one who reviewed has already declared none.)"""
    from proposals.selectors import is_assigned

    if proposal.round_id != stage.round_id:
        return _("You are not assigned to review this proposal.")
    if stage.round.decisions_released:
        return _("The decisions of this call have been released.")
    if stage.status == StageStatus.PREPARING:
        return _("This stage is not open yet.")
    assignment = stage.assignments.filter(reviewer=user).first()
    assigned = assignment is not None and is_assigned(assignment, proposal)
    if not assigned and not rules.is_chair(user, stage.round):
        return _("You are not assigned to review this proposal.")
    if (
        has_conflict
        and Review.objects.filter(
            proposal=proposal, reviewer=user, stage__status=StageStatus.CLOSED
        ).exists()
    ):
        return _("Scoring of this stage is closed: ask the center to record a late conflict.")
    return None


@transaction.atomic
def conflict_declare(
    *, proposal: Proposal, stage: Stage, reviewer, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    """A reviewer (or the round's chair) declares whether they have a 利害関係 with the proposal,
    once the stage is opened and until the release (see declaration_refusal). A member of the
    proposing organization is excluded anyway and cannot declare "none"; a declared conflict
    cannot be taken back. Side effects: the ConflictDeclaration (with its history)."""
    refusal = declaration_refusal(stage, proposal, reviewer, has_conflict=has_conflict)
    if refusal:
        raise ProposalError(refusal)
    if not has_conflict and rules.is_member_of_proposer(reviewer, proposal):
        raise ProposalError(
            _("You are a member of the proposing organization and are excluded from its review.")
        )
    return _save_declaration(
        proposal, reviewer, has_conflict=has_conflict, note=(note or "").strip()
    )


@transaction.atomic
def conflict_record(*, proposal: Proposal, reviewer, by, note: str) -> ConflictDeclaration:
    """Staff record a conflict of interest of a reviewer or the chair that came to light late
    (also after a stage closed, until the decisions are released): their reviews of the
    proposal stop counting and they no longer see its scores. Side effects: the declaration
    (its history names the member of staff)."""
    from proposals.enums import IN_REVIEW_STATUSES

    _require_staff(by)
    note = (note or "").strip()
    if not note:
        raise ProposalError(_("Give a reason."))
    if proposal.round.decisions_released:
        raise ProposalError(_("The decisions of this call have been released."))
    if proposal.status not in IN_REVIEW_STATUSES:
        raise ProposalError(_("This proposal is not in review."))
    is_reviewer = proposal.round.stages.filter(assignments__reviewer=reviewer).exists()
    if not (is_reviewer or rules.is_chair(reviewer, proposal.round)):
        raise ProposalError(_("Only the call's reviewers and its chair can be recorded."))
    return _save_declaration(proposal, reviewer, has_conflict=True, note=note)


def _review_allowed(stage: Stage, proposal: Proposal, reviewer) -> None:
    if stage.status != StageStatus.OPEN:
        raise ProposalError(_("Scoring of this stage is closed."))
    _assignment(stage, reviewer, proposal)
    if rules.is_member_of_proposer(reviewer, proposal):
        raise ProposalError(
            _("You are a member of the proposing organization and are excluded from its review.")
        )
    declaration = ConflictDeclaration.objects.filter(proposal=proposal, reviewer=reviewer).first()
    if declaration is None:
        raise ProposalError(_("Declare whether you have a conflict of interest first."))
    if declaration.has_conflict:
        raise ProposalError(_("You declared a conflict of interest and do not score it."))


def _move_review(review, to, *, by, extra_fields=None, reason=""):
    return transition(
        instance=review,
        to=to,
        transitions=REVIEW_TRANSITIONS,
        history_model=ReviewEvent,
        history_fk="review",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
    )


@transaction.atomic
def review_save(
    *,
    stage: Stage,
    proposal: Proposal,
    reviewer,
    points: dict[int, int | None],
    comments: dict[int, str] | None = None,
    overall_comment: str = "",
) -> Review:
    """Save the score sheet as a draft. ``points`` maps criterion id → 0..max or None.
    Side effects: the Review (created with a ReviewEvent) and its Scores."""
    _review_allowed(stage, proposal, reviewer)
    criteria = {c.pk: c for c in stage.round.criteria.all()}
    comments = comments or {}
    for criterion_id, value in points.items():
        if criterion_id not in criteria:
            raise ProposalError(_("Unknown criterion."))
        if value is not None and not 0 <= value <= stage.round.max_points:
            raise ProposalError(
                _("Give each criterion from 0 to %(max)s points.") % {"max": stage.round.max_points}
            )
    review, created = Review.objects.select_for_update().get_or_create(
        stage=stage, proposal=proposal, reviewer=reviewer
    )
    if created:
        ReviewEvent.objects.create(
            review=review, old_status="", new_status=ReviewStatus.DRAFT, changed_by=reviewer
        )
    elif review.status != ReviewStatus.DRAFT:
        raise ProposalError(_("This review is submitted. Re-open it to change it."))
    review.overall_comment = (overall_comment or "").strip()
    review.version_id = proposal.submitted_version_id  # the version the reviewer scored
    review.save()
    existing = {s.criterion_id: s for s in review.scores.all()}
    for criterion_id in criteria:
        if criterion_id not in points and criterion_id not in comments:
            continue
        score = existing.get(criterion_id) or Score(review=review, criterion_id=criterion_id)
        if criterion_id in points:
            score.points = points[criterion_id]
        if criterion_id in comments:
            score.comment = (comments[criterion_id] or "").strip()
        score.save()
    return review


@transaction.atomic
def review_submit(*, review: Review, by) -> Review:
    """Submit the score sheet: every criterion must have points. Side effects: a ReviewEvent."""
    if by.pk != review.reviewer_id:
        raise ProposalError(_("Only the reviewer can submit this review."))
    _review_allowed(review.stage, review.proposal, by)
    criteria = set(review.stage.round.criteria.values_list("pk", flat=True))
    scored = set(review.scores.filter(points__isnull=False).values_list("criterion_id", flat=True))
    if criteria - scored:
        raise ProposalError(
            _("Give points for every criterion (%(n)s missing).") % {"n": len(criteria - scored)}
        )
    return _move_review(
        review, ReviewStatus.SUBMITTED, by=by, extra_fields={"submitted_at": timezone.now()}
    )


@transaction.atomic
def review_reopen(*, review: Review, by) -> Review:
    """Re-open a submitted review to change it, while the stage is open."""
    if by.pk != review.reviewer_id:
        raise ProposalError(_("Only the reviewer can re-open this review."))
    _review_allowed(review.stage, review.proposal, by)
    return _move_review(review, ReviewStatus.DRAFT, by=by, extra_fields={"submitted_at": None})


def reviews_reopen_for_new_version(*, proposal: Proposal, by=None) -> list:
    """A returned proposal was submitted again: the submitted reviews of its open stages were
    of the earlier version, so they go back to draft for the reviewers to look again.
    Returns their reviewers (to be told). Side effects: a ReviewEvent for each, with the
    reason."""
    reopened = []
    for review in Review.objects.filter(
        proposal=proposal, status=ReviewStatus.SUBMITTED, stage__status=StageStatus.OPEN
    ).select_related("stage"):
        _move_review(
            review,
            ReviewStatus.DRAFT,
            by=by,
            extra_fields={"submitted_at": None},
            reason=_("A new version of the proposal was submitted."),
        )
        reopened.append(review.reviewer)
    return reopened
