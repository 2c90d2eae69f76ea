"""The shared arithmetic, as pure functions and at its boundaries: the weighted total out of
100, missing scores, ties and rounding in the ranking, the adoption line, and the stage's
aggregation — which reviews count (conflicted reviewers never do), what is missing, what a
viewer may not see. No database, no pillar: plain values in, results out."""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from reviewing.enums import ReviewStatus
from reviewing.scoring import (
    ReviewLine,
    SubjectResult,
    aggregate,
    rank,
    rounded,
    running_total,
    weighted_total,
)

SUBMITTED, DRAFT = ReviewStatus.SUBMITTED, ReviewStatus.DRAFT


@dataclass(frozen=True)
class Subject:
    pk: int
    number: int = 0


def results_by_pk(results):
    return {r.subject.pk: r for r in results}


# --- a review's total -------------------------------------------------------------------------


def test_the_total_is_points_times_weight_over_the_most_possible():
    weights = {1: Decimal(3), 2: Decimal(1)}
    # (4×3 + 1×1) / (5×3 + 5×1) × 100 = 13/20 × 100 = 65
    assert weighted_total({1: 4, 2: 1}, weights, 5) == 65


@pytest.mark.parametrize(
    ("points", "expected"), [({1: 0, 2: 0}, 0), ({1: 10, 2: 10}, 100), ({1: 10, 2: 0}, 50)]
)
def test_the_total_runs_from_0_to_100(points, expected):
    assert weighted_total(points, {1: Decimal(1), 2: Decimal(1)}, 10) == expected


def test_a_missing_or_unscored_criterion_leaves_no_total():
    weights = {1: Decimal(1), 2: Decimal(1)}
    assert weighted_total({1: 5}, weights, 5) is None
    assert weighted_total({1: 5, 2: None}, weights, 5) is None
    assert weighted_total({}, {}, 5) is None  # no criteria: nothing to total


def test_points_for_a_criterion_not_of_the_call_do_not_count():
    assert weighted_total({1: 5, 99: 0}, {1: Decimal(1)}, 5) == 100


def test_the_running_total_counts_unscored_criteria_as_zero():
    weights = {1: Decimal(1), 2: Decimal(1), 3: Decimal(2)}
    assert running_total({1: 5, 2: None}, weights, 5) == 25
    assert running_total({}, weights, 5) == 0


def test_weights_below_one_scale_alike():
    # Halving every weight changes nothing: only their proportions matter.
    full = weighted_total({1: 3, 2: 4}, {1: Decimal(2), 2: Decimal(1)}, 5)
    half = weighted_total({1: 3, 2: 4}, {1: Decimal(1), 2: Decimal("0.5")}, 5)
    assert full == half


# --- a subject's result, the line and the ranks ----------------------------------------------


def test_rounding_is_half_up_to_one_decimal():
    assert rounded(Decimal("49.95")) == Decimal("50.0")
    assert rounded(Decimal("49.949")) == Decimal("49.9")
    assert rounded(None) is None


def test_the_line_is_compared_as_shown():
    assert SubjectResult(subject=None, totals=[Decimal("49.95")]).above_line(Decimal(50))
    assert not SubjectResult(subject=None, totals=[Decimal("49.94")]).above_line(Decimal(50))
    assert SubjectResult(subject=None).above_line(Decimal(50)) is None


def test_an_unscored_result_has_no_figures():
    result = SubjectResult(subject=None)
    assert (result.count, result.mean, result.median, result.spread, result.stdev) == (
        0,
        None,
        None,
        None,
        None,
    )
    assert SubjectResult(subject=None, totals=[Decimal(70)]).stdev is None  # one review


def test_equal_means_as_shown_share_a_rank_and_the_next_rank_is_skipped():
    a, b, c, d, e = (SubjectResult(subject=Subject(n, number=n)) for n in range(1, 6))
    a.totals = [Decimal("70.04")]
    b.totals = [Decimal("80")]
    c.totals = [Decimal("69.96")]  # shows 70.0, like a
    d.totals = [Decimal("60")]
    ranked = rank([a, b, c, d, e])
    assert [(r.subject.pk, r.rank) for r in ranked] == [(2, 1), (1, 2), (3, 2), (4, 4), (5, None)]


def test_ties_are_listed_by_number_unless_the_pillar_orders_otherwise():
    first, second = (
        SubjectResult(subject=Subject(1, number=9)),
        SubjectResult(subject=Subject(2, number=3)),
    )
    first.totals = second.totals = [Decimal(50)]
    assert [r.subject.pk for r in rank([first, second])] == [2, 1]
    by_pk = rank([first, second], tiebreak=lambda subject: subject.pk)
    assert [r.subject.pk for r in by_pk] == [1, 2]
    assert {r.rank for r in by_pk} == {1}


# --- the stage's aggregation ----------------------------------------------------------------

WEIGHTS = {10: Decimal(1), 11: Decimal(1)}


def stage(*, reviews, conflicts=(), members=(), cleared=(), assigned=(7, 8, 9), **kwargs):
    """Two subjects, reviewers 7, 8 and 9 assigned to both; ``conflicts`` are declared
    (reviewer, subject) pairs, ``members`` reviewers who belong to subject 1's applicant."""
    subjects = [Subject(1, number=1), Subject(2, number=2)]
    lines, points_of = [], {}
    for pk, (subject_id, reviewer_id, status, points) in enumerate(reviews, start=100):
        lines.append(ReviewLine(pk, subject_id, reviewer_id, status))
        points_of[pk] = dict(zip(WEIGHTS, points, strict=False))

    def conflicted(user_id, subject):
        return (user_id, subject.pk) in set(conflicts) or (
            subject.pk == 1 and user_id in set(members)
        )

    return results_by_pk(
        aggregate(
            subjects=subjects,
            reviews=lines,
            points_of=points_of,
            weights=WEIGHTS,
            max_points=5,
            assigned=lambda subject: set(assigned),
            conflicted=conflicted,
            cleared=set(cleared),
            **kwargs,
        )
    )


def test_submitted_reviews_give_mean_and_median():
    results = stage(
        reviews=[(1, 7, SUBMITTED, (5, 5)), (1, 8, SUBMITTED, (3, 3)), (1, 9, SUBMITTED, (1, 1))]
    )
    assert results[1].totals == [100, 60, 20]
    assert (results[1].mean, results[1].median, results[1].missing) == (60, 60, 0)
    assert results[1].rank == 1
    assert results[2].missing == 3 and results[2].rank is None


def test_a_conflicted_reviewers_review_never_counts_nor_is_missing():
    results = stage(
        reviews=[(1, 7, SUBMITTED, (5, 5)), (1, 8, SUBMITTED, (1, 1))],
        conflicts=[(8, 1)],
    )
    assert results[1].totals == [100]
    assert results[1].conflicts == 1
    assert results[1].missing == 1  # reviewer 9; 8 is out, not missing
    assert results[2].conflicts == 0  # a declaration is per subject


def test_a_member_of_the_applicant_is_excluded_like_a_declared_conflict():
    results = stage(reviews=[(1, 9, SUBMITTED, (0, 0))], members=[9])
    assert results[1].totals == []
    assert (results[1].conflicts, results[1].missing) == (1, 2)


def test_drafts_and_incomplete_sheets_are_not_scores():
    results = stage(
        reviews=[(1, 7, DRAFT, (5, 5)), (1, 8, SUBMITTED, (5,)), (1, 9, SUBMITTED, (2, 3))],
        conflicts=[],
    )
    assert results[1].totals == [50]
    assert results[1].drafts == 1
    assert results[1].missing == 2  # the draft and the sheet missing a criterion


def test_a_conflicted_reviewers_draft_is_not_counted_as_a_draft():
    results = stage(reviews=[(1, 7, DRAFT, (5, 5))], conflicts=[(7, 1)])
    assert results[1].drafts == 0


def test_reopened_reviews_are_shown_per_subject():
    results = stage(reviews=[], reopened={2: 3})
    assert (results[1].reopened, results[2].reopened) == (0, 3)


def test_staff_see_every_row():
    results = stage(reviews=[(1, 7, SUBMITTED, (5, 5))], viewer_id=50, viewer_sees_all=True)
    assert not any(r.hidden for r in results.values())


def test_a_viewer_sees_nothing_of_a_subject_they_are_conflicted_with():
    results = stage(
        reviews=[(1, 7, SUBMITTED, (5, 5)), (2, 7, SUBMITTED, (4, 4))],
        conflicts=[(7, 1)],
        cleared=[(7, 2)],
        viewer_id=7,
        viewer_sees_all=False,
    )
    assert results[1].hidden and results[1].hidden_because == "conflict"
    assert results[1].rank is None
    assert not results[2].hidden and results[2].rank == 1


def test_a_viewer_who_has_not_declared_sees_nothing():
    results = stage(reviews=[(1, 8, SUBMITTED, (5, 5))], viewer_id=50, viewer_sees_all=False)
    assert results[1].hidden_because == "undeclared"


def test_a_reviewer_sees_the_others_only_after_submitting_their_own_when_the_call_says_so():
    reviews = [(1, 8, SUBMITTED, (5, 5)), (1, 7, DRAFT, (1, 1))]
    common = {"cleared": [(7, 1)], "viewer_id": 7, "viewer_sees_all": False}
    hidden = stage(reviews=reviews, hide_until_submitted=True, **common)
    assert hidden[1].hidden_because == "own_pending"
    shown = stage(reviews=reviews, hide_until_submitted=False, **common)
    assert not shown[1].hidden and shown[1].totals == [100]


def test_hidden_rows_come_last_and_leave_the_ranks_to_the_others():
    results = aggregate(
        subjects=[Subject(1, number=1), Subject(2, number=2)],
        reviews=[ReviewLine(1, 1, 8, SUBMITTED), ReviewLine(2, 2, 8, SUBMITTED)],
        points_of={1: {10: 5, 11: 5}, 2: {10: 1, 11: 1}},
        weights=WEIGHTS,
        max_points=5,
        assigned=lambda subject: {8},
        conflicted=lambda user_id, subject: user_id == 7 and subject.pk == 1,
        cleared={(7, 2)},
        viewer_id=7,
        viewer_sees_all=False,
        hide_until_submitted=False,
    )
    assert [(r.subject.pk, r.rank, r.hidden) for r in results] == [(2, 1, False), (1, None, True)]


def test_a_pillar_makes_its_own_result_lines():
    class Line(SubjectResult):
        pass

    results = aggregate(
        subjects=[Subject(1)],
        reviews=[],
        points_of={},
        weights=WEIGHTS,
        max_points=5,
        assigned=lambda subject: set(),
        conflicted=lambda user_id, subject: False,
        make_result=Line,
    )
    assert isinstance(results[0], Line)
