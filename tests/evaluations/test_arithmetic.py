"""The arithmetic of the evaluation as pure functions, at its boundaries."""

from decimal import Decimal as D

import pytest

from evaluations import arithmetic as a


def test_mean_leaves_out_missing_values_and_rounds_half_up():
    assert a.mean([4, None, 3]) == D("3.50")
    assert a.mean([1, 2, 2]) == D("1.67")
    assert a.mean([5, 4, 4]) == D("4.33")
    assert a.mean([D("2.005")]) == D("2.01")


def test_mean_of_nothing_is_none():
    assert a.mean([]) is None
    assert a.mean([None, None]) is None


@pytest.mark.parametrize(
    ("points", "required"), [(1, True), (2, True), (3, False), (5, False), (None, False)]
)
def test_comment_required_for_one_and_two_only(points, required):
    assert a.comment_required(points) is required


def test_item_means_per_item_over_the_members_who_scored_it():
    means = a.item_means([{1: 4, 2: 2}, {1: 5, 2: None}, {1: 3}])
    assert means == {1: D("4.00"), 2: D("2.00")}
    assert a.item_means([]) == {}


def test_weighted_total_with_the_default_weights():
    total = a.weighted_total({"self": D(4), "department": D(3), "council": D(5)})
    # (20×4 + 20×3 + 60×5) / 100 = 4.4 of 5 → 88.0
    assert total.value == D("88.0") and total.missing == () and total.complete


def test_weighted_total_at_the_ends_of_the_scale():
    assert a.weighted_total(dict.fromkeys(a.SIDES, D(5))).value == D("100.0")
    assert a.weighted_total(dict.fromkeys(a.SIDES, D(1))).value == D("20.0")


def test_weighted_total_shares_a_missing_sides_weight_and_names_it():
    total = a.weighted_total({"self": D(4), "department": None, "council": D(2)})
    # (20×4 + 60×2) / 80 = 2.5 → 50.0
    assert total.value == D("50.0")
    assert total.missing == ("department",) and not total.complete


def test_weighted_total_with_no_side_scored_is_none():
    total = a.weighted_total({"self": None, "department": None, "council": None})
    assert total.value is None and total.missing == a.SIDES


def test_weights_are_data_and_a_zero_weight_side_never_counts():
    weights = {"self": 0, "department": 50, "council": 50}
    total = a.weighted_total({"self": D(1), "department": D(4), "council": D(2)}, weights)
    assert total.value == D("60.0") and total.missing == ()
    only_self = a.weighted_total({"self": D(3), "department": None, "council": None}, weights)
    assert only_self.value is None and only_self.missing == ("department", "council")


def test_weighted_total_rounds_to_one_decimal_half_up():
    total = a.weighted_total({"self": D(3), "department": D(3), "council": D("3.33")})
    # (60 + 60 + 199.8) / 100 = 3.198 → 63.96 → 64.0
    assert total.value == D("64.0")


def test_rate_reached_as_a_percentage_with_one_decimal():
    assert a.rate_reached(D(600), D(552)) == D("92.0")
    assert a.rate_reached(3, 1) == D("33.3")
    assert a.rate_reached(3, 2) == D("66.7")


def test_rate_reached_above_the_target_is_not_capped():
    assert a.rate_reached(20, 22) == D("110.0")


def test_rate_reached_of_zero_result_is_zero():
    assert a.rate_reached(48, 0) == D("0.0")


@pytest.mark.parametrize(
    ("target", "result"), [(0, 5), (0, 0), (None, 5), (10, None), (-1, 5), (10, -1)]
)
def test_rate_reached_is_none_without_a_usable_target_or_result(target, result):
    assert a.rate_reached(target, result) is None


def test_rate_reached_needs_the_same_unit():
    assert a.rate_reached(80, 68, target_unit="%", result_unit="％") == D("85.0")
    assert a.rate_reached(600, 552, target_unit="人", result_unit=" 人 ") == D("92.0")
    assert a.rate_reached(48, 40, target_unit="回", result_unit="人") is None
    assert a.rate_reached(48, 40, target_unit="回") == D("83.3")  # no result unit: the target's


def test_bar_width_is_clamped_to_the_chart():
    assert a.bar_width(None) == 0
    assert a.bar_width(D("88.0")) == 88
    assert a.bar_width(D("4.4"), 5) == 88
    assert a.bar_width(D(120)) == 100
    assert a.bar_width(D(-3)) == 0
    assert a.bar_width(D(1), 0) == 0
