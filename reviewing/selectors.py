"""Reads of the shared review, for any pillar (its models come in the ReviewKit). The stage's
results read everything in a fixed number of queries, whatever the number of subjects and
reviews, and hand plain values to reviewing.scoring.aggregate."""

from collections import defaultdict

from django.db.models import Count, F, Prefetch

from accounts.rules import is_center_staff
from organizations.models import Membership
from reviewing import scoring
from reviewing.enums import ReviewStatus
from reviewing.kit import ReviewKit


def member_pairs(user_ids, organization_ids) -> set[tuple[int, int]]:
    """(user id, organization id) of every membership among them: the automatic exclusions."""
    return set(
        Membership.objects.filter(
            user_id__in=user_ids, organization_id__in=organization_ids
        ).values_list("user_id", "organization_id")
    )


def criteria_of(kit: ReviewKit, container) -> list:
    return list(kit.criteria(container).order_by("order", "pk"))


def weights_of(criteria) -> dict:
    return {c.pk: c.weight for c in criteria}


def review_total(review, criteria, max_points: int):
    """The review's total out of 100 (None while incomplete); reads prefetched scores."""
    points = {s.criterion_id: s.points for s in review.scores.all()}
    return scoring.weighted_total(points, weights_of(criteria), max_points)


def is_conflicted(kit: ReviewKit, user, subject) -> bool:
    """A member of the applicant, or a declared conflict."""
    if Membership.objects.filter(
        user=user, organization_id=kit.organization_id_of(subject)
    ).exists():
        return True
    return kit.declaration_model.objects.filter(
        **{kit.subject_field: subject}, reviewer=user, has_conflict=True
    ).exists()


def may_see_others(kit: ReviewKit, user, stage, subject, own_review) -> bool:
    """Others' scores of the subject are shown only to a reviewer who has declared no
    conflict of interest (and is no member of the applicant); with the container's setting
    on, only once their own review is submitted."""
    if is_conflicted(kit, user, subject):
        return False
    if not kit.declaration_model.objects.filter(
        **{kit.subject_field: subject}, reviewer=user, has_conflict=False
    ).exists():
        return False
    if not kit.container_of(stage).hide_scores_until_submitted:
        return True
    return own_review is not None and own_review.status == ReviewStatus.SUBMITTED


def others_reviews(kit: ReviewKit, stage, subject, user):
    """The submitted reviews of the other reviewers without a conflict, with their scores."""
    conflicted = set(
        kit.declaration_model.objects.filter(
            **{kit.subject_field: subject}, has_conflict=True
        ).values_list("reviewer_id", flat=True)
    ) | set(
        Membership.objects.filter(organization_id=kit.organization_id_of(subject)).values_list(
            "user_id", flat=True
        )
    )
    return (
        kit.review_model.objects.filter(
            stage=stage, **{kit.subject_field: subject}, status=ReviewStatus.SUBMITTED
        )
        .exclude(reviewer=user)
        .exclude(reviewer_id__in=conflicted)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
        .order_by("reviewer__family_name_kana", "pk")
    )


def stage_results(
    kit: ReviewKit, stage, subjects, viewer, *, make_result=scoring.SubjectResult
) -> list[scoring.SubjectResult]:
    """Every subject of the stage (``subjects``, in list order, read by the caller) with the
    totals of its reviews, ranked (reviewing.scoring.aggregate says what counts and what a
    viewer may not see; staff see everything)."""
    container = kit.container_of(stage)
    weights = weights_of(criteria_of(kit, container))
    subjects = list(subjects)
    ids = [s.pk for s in subjects]
    subject_field, all_field = kit.subject_field, kit.assignment_all_field
    assignments = list(
        kit.assignment_model.objects.filter(stage=stage).prefetch_related(
            Prefetch(kit.assignment_subjects_field, queryset=kit.subject_model.objects.only("pk"))
        )
    )
    reviews = [
        scoring.ReviewLine(*row)
        for row in kit.review_model.objects.filter(stage=stage, **{f"{subject_field}_id__in": ids})
        .order_by("pk")
        .values_list("pk", f"{subject_field}_id", "reviewer_id", "status")
    ]
    # The points as plain tuples, unordered: a stage of 500 subjects has 25,000 scores, and a
    # model object per score (sorted by the score's Meta.ordering through the criterion) cost
    # more than everything else on the dashboard.
    points_of = defaultdict(dict)
    for review_id, criterion_id, points in (
        kit.score_model.objects.filter(review__stage=stage)
        .order_by()
        .values_list("review_id", "criterion_id", "points")
    ):
        points_of[review_id][criterion_id] = points
    declarations = list(
        kit.declaration_model.objects.filter(**{f"{subject_field}_id__in": ids}).values_list(
            "reviewer_id", f"{subject_field}_id", "has_conflict"
        )
    )
    declared = {(user_id, pk) for user_id, pk, conflict in declarations if conflict}
    cleared = {(user_id, pk) for user_id, pk, conflict in declarations if not conflict}
    # Reviews sent back to draft by their reviewer after submitting (the hidden scores of the
    # others may have been seen by then): shown on the dashboard for transparency.
    reopened = dict(
        kit.review_event_model.objects.filter(
            review__stage=stage,
            old_status=ReviewStatus.SUBMITTED,
            new_status=ReviewStatus.DRAFT,
            changed_by_id=F("review__reviewer_id"),
        )
        .values(f"review__{subject_field}_id")
        .annotate(n=Count("pk"))
        .values_list(f"review__{subject_field}_id", "n")
    )
    reviewer_ids = {a.reviewer_id for a in assignments} | {r.reviewer_id for r in reviews}
    viewer_id = getattr(viewer, "pk", None)
    members = member_pairs(
        reviewer_ids | {viewer_id}, {kit.organization_id_of(s) for s in subjects}
    )

    def assigned(subject) -> set:
        return {
            a.reviewer_id
            for a in assignments
            if getattr(a, all_field)
            or any(s.pk == subject.pk for s in getattr(a, kit.assignment_subjects_field).all())
        }

    def conflicted(user_id, subject) -> bool:
        return (user_id, subject.pk) in declared or (
            user_id,
            kit.organization_id_of(subject),
        ) in members

    return scoring.aggregate(
        subjects=subjects,
        reviews=reviews,
        points_of=points_of,
        weights=weights,
        max_points=container.max_points,
        assigned=assigned,
        conflicted=conflicted,
        cleared=cleared,
        reopened=reopened,
        viewer_id=viewer_id,
        viewer_sees_all=is_center_staff(viewer),
        hide_until_submitted=container.hide_scores_until_submitted,
        make_result=make_result,
    )
