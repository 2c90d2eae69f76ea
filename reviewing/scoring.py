"""The arithmetic of the score sheets and of a stage's results, kept apart from the database
so it can be read and tested on its own.

A review's total is converted to 100: the sum of points × weight over the sum of
(the container's maximum points) × weight. A subject's result in a stage is the mean and the
median of the totals of its submitted reviews by reviewers without a conflict of interest,
with their spread; reviews missing and conflicts are counted beside it.
"""

import statistics
from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from reviewing.enums import ReviewStatus

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")


def weighted_total(points: dict[int, int | None], weights: dict[int, Decimal], max_points: int):
    """The review's total out of 100, or None while any criterion is unscored.

    ``points`` maps criterion id → points, ``weights`` criterion id → weight."""
    if not weights:
        return None
    if any(points.get(criterion) is None for criterion in weights):
        return None
    earned = sum(Decimal(points[criterion]) * weight for criterion, weight in weights.items())
    possible = sum(Decimal(max_points) * weight for weight in weights.values())
    return earned / possible * HUNDRED


def running_total(points: dict[int, int | None], weights: dict[int, Decimal], max_points: int):
    """What the score sheet shows while the reviewer types: the points given so far, out of
    100, counting unscored criteria as 0."""
    filled = {criterion: points.get(criterion) or 0 for criterion in weights}
    return weighted_total(filled, weights, max_points)


def rounded(value: Decimal | None) -> Decimal | None:
    return None if value is None else value.quantize(ONE_PLACE, rounding=ROUND_HALF_UP)


@dataclass
class SubjectResult:
    """A subject's line on the dashboard (a proposal's, an application's)."""

    subject: object
    totals: list[Decimal] = field(default_factory=list)
    missing: int = 0
    conflicts: int = 0
    drafts: int = 0
    rank: int | None = None
    hidden: bool = False  # the viewer may not see the numbers
    hidden_because: str = ""  # "conflict", "undeclared" or "own_pending"
    reopened: int = 0  # reviews their reviewer re-opened after submitting

    @property
    def count(self) -> int:
        return len(self.totals)

    @property
    def mean(self):
        return sum(self.totals) / len(self.totals) if self.totals else None

    @property
    def median(self):
        return statistics.median(self.totals) if self.totals else None

    @property
    def lowest(self):
        return min(self.totals) if self.totals else None

    @property
    def highest(self):
        return max(self.totals) if self.totals else None

    @property
    def spread(self):
        """Highest minus lowest total: how far the reviewers are apart."""
        return self.highest - self.lowest if self.totals else None

    @property
    def stdev(self):
        return statistics.pstdev(self.totals) if len(self.totals) > 1 else None

    def above_line(self, line: Decimal) -> bool | None:
        """Whether the mean reaches the line — compared as shown (one decimal), so a mean
        displayed as 50.0 is never "below 50"."""
        mean = rounded(self.mean)
        return None if mean is None else mean >= line


def subject_number(subject) -> int:
    """The tie-break among equal means: the subject's number (order of submission)."""
    return getattr(subject, "number", 0) or 0


def rank(results: list[SubjectResult], *, tiebreak=subject_number) -> list[SubjectResult]:
    """Sort by mean (highest first) and give competition ranks (1, 2, 2, 4); subjects
    without a submitted review come last, unranked."""
    # Ranked on the mean as shown (one decimal): equal-looking means share a place.
    scored = sorted(
        (r for r in results if r.mean is not None),
        key=lambda r: (-rounded(r.mean), tiebreak(r.subject)),
    )
    previous, position = None, 0
    for index, result in enumerate(scored, start=1):
        if rounded(result.mean) != previous:
            position, previous = index, rounded(result.mean)
        result.rank = position
    unscored = [r for r in results if r.mean is None]
    for result in unscored:
        result.rank = None
    return scored + unscored


class ReviewLine(NamedTuple):
    """A review as the aggregation reads it (values from the database, no model object)."""

    pk: int
    subject_id: int
    reviewer_id: int
    status: str


def aggregate(
    *,
    subjects: Iterable,
    reviews: Iterable[ReviewLine],
    points_of: Mapping[int, Mapping[int, int | None]],
    weights: dict[int, Decimal],
    max_points: int,
    assigned: Callable[[object], set],
    conflicted: Callable[[int, object], bool],
    cleared: set[tuple[int, int]] = frozenset(),
    reopened: Mapping[int, int] | None = None,
    viewer_id: int | None = None,
    viewer_sees_all: bool = True,
    hide_until_submitted: bool = True,
    make_result: Callable[[object], SubjectResult] = SubjectResult,
    tiebreak=subject_number,
) -> list[SubjectResult]:
    """Every subject of a stage with the totals of its reviews, ranked; the rows the viewer
    may not see come last, unranked and marked hidden.

    - ``reviews``: every review of the stage; ``points_of``: review id → criterion id → points.
    - ``assigned(subject)``: the ids of the reviewers assigned to it.
    - ``conflicted(reviewer_id, subject)``: a declared conflict or an automatic exclusion
      (a member of the applicant). A conflicted reviewer's review never counts, draft or not.
    - ``cleared``: (reviewer id, subject id) of the "no conflict" declarations.
    - A reviewer assigned and not conflicted whose submitted review is not counted is
      ``missing``; drafts of reviewers without a conflict are ``drafts``.
    - Unless ``viewer_sees_all`` (staff), a row is hidden from a viewer who has a conflict
      with the subject, has not declared "no conflict", or (with ``hide_until_submitted``) is
      assigned to it and has not submitted their own review."""
    reopened = reopened or {}
    reviews_by_subject = defaultdict(list)
    for review in reviews:
        reviews_by_subject[review.subject_id].append(review)
    results = []
    for subject in subjects:
        reviewers = assigned(subject)
        result = make_result(subject)
        submitted = set()
        for review in reviews_by_subject[subject.pk]:
            if conflicted(review.reviewer_id, subject):
                continue
            if review.status != ReviewStatus.SUBMITTED:
                result.drafts += 1
                continue
            total = weighted_total(points_of.get(review.pk, {}), weights, max_points)
            if total is not None:
                result.totals.append(total)
                submitted.add(review.reviewer_id)
        result.reopened = reopened.get(subject.pk, 0)
        result.conflicts = sum(1 for user_id in reviewers if conflicted(user_id, subject))
        result.missing = sum(
            1
            for user_id in reviewers
            if not conflicted(user_id, subject) and user_id not in submitted
        )
        if not viewer_sees_all:
            viewer_conflicted = conflicted(viewer_id, subject)
            own_pending = (
                viewer_id in reviewers and hide_until_submitted and viewer_id not in submitted
            )
            undeclared = (viewer_id, subject.pk) not in cleared
            result.hidden = viewer_conflicted or own_pending or undeclared
            result.hidden_because = (
                "conflict"
                if viewer_conflicted
                else "undeclared"
                if undeclared
                else "own_pending"
                if own_pending
                else ""
            )
        results.append(result)
    ranked = rank([r for r in results if not r.hidden], tiebreak=tiebreak)
    return ranked + [r for r in results if r.hidden]
