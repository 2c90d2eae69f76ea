"""The arithmetic of the score sheets, kept apart from the database so it can be read and
tested on its own.

A review's total is converted to 100: the sum of points × weight over the sum of
(the round's maximum points) × weight. A proposal's result in a stage is the mean and the
median of the totals of its submitted reviews by reviewers without a conflict of interest,
with their spread; reviews missing and conflicts are counted beside it.
"""

import statistics
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

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
class ProposalResult:
    """A proposal's line on the dashboard."""

    proposal: object
    totals: list[Decimal] = field(default_factory=list)
    missing: int = 0
    conflicts: int = 0
    drafts: int = 0
    rank: int | None = None
    hidden: bool = False  # the viewer may not see the numbers
    hidden_because: str = ""  # "conflict", "undeclared" or "own_pending"
    reopened: int = 0  # reviews their reviewer re-opened after submitting
    presentation: object = None

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


def rank(results: list[ProposalResult]) -> list[ProposalResult]:
    """Sort by mean (highest first) and give competition ranks (1, 2, 2, 4); proposals
    without a submitted review come last, unranked."""
    # Ranked on the mean as shown (one decimal): equal-looking means share a place.
    scored = sorted(
        (r for r in results if r.mean is not None),
        key=lambda r: (-rounded(r.mean), getattr(r.proposal, "number", 0) or 0),
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
