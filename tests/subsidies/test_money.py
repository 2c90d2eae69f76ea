"""The subsidy's arithmetic at its boundaries: exact cap, rounding at ¥999/¥1,000, ineligible
lines, per-item caps, changes above the cap, an advance above the final amount."""

from fractions import Fraction

import pytest

from subsidies.money import (
    CostLine,
    OverCap,
    Terms,
    check_within_cap,
    eligible_total,
    final_amount,
    line_eligible,
    own_share,
    requested_amount,
    round_down,
    still_to_pay,
    to_return,
)

HALF = Terms(rate=Fraction(1, 2), cap=300_000, unit=1000)


def test_round_down_keeps_an_exact_thousand_and_drops_999_yen():
    assert round_down(150_000, 1000) == 150_000
    assert round_down(150_999, 1000) == 150_000
    assert round_down(151_000, 1000) == 151_000
    assert round_down(999, 1000) == 0
    assert round_down(1000, 1000) == 1000


def test_round_down_to_the_yen_keeps_the_amount():
    assert round_down(123_457, 1) == 123_457


def test_an_ineligible_line_counts_nothing():
    food = CostLine(quantity=20, unit_price=1_000, eligible=False)
    assert line_eligible(food) == 0
    assert eligible_total([food, CostLine(quantity=1, unit_price=50_000)]) == 50_000


def test_a_unit_price_above_the_per_item_cap_counts_only_up_to_the_cap():
    lecturers = CostLine(quantity=2, unit_price=50_000, unit_cap=30_000)
    assert line_eligible(lecturers) == 60_000


def test_a_unit_price_exactly_at_the_per_item_cap_counts_whole():
    assert line_eligible(CostLine(quantity=3, unit_price=30_000, unit_cap=30_000)) == 90_000


def test_a_unit_price_below_the_per_item_cap_counts_whole():
    assert line_eligible(CostLine(quantity=1, unit_price=29_999, unit_cap=30_000)) == 29_999


def test_requested_is_half_the_eligible_costs_rounded_down_to_a_thousand():
    breakdown = requested_amount([CostLine(quantity=1, unit_price=301_998)], HALF)
    assert breakdown.by_rate == 150_999
    assert breakdown.amount == 150_000
    assert breakdown.limited_by == "rate"


def test_requested_at_exactly_a_thousand_is_not_rounded_away():
    breakdown = requested_amount([CostLine(quantity=1, unit_price=2_000)], HALF)
    assert breakdown.amount == 1_000


def test_requested_below_a_thousand_is_nothing():
    breakdown = requested_amount([CostLine(quantity=1, unit_price=1_998)], HALF)
    assert breakdown.by_rate == 999
    assert breakdown.amount == 0


def test_requested_exactly_at_the_cap_is_the_cap():
    breakdown = requested_amount([CostLine(quantity=1, unit_price=600_000)], HALF)
    assert breakdown.amount == 300_000


def test_requested_above_the_cap_is_the_cap():
    breakdown = requested_amount([CostLine(quantity=1, unit_price=600_002)], HALF)
    assert breakdown.by_rate == 300_001
    assert breakdown.amount == 300_000
    assert breakdown.limited_by == "cap"


def test_a_cap_that_is_not_a_round_figure_is_rounded_down_too():
    terms = Terms(rate=Fraction(1, 2), cap=250_500, unit=1000)
    assert requested_amount([CostLine(quantity=1, unit_price=1_000_000)], terms).amount == 250_000


def test_a_rate_of_two_thirds_is_exact():
    terms = Terms(rate=Fraction(2, 3), cap=500_000, unit=1)
    assert requested_amount([CostLine(quantity=1, unit_price=3)], terms).amount == 2
    assert requested_amount([CostLine(quantity=1, unit_price=100)], terms).amount == 66


def test_ineligible_lines_and_per_item_caps_together():
    lines = [
        CostLine(quantity=2, unit_price=50_000, unit_cap=30_000),  # 60,000 eligible of 100,000
        CostLine(quantity=1, unit_price=41_000),  # printing
        CostLine(quantity=30, unit_price=1_500, eligible=False),  # food: 45,000
    ]
    breakdown = requested_amount(lines, HALF)
    assert breakdown.total_cost == 186_000
    assert breakdown.eligible == 101_000
    assert breakdown.amount == 50_000


def test_other_income_bounds_the_request_to_the_uncovered_costs():
    lines = [CostLine(quantity=1, unit_price=100_000)]
    breakdown = requested_amount(lines, HALF, other_income=70_000)
    assert breakdown.uncovered == 30_000
    assert breakdown.amount == 30_000
    assert breakdown.limited_by == "uncovered"


def test_other_income_above_every_cost_leaves_nothing_to_request():
    lines = [CostLine(quantity=1, unit_price=10_000)]
    breakdown = requested_amount(lines, HALF, other_income=20_000)
    assert breakdown.amount == 0


def test_no_lines_request_nothing():
    assert requested_amount([], HALF).amount == 0


def test_own_share_is_what_neither_subsidy_nor_income_pays():
    assert own_share(total_cost=186_000, subsidy=50_000, other_income=20_000) == 116_000
    assert own_share(total_cost=10_000, subsidy=0, other_income=20_000) == 0


def test_final_amount_is_the_decided_amount_when_costs_were_as_planned():
    lines = [CostLine(quantity=1, unit_price=400_000)]
    breakdown = final_amount(lines, HALF, decided=180_000)
    assert breakdown.amount == 180_000
    assert breakdown.limited_by == "decided"


def test_final_amount_follows_lower_actual_costs_rounded_down():
    lines = [CostLine(quantity=1, unit_price=201_998)]
    breakdown = final_amount(lines, HALF, decided=150_000)
    assert breakdown.by_rate == 100_999
    assert breakdown.amount == 100_000
    assert breakdown.limited_by == "rate"


def test_final_amount_never_passes_the_cap_even_if_the_decision_did():
    breakdown = final_amount([CostLine(quantity=1, unit_price=900_000)], HALF, decided=400_000)
    assert breakdown.amount == 300_000


def test_final_amount_leaves_out_ineligible_actual_costs():
    lines = [CostLine(quantity=1, unit_price=100_000), CostLine(1, 80_000, eligible=False)]
    assert final_amount(lines, HALF, decided=150_000).amount == 50_000


def test_an_advance_above_the_final_amount_is_returned():
    assert to_return(advance_paid=150_000, final=100_000) == 50_000
    assert still_to_pay(advance_paid=150_000, final=100_000) == 0


def test_an_advance_equal_to_the_final_amount_returns_nothing_and_leaves_nothing_to_pay():
    assert to_return(advance_paid=100_000, final=100_000) == 0
    assert still_to_pay(advance_paid=100_000, final=100_000) == 0


def test_without_an_advance_the_whole_final_amount_is_paid():
    assert to_return(advance_paid=0, final=100_000) == 0
    assert still_to_pay(advance_paid=0, final=100_000) == 100_000


def test_a_change_up_to_the_cap_is_accepted():
    assert check_within_cap(300_000, HALF) == 300_000


def test_a_change_that_would_pass_the_cap_by_one_yen_is_refused():
    with pytest.raises(OverCap):
        check_within_cap(300_001, HALF)


def test_a_negative_amount_is_refused():
    with pytest.raises(ValueError):
        check_within_cap(-1, HALF)


@pytest.mark.parametrize(
    "terms",
    [
        {"rate": Fraction(0), "cap": 1},
        {"rate": Fraction(3, 2), "cap": 1},
        {"rate": Fraction(1, 2), "cap": -1},
        {"rate": Fraction(1, 2), "cap": 1, "unit": 0},
    ],
)
def test_impossible_terms_are_refused(terms):
    with pytest.raises(ValueError):
        Terms(**terms)


def test_negative_quantities_are_refused():
    with pytest.raises(ValueError):
        CostLine(quantity=-1, unit_price=100)
