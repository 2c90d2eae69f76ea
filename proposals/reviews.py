"""Writes of the review of proposals: opening and closing stages, conflict-of-interest
declarations and the reviewers' score sheets. The work is the shared machinery's
(reviewing/services.py) with the proposals' models (proposals.review_kit.KIT); these keep the
pillar's names and keywords. Every status change has a history row (kyodo.workflow)."""

from proposals.models import ConflictDeclaration, Proposal, Review, Stage
from proposals.review_kit import KIT
from reviewing import services


def stage_open(*, stage: Stage, by, reason: str = "") -> Stage:
    """Open a stage for scoring (or reopen a closed one). Side effects: a StageEvent."""
    return services.stage_open(kit=KIT, stage=stage, by=by, reason=reason)


def stage_close(*, stage: Stage, by, reason: str = "") -> Stage:
    """Close scoring: reviews can no longer change. Side effects: a StageEvent."""
    return services.stage_close(kit=KIT, stage=stage, by=by, reason=reason)


def declaration_refusal(
    stage: Stage, proposal: Proposal, user, *, has_conflict: bool = True
) -> str | None:
    """Why ``user`` may not declare for ``proposal`` on ``stage`` now, or None (see
    reviewing.services.declaration_refusal)."""
    return services.declaration_refusal(
        kit=KIT, stage=stage, subject=proposal, user=user, has_conflict=has_conflict
    )


def conflict_declare(
    *, proposal: Proposal, stage: Stage, reviewer, has_conflict: bool, note: str = ""
) -> ConflictDeclaration:
    """A reviewer (or the round's chair) declares whether they have a 利害関係 with the
    proposal. Side effects: the ConflictDeclaration (with its history)."""
    return services.conflict_declare(
        kit=KIT,
        subject=proposal,
        stage=stage,
        reviewer=reviewer,
        has_conflict=has_conflict,
        note=note,
    )


def conflict_record(*, proposal: Proposal, reviewer, by, note: str) -> ConflictDeclaration:
    """Staff record a late conflict of interest of a reviewer or the chair. Side effects: the
    declaration (its history names the member of staff)."""
    return services.conflict_record(kit=KIT, subject=proposal, reviewer=reviewer, by=by, note=note)


def review_save(
    *,
    stage: Stage,
    proposal: Proposal,
    reviewer,
    points: dict[int, int | None],
    comments: dict[int, str] | None = None,
    overall_comment: str = "",
) -> Review:
    """Save the score sheet as a draft, with the version scored. Side effects: the Review
    (created with a ReviewEvent) and its Scores."""
    return services.review_save(
        kit=KIT,
        stage=stage,
        subject=proposal,
        reviewer=reviewer,
        points=points,
        comments=comments,
        overall_comment=overall_comment,
    )


def review_submit(*, review: Review, by) -> Review:
    """Submit the score sheet: every criterion must have points. Side effects: a ReviewEvent."""
    return services.review_submit(kit=KIT, review=review, by=by)


def review_reopen(*, review: Review, by) -> Review:
    """Re-open a submitted review to change it, while the stage is open."""
    return services.review_reopen(kit=KIT, review=review, by=by)


def reviews_reopen_for_new_version(*, proposal: Proposal, by=None) -> list:
    """A returned proposal was submitted again: its submitted reviews of open stages go back to
    draft. Returns their reviewers (to be told). Side effects: a ReviewEvent for each."""
    return services.reviews_reopen_for_new_version(kit=KIT, subject=proposal, by=by)
