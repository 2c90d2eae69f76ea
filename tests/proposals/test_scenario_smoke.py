from proposals.selectors import stage_results
from tests.proposals.conftest import score_all


def test_scenario_scores_and_ranks(in_review):
    stage, (a, b, c) = in_review["stage"], in_review["proposals"]
    score_all(stage, a, in_review["council"], 5)
    score_all(stage, a, in_review["official"], 3)
    score_all(stage, b, in_review["council"], 2)
    results = stage_results(stage, in_review["staff"])
    assert [r.proposal for r in results] == [a, b, c]
    assert results[0].mean == 80
    assert results[0].missing == 1
    assert results[2].rank is None
