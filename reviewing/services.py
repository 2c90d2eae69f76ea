"""Writes of the shared review: opening and closing stages, conflict-of-interest declarations
and the reviewers' score sheets, for any pillar (its models come in the ReviewKit). Every
status change has a history row (kyodo.workflow). Errors are the kit's domain error."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.workflow import transition
from reviewing import rules
from reviewing.enums import REVIEW_TRANSITIONS, STAGE_TRANSITIONS, ReviewStatus, StageStatus
from reviewing.kit import ReviewKit


def _require_staff(kit: ReviewKit, user) -> None:
    if not rules.can_manage_review(user):
        raise kit.fail(_("Only center staff can do this."))


def _move_stage(kit: ReviewKit, stage, to, *, by, reason="", extra_fields=None):
    return transition(
        instance=stage,
        to=to,
        transitions=STAGE_TRANSITIONS,
        history_model=kit.stage_event_model,
        history_fk="stage",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
    )


@transaction.atomic
def stage_open(*, kit: ReviewKit, stage, by, reason: str = ""):
    """Open a stage for scoring (or reopen a closed one). Side effects: a stage event."""
    _require_staff(kit, by)
    container = kit.container_of(stage)
    if container.decisions_released:
        raise kit.fail(kit.texts.released)
    if not kit.criteria(container).exists():
        raise kit.fail(kit.texts.no_criteria)
    return _move_stage(
        kit, stage, StageStatus.OPEN, by=by, reason=reason, extra_fields={"closed_at": None}
    )


@transaction.atomic
def stage_close(*, kit: ReviewKit, stage, by, reason: str = ""):
    """Close scoring: reviews can no longer change. Side effects: a stage event."""
    _require_staff(kit, by)
    return _move_stage(
        kit,
        stage,
        StageStatus.CLOSED,
        by=by,
        reason=reason,
        extra_fields={"closed_at": timezone.now()},
    )


# --- conflicts ------------------------------------------------------------------------------


def assignment_of(kit: ReviewKit, stage, reviewer):
    return kit.assignment_model.objects.filter(stage=stage, reviewer=reviewer).first()


def _assigned(kit: ReviewKit, stage, reviewer, subject) -> bool:
    """The reviewer's assignment covers the subject — and counts in this request: a right
    that comes from being named waits for two-factor log-in like a role does."""
    if not rules.acts_in_review(reviewer):
        return False
    assignment = assignment_of(kit, stage, reviewer)
    return assignment is not None and kit.is_assigned(assignment, subject)


def _require_assignment(kit: ReviewKit, stage, reviewer, subject) -> None:
    if not _assigned(kit, stage, reviewer, subject):
        raise kit.fail(kit.texts.not_assigned)


def _save_declaration(kit: ReviewKit, subject, reviewer, *, has_conflict: bool, note: str):
    # The subject's row is locked so that two declarations for it (a double click) wait for
    # each other instead of both inserting.
    kit.subject_model.objects.select_for_update().filter(pk=subject.pk).first()
    declaration = kit.declaration_model.objects.filter(
        **{kit.subject_field: subject}, reviewer=reviewer
    ).first()
    if declaration is None:
        return kit.declaration_model.objects.create(
            **{kit.subject_field: subject},
            reviewer=reviewer,
            has_conflict=has_conflict,
            note=note,
        )
    if not rules.declaration_change_allowed(
        had_conflict=declaration.has_conflict, has_conflict=has_conflict
    ):
        raise kit.fail(_("A declared conflict of interest cannot be withdrawn."))
    declaration.has_conflict, declaration.note = has_conflict, note or declaration.note
    declaration.save()
    return declaration


def declaration_refusal(
    *, kit: ReviewKit, stage, subject, user, has_conflict: bool = True
) -> str | None:
    """Why ``user`` may not declare for ``subject`` on ``stage`` now, or None.

    A declaration holds for every stage of the subject, so a conflict that would take a
    review out of a closed stage's results — or anything after the release — is refused:
    staff record such a late conflict with conflict_record. (Scoring needs a "no conflict"
    declaration first, so one who reviewed has already declared none.)"""
    container = kit.container_of(stage)
    if kit.container_id_of(subject) != kit.container_id_of(stage):
        return str(kit.texts.not_assigned)
    if container.decisions_released:
        return str(kit.texts.released)
    if stage.status == StageStatus.PREPARING:
        return _("This stage is not open yet.")
    if not _assigned(kit, stage, user, subject) and not rules.is_chair(user, container):
        return str(kit.texts.not_assigned)
    if (
        has_conflict
        and kit.review_model.objects.filter(
            **{kit.subject_field: subject}, reviewer=user, stage__status=StageStatus.CLOSED
        ).exists()
    ):
        return _("Scoring of this stage is closed: ask the center to record a late conflict.")
    return None


def _is_member(kit: ReviewKit, user, subject) -> bool:
    return rules.is_member_of_applicant(user, subject, organization_field=kit.organization_field)


@transaction.atomic
def conflict_declare(
    *, kit: ReviewKit, subject, stage, reviewer, has_conflict: bool, note: str = ""
):
    """A reviewer (or the chair) declares whether they have a 利害関係 with the subject, once
    the stage is opened and until the release (see declaration_refusal). A member of the
    applying organization is excluded anyway and cannot declare "none"; a declared conflict
    cannot be taken back. Side effects: the declaration (with its history)."""
    refusal = declaration_refusal(
        kit=kit, stage=stage, subject=subject, user=reviewer, has_conflict=has_conflict
    )
    if refusal:
        raise kit.fail(refusal)
    if not has_conflict and _is_member(kit, reviewer, subject):
        raise kit.fail(kit.texts.applicant_member)
    return _save_declaration(
        kit, subject, reviewer, has_conflict=has_conflict, note=(note or "").strip()
    )


@transaction.atomic
def conflict_record(*, kit: ReviewKit, subject, reviewer, by, note: str):
    """Staff record a conflict of interest of a reviewer or the chair that came to light late
    (also after a stage closed, until the decisions are released): their reviews of the
    subject stop counting and they no longer see its scores. Side effects: the declaration
    (its history names the member of staff)."""
    _require_staff(kit, by)
    note = (note or "").strip()
    if not note:
        raise kit.fail(_("Give a reason."))
    container = kit.container_of(subject)
    if container.decisions_released:
        raise kit.fail(kit.texts.released)
    if not kit.subject_in_review(subject):
        raise kit.fail(kit.texts.not_in_review)
    is_reviewer = kit.assignment_model.objects.filter(
        **{f"stage__{kit.container_field}": container}, reviewer=reviewer
    ).exists()
    if not (is_reviewer or rules.is_chair(reviewer, container)):
        raise kit.fail(kit.texts.only_panel_recorded)
    return _save_declaration(kit, subject, reviewer, has_conflict=True, note=note)


# --- score sheets -----------------------------------------------------------------------------


def _review_allowed(kit: ReviewKit, stage, subject, reviewer) -> None:
    if stage.status != StageStatus.OPEN:
        raise kit.fail(_("Scoring of this stage is closed."))
    _require_assignment(kit, stage, reviewer, subject)
    if _is_member(kit, reviewer, subject):
        raise kit.fail(kit.texts.applicant_member)
    declaration = kit.declaration_model.objects.filter(
        **{kit.subject_field: subject}, reviewer=reviewer
    ).first()
    if declaration is None:
        raise kit.fail(_("Declare whether you have a conflict of interest first."))
    if declaration.has_conflict:
        raise kit.fail(_("You declared a conflict of interest and do not score it."))


def _move_review(kit: ReviewKit, review, to, *, by, extra_fields=None, reason=""):
    return transition(
        instance=review,
        to=to,
        transitions=REVIEW_TRANSITIONS,
        history_model=kit.review_event_model,
        history_fk="review",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
    )


@transaction.atomic
def review_save(
    *,
    kit: ReviewKit,
    stage,
    subject,
    reviewer,
    points: dict[int, int | None],
    comments: dict[int, str] | None = None,
    overall_comment: str = "",
):
    """Save the score sheet as a draft. ``points`` maps criterion id → 0..max or None.
    Side effects: the review (created with a review event) and its scores."""
    _review_allowed(kit, stage, subject, reviewer)
    container = kit.container_of(stage)
    criteria = {c.pk: c for c in kit.criteria(container)}
    comments = comments or {}
    for criterion_id, value in points.items():
        if criterion_id not in criteria:
            raise kit.fail(_("Unknown criterion."))
        if value is not None and not 0 <= value <= container.max_points:
            raise kit.fail(
                _("Give each criterion from 0 to %(max)s points.") % {"max": container.max_points}
            )
    review, created = kit.review_model.objects.select_for_update().get_or_create(
        stage=stage, **{kit.subject_field: subject}, reviewer=reviewer
    )
    if created:
        kit.review_event_model.objects.create(
            review=review, old_status="", new_status=ReviewStatus.DRAFT, changed_by=reviewer
        )
    elif review.status != ReviewStatus.DRAFT:
        raise kit.fail(_("This review is submitted. Re-open it to change it."))
    review.overall_comment = (overall_comment or "").strip()
    for name, value in (kit.review_fields(subject) if kit.review_fields else {}).items():
        setattr(review, name, value)
    review.save()
    existing = {s.criterion_id: s for s in review.scores.all()}
    for criterion_id in criteria:
        if criterion_id not in points and criterion_id not in comments:
            continue
        score = existing.get(criterion_id) or kit.score_model(
            review=review, criterion_id=criterion_id
        )
        if criterion_id in points:
            score.points = points[criterion_id]
        if criterion_id in comments:
            score.comment = (comments[criterion_id] or "").strip()
        score.save()
    return review


@transaction.atomic
def review_submit(*, kit: ReviewKit, review, by):
    """Submit the score sheet: every criterion must have points. Side effects: a review
    event."""
    if by.pk != review.reviewer_id:
        raise kit.fail(_("Only the reviewer can submit this review."))
    subject = getattr(review, kit.subject_field)
    _review_allowed(kit, review.stage, subject, by)
    criteria = set(kit.criteria(kit.container_of(review.stage)).values_list("pk", flat=True))
    scored = set(review.scores.filter(points__isnull=False).values_list("criterion_id", flat=True))
    if criteria - scored:
        raise kit.fail(
            _("Give points for every criterion (%(n)s missing).") % {"n": len(criteria - scored)}
        )
    return _move_review(
        kit, review, ReviewStatus.SUBMITTED, by=by, extra_fields={"submitted_at": timezone.now()}
    )


@transaction.atomic
def review_reopen(*, kit: ReviewKit, review, by):
    """Re-open a submitted review to change it, while the stage is open."""
    if by.pk != review.reviewer_id:
        raise kit.fail(_("Only the reviewer can re-open this review."))
    _review_allowed(kit, review.stage, getattr(review, kit.subject_field), by)
    return _move_review(kit, review, ReviewStatus.DRAFT, by=by, extra_fields={"submitted_at": None})


def reviews_reopen_for_new_version(*, kit: ReviewKit, subject, by=None) -> list:
    """The subject was submitted again in a new version: the submitted reviews of its open
    stages were of the earlier one, so they go back to draft for the reviewers to look again.
    Returns their reviewers (to be told). Side effects: a review event for each, with the
    reason."""
    reopened = []
    for review in kit.review_model.objects.filter(
        **{kit.subject_field: subject},
        status=ReviewStatus.SUBMITTED,
        stage__status=StageStatus.OPEN,
    ).select_related("stage"):
        _move_review(
            kit,
            review,
            ReviewStatus.DRAFT,
            by=by,
            extra_fields={"submitted_at": None},
            reason=str(kit.texts.new_version),
        )
        reopened.append(review.reviewer)
    return reopened
