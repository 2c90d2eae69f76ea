"""The arithmetic: weights, the 100-point conversion, mean, median, spread, ranking, and how
missing and conflicted reviews count."""

from decimal import Decimal

import pytest

from proposals import scoring, selectors
from proposals.models import Criterion
from tests.factories import CouncilMemberFactory
from tests.proposals.conftest import assign, score_all


def test_the_total_is_converted_to_100_with_weights():
    weights = {1: Decimal(2), 2: Decimal(1)}
    # (5×2 + 2×1) / (5×2 + 5×1) × 100 = 12/15 × 100 = 80
    assert scoring.weighted_total({1: 5, 2: 2}, weights, 5) == 80
    assert scoring.weighted_total({1: 0, 2: 0}, weights, 5) == 0
    assert scoring.weighted_total({1: 5, 2: 5}, weights, 5) == 100


def test_an_incomplete_sheet_has_no_total_but_a_running_one():
    weights = {1: Decimal(1), 2: Decimal(1)}
    assert scoring.weighted_total({1: 5, 2: None}, weights, 5) is None
    assert scoring.running_total({1: 5}, weights, 5) == 50


def test_mean_median_and_spread():
    result = scoring.ProposalResult(proposal=None, totals=[Decimal(40), Decimal(60), Decimal(90)])
    assert result.mean == Decimal(190) / 3
    assert result.median == 60
    assert (result.lowest, result.highest, result.spread) == (40, 90, 50)
    assert scoring.rounded(result.mean) == Decimal("63.3")
    assert result.above_line(Decimal(50)) is True
    assert scoring.ProposalResult(proposal=None, totals=[Decimal(50)]).above_line(Decimal(50))
    even = scoring.ProposalResult(proposal=None, totals=[Decimal(40), Decimal(70)])
    assert even.median == 55


def test_ranks_share_places_on_a_tie_and_leave_unscored_last():
    class P:
        def __init__(self, number):
            self.number = number

    a, b, c, d = (scoring.ProposalResult(proposal=P(n)) for n in range(4))
    a.totals, b.totals, c.totals = [Decimal(70)], [Decimal(80)], [Decimal(70)]
    ranked = scoring.rank([a, b, c, d])
    assert [r.rank for r in ranked] == [1, 2, 2, None]
    assert ranked[0] is b and ranked[-1] is d


def test_dashboard_uses_the_rounds_weights(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    criteria = list(stage.round.criteria.order_by("order"))
    Criterion.objects.filter(pk=criteria[0].pk).update(weight=Decimal(3))
    # 5 on the first (weight 3), 0 on the other nine (weight 1): 15 / (15 + 45) × 100 = 25
    score_all(stage, proposal, in_review["council"], [5] + [0] * 9)
    result = next(
        r for r in selectors.stage_results(stage, in_review["staff"]) if r.proposal == proposal
    )
    assert result.totals == [25]


def test_missing_and_conflicted_reviews_are_counted_not_scored(in_review):
    stage, (a, b, _c) = in_review["stage"], in_review["proposals"]
    from proposals import reviews

    score_all(stage, a, in_review["council"], 5)
    score_all(stage, a, in_review["official"], 3, submit=False)  # a draft: missing
    reviews.conflict_declare(
        proposal=a, stage=stage, reviewer=in_review["chair"], has_conflict=True
    )
    results = {r.proposal: r for r in selectors.stage_results(stage, in_review["staff"])}
    assert results[a].totals == [100]
    assert results[a].drafts == 1
    assert results[a].missing == 1  # the official's draft; the chair is out with a conflict
    assert results[a].conflicts == 1
    assert results[b].missing == 3 and results[b].mean is None and results[b].rank is None


def test_a_reviewer_assigned_to_some_proposals_is_missing_only_for_those(in_review):
    stage, (a, b, _c) = in_review["stage"], in_review["proposals"]
    assign(stage, CouncilMemberFactory(), [a])
    results = {r.proposal: r for r in selectors.stage_results(stage, in_review["staff"])}
    assert results[a].missing == 4
    assert results[b].missing == 3


@pytest.mark.parametrize(("points", "expected_mean"), [(5, 100), (3, 60), (0, 0)])
def test_the_mean_of_one_review_is_its_total(in_review, points, expected_mean):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    score_all(stage, proposal, in_review["council"], points)
    result = next(
        r for r in selectors.stage_results(stage, in_review["staff"]) if r.proposal == proposal
    )
    assert result.mean == expected_mean
    assert result.above_line(stage.round.adoption_line) is (expected_mean >= 50)


def test_ranking_over_reviews_of_several_proposals(in_review):
    stage, (a, b, c) = in_review["stage"], in_review["proposals"]
    for proposal, (x, y, z) in zip((a, b, c), ((2, 3, 4), (5, 5, 4), (3, 3, 3)), strict=True):
        score_all(stage, proposal, in_review["council"], x)
        score_all(stage, proposal, in_review["official"], y)
        score_all(stage, proposal, in_review["chair"], z)
    results = selectors.stage_results(stage, in_review["staff"])
    assert [r.proposal for r in results] == [b, a, c]  # means 93.3, 60, 60 → b, then the tie
    assert [r.rank for r in results] == [1, 2, 2]
    assert scoring.rounded(results[0].mean) == Decimal("93.3")
    assert results[0].median == Decimal(100)
    assert results[1].spread == 40
