"""The subsidy's arithmetic, as pure functions of integers and fractions (DESIGN.md: money is
integer yen, computed in one place, with boundary tests).

Every figure is integer yen. A rate is a ``Fraction`` (1/2, 2/3): multiplying by it is exact,
and the result is rounded down — first to the yen, then to the programme's rounding unit — so
that the ward never pays a yen more than its rules allow. The programme's figures (rate, cap,
unit, per-item caps) are data staff edit per 年度; these functions take them as arguments and
know no defaults.
"""

from dataclasses import dataclass, field
from fractions import Fraction
from math import floor


class OverCap(ValueError):
    """An amount above the programme's cap was asked for (a change, a decision)."""


@dataclass(frozen=True)
class Terms:
    """The programme's figures the arithmetic needs."""

    rate: Fraction
    cap: int
    unit: int = 1000

    def __post_init__(self):
        if not (0 < self.rate <= 1):
            raise ValueError("the rate must be above 0 and at most 1")
        if self.cap < 0 or self.unit < 1:
            raise ValueError("the cap must not be negative and the unit at least 1 yen")


@dataclass(frozen=True)
class CostLine:
    """One line of a 収支予算書 or 収支決算書 as the arithmetic sees it: quantity × unit price,
    the category's eligibility and its cap per unit (講師謝礼: at most ¥30,000 per person)."""

    quantity: int
    unit_price: int
    eligible: bool = True
    unit_cap: int | None = None

    def __post_init__(self):
        if self.quantity < 0 or self.unit_price < 0:
            raise ValueError("quantity and unit price must not be negative")
        if self.unit_cap is not None and self.unit_cap < 0:
            raise ValueError("a cap must not be negative")


def round_down(amount: int, unit: int) -> int:
    """round_down(150_999, 1000) == 150_000; amounts below one unit give 0."""
    if unit < 1:
        raise ValueError("the unit must be at least 1 yen")
    return (amount // unit) * unit


def line_total(line: CostLine) -> int:
    """What the line costs: quantity × unit price."""
    return line.quantity * line.unit_price


def line_eligible(line: CostLine) -> int:
    """The part of the line the subsidy may count: nothing for an ineligible category; a unit
    price above the category's cap counts only up to the cap."""
    if not line.eligible:
        return 0
    price = line.unit_price if line.unit_cap is None else min(line.unit_price, line.unit_cap)
    return line.quantity * price


def eligible_total(lines) -> int:
    return sum(line_eligible(line) for line in lines)


def rate_of(amount: int, rate: Fraction) -> int:
    """rate × amount, rounded down to the yen (exact: no floating point)."""
    return floor(rate * amount)


@dataclass(frozen=True)
class Breakdown:
    """An amount and why it is what it is: each bound that was considered, the one that
    decided, and the rounding."""

    total_cost: int
    eligible: int
    by_rate: int
    cap: int
    uncovered: int | None  # the costs other income does not cover (None: not a bound here)
    decided: int | None  # the decided amount (None: not a bound here)
    before_rounding: int
    amount: int
    limited_by: str = field(default="")  # "rate", "cap", "uncovered", "decided"


def _bounded(bounds: dict[str, int], unit: int) -> tuple[int, str, int]:
    # The smallest bound decides; on a tie the first named (rate before cap) is reported.
    name = min(bounds, key=lambda key: bounds[key])
    before = max(bounds[name], 0)
    return before, name, round_down(before, unit)


def requested_amount(lines, terms: Terms, *, other_income: int = 0) -> Breakdown:
    """The amount a group may apply for: min(rate × eligible costs, cap), and never more than
    the costs its other income leaves uncovered, rounded down to the unit."""
    lines = list(lines)
    total = sum(line_total(line) for line in lines)
    eligible = eligible_total(lines)
    by_rate = rate_of(eligible, terms.rate)
    uncovered = max(total - other_income, 0)
    bounds = {"rate": by_rate, "cap": terms.cap}
    if other_income:
        bounds["uncovered"] = uncovered
    before, limited_by, amount = _bounded(bounds, terms.unit)
    return Breakdown(
        total_cost=total,
        eligible=eligible,
        by_rate=by_rate,
        cap=terms.cap,
        uncovered=uncovered if other_income else None,
        decided=None,
        before_rounding=before,
        amount=amount,
        limited_by=limited_by,
    )


def own_share(*, total_cost: int, subsidy: int, other_income: int) -> int:
    """The group's own share of a balanced 収支予算書: what neither the subsidy nor other income
    pays (never negative)."""
    return max(total_cost - subsidy - other_income, 0)


def final_amount(accepted_lines, terms: Terms, *, decided: int) -> Breakdown:
    """The 確定額: min(decided amount, rate × accepted eligible actual costs, cap), rounded
    down. ``accepted_lines`` are the actual lines at the amounts staff accepted (a reduced line
    at its reduced amount, a rejected one left out)."""
    lines = list(accepted_lines)
    total = sum(line_total(line) for line in lines)
    eligible = eligible_total(lines)
    by_rate = rate_of(eligible, terms.rate)
    before, limited_by, amount = _bounded(
        {"rate": by_rate, "cap": terms.cap, "decided": decided}, terms.unit
    )
    return Breakdown(
        total_cost=total,
        eligible=eligible,
        by_rate=by_rate,
        cap=terms.cap,
        uncovered=None,
        decided=decided,
        before_rounding=before,
        amount=amount,
        limited_by=limited_by,
    )


def to_return(*, advance_paid: int, final: int) -> int:
    """返還: what an advance (概算払) paid above the 確定額 obliges the group to give back."""
    return max(advance_paid - final, 0)


def still_to_pay(*, advance_paid: int, final: int) -> int:
    """What the ward still pays on the 請求 after the 確定額: the rest above the advance."""
    return max(final - advance_paid, 0)


def kin(amount: int) -> str:
    """金300,000円 — an amount as the ward's letters write it."""
    return f"金{int(amount):,}円"


def check_within_cap(amount: int, terms: Terms) -> int:
    """A decided or changed amount: refused above the cap (OverCap) or when negative; returned
    unchanged otherwise. Staff type it, so it is not rounded silently."""
    if amount < 0:
        raise ValueError("an amount must not be negative")
    if amount > terms.cap:
        raise OverCap(amount)
    return amount
