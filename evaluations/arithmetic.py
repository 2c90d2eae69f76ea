"""The arithmetic of the 協働事業評価, as pure functions (no database): the mean of a side's
scores, the council's mean per item, the weighted total out of 100 over the sides that have
scored, and the rate at which a target was reached.

Rounding happens here once (half up, to one decimal for percentages and totals, two for
means), so the page, the PDF and the public report show the same figures."""

import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

SIDES = ("self", "department", "council")
DEFAULT_WEIGHTS = {"self": 20, "department": 20, "council": 60}
MIN_POINTS = 1
MAX_POINTS = 5
COMMENT_REQUIRED_UP_TO = 2  # a score of 1 or 2 needs a written reason

_MEAN = Decimal("0.01")
_PERCENT = Decimal("0.1")


def _round(value: Decimal, places: Decimal) -> Decimal:
    return value.quantize(places, rounding=ROUND_HALF_UP)


def mean(values: Iterable) -> Decimal | None:
    """The mean of the values given (None left out), to two decimals; None when there are none."""
    present = [Decimal(v) for v in values if v is not None]
    if not present:
        return None
    return _round(sum(present, Decimal(0)) / len(present), _MEAN)


def comment_required(points: int | None) -> bool:
    return points is not None and points <= COMMENT_REQUIRED_UP_TO


def item_means(sheets: Iterable[Mapping[int, int | None]]) -> dict[int, Decimal | None]:
    """Per item, the mean of the sheets' points (the council's members, each sheet a mapping
    item → points). An item nobody scored maps to None."""
    collected: dict[int, list] = {}
    for sheet in sheets:
        for item, points in sheet.items():
            collected.setdefault(item, []).append(points)
    return {item: mean(points) for item, points in collected.items()}


def side_mean(points: Mapping[int, int | Decimal | None]) -> Decimal | None:
    """A side's score: the mean over the items it scored."""
    return mean(points.values())


@dataclass(frozen=True)
class WeightedTotal:
    value: Decimal | None  # out of 100; None when no side with a weight has scored
    missing: tuple[str, ...]  # sides with a weight that have not scored

    @property
    def complete(self) -> bool:
        return self.value is not None and not self.missing


def weighted_total(
    side_means: Mapping[str, Decimal | None],
    weights: Mapping[str, int] = DEFAULT_WEIGHTS,
    *,
    max_points: int = MAX_POINTS,
) -> WeightedTotal:
    """Σ weight × mean over the sides that scored, divided by their weights, as a share of
    ``max_points`` out of 100. A side missing is left out and its weight shared among the
    others (the total says which are missing); a side with weight 0 never counts."""
    weighted = [
        (Decimal(weights[side]), side_means.get(side)) for side in SIDES if weights.get(side, 0) > 0
    ]
    missing = tuple(
        side for side in SIDES if weights.get(side, 0) > 0 and side_means.get(side) is None
    )
    present = [(w, m) for w, m in weighted if m is not None]
    total_weight = sum((w for w, _ in present), Decimal(0))
    if not present or total_weight == 0:
        return WeightedTotal(None, missing)
    value = sum((w * m for w, m in present), Decimal(0)) / total_weight / max_points * 100
    return WeightedTotal(_round(value, _PERCENT), missing)


def same_unit(a: str | None, b: str | None) -> bool:
    """Units written alike (full- and half-width, spaces and case do not matter: 人 = 人,
    ％ = %)."""
    return (
        unicodedata.normalize("NFKC", (a or "")).strip().casefold()
        == unicodedata.normalize("NFKC", (b or "")).strip().casefold()
    )


def rate_reached(
    target: Decimal | int | None,
    result: Decimal | int | None,
    *,
    target_unit: str = "",
    result_unit: str | None = None,
) -> Decimal | None:
    """The result as a percentage of the target (one decimal; above 100 when exceeded). None
    when either is missing, the target is 0 (no rate can be given: the page shows the
    values) or the result was counted in another unit than the target."""
    if target is None or result is None:
        return None
    if result_unit is not None and not same_unit(target_unit, result_unit):
        return None
    target, result = Decimal(target), Decimal(result)
    if target <= 0 or result < 0:
        return None
    return _round(result / target * 100, _PERCENT)


def bar_width(value: Decimal | None, scale: Decimal | int = 100) -> int:
    """A bar's length in whole percent of the chart (0–100), for a value on ``scale``."""
    if value is None or not scale:
        return 0
    share = Decimal(value) / Decimal(scale) * 100
    return int(max(Decimal(0), min(Decimal(100), share)).to_integral_value(ROUND_HALF_UP))
