"""The review pages run a fixed number of queries: the chair's dashboard and the reviewer's
list the same for 1 proposal as for 20 with 5 reviews each, the score sheet the same
whatever the number of other reviews."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from proposals import reviews
from proposals.enums import StageStatus
from proposals.models import Presentation
from tests.factories import (
    CouncilMemberFactory,
    RoundFactory,
    StaffFactory,
    StageFactory,
    WardOfficialFactory,
)
from tests.proposals.conftest import assign, score_all, submitted_proposal

REVIEWERS = 5
MORE = 19


@pytest.fixture
def panel(db):
    """A call in stage 1 with 5 reviewers assigned to everything, the first of them chair."""
    round_ = RoundFactory()
    stage = StageFactory(round=round_, number=1)
    reviewers = [CouncilMemberFactory() for _ in range(REVIEWERS - 1)] + [WardOfficialFactory()]
    for reviewer in reviewers:
        assign(stage, reviewer)
    round_.chair = reviewers[0]
    round_.save(update_fields=["chair"])
    return {"round": round_, "stage": stage, "reviewers": reviewers, "staff": StaffFactory()}


def add_scored_proposals(panel, count, *, stage=None):
    stage = stage or panel["stage"]
    proposals = []
    for n in range(count):
        proposal = submitted_proposal(panel["round"])
        for index, reviewer in enumerate(panel["reviewers"]):
            score_all(stage, proposal, reviewer, (n + index) % 6)
        proposals.append(proposal)
    return proposals


def count_queries(client, url) -> int:
    client.get(url)  # warm the session and the like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("viewer", ["staff", "chair"])
def test_the_dashboard_runs_the_same_queries_for_1_and_20_proposals(
    client, panel, django_assert_num_queries, viewer
):
    add_scored_proposals(panel, 1)
    client.force_login(panel["staff"] if viewer == "staff" else panel["reviewers"][0])
    url = reverse("proposals_review:dashboard", args=[panel["stage"].pk])
    with_one = count_queries(client, url)
    add_scored_proposals(panel, MORE)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    rows = response.context["rows"]
    assert len(rows) == 1 + MORE
    assert all(row.count == REVIEWERS and row.missing == 0 for row in rows)


@pytest.mark.parametrize("closed", [False, True])
def test_the_chairs_dashboard_with_undeclared_lines_runs_the_same_queries(
    client, panel, django_assert_num_queries, closed
):
    """The chair (assigned too) has declared for none and scored none: every line is hidden
    and says why, with the declaration form (also once the stage is closed: without a review
    of theirs, a declaration changes no result)."""
    stage, staff = panel["stage"], panel["staff"]

    def add(count):
        stage.refresh_from_db()
        if stage.status == StageStatus.CLOSED:
            reviews.stage_open(stage=stage, by=staff)
        for _ in range(count):
            proposal = submitted_proposal(panel["round"])
            for index, reviewer in enumerate(panel["reviewers"][1:]):
                score_all(stage, proposal, reviewer, index)
        if closed:
            reviews.stage_close(stage=stage, by=staff)

    add(1)
    client.force_login(panel["reviewers"][0])
    url = reverse("proposals_review:dashboard", args=[stage.pk])
    with_one = count_queries(client, url)
    add(MORE)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    rows = response.context["rows"]
    assert len(rows) == 1 + MORE
    assert all(row.hidden_because == "undeclared" for row in rows)
    assert all(row.declarable for row in rows)


def test_the_dashboard_csv_runs_the_same_queries_for_1_and_20_proposals(
    client, panel, django_assert_num_queries
):
    add_scored_proposals(panel, 1)
    client.force_login(panel["staff"])
    url = reverse("proposals_review:dashboard_csv", args=[panel["stage"].pk])
    with_one = count_queries(client, url)
    add_scored_proposals(panel, MORE)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert response.content.decode().count("\r\n") == 2 + MORE


def test_a_second_stage_dashboard_runs_the_same_queries_for_1_and_20_proposals(
    client, panel, django_assert_num_queries
):
    second = StageFactory(round=panel["round"], number=2)
    for reviewer in panel["reviewers"]:
        assign(second, reviewer)

    def shortlist(count):
        for proposal in add_scored_proposals(panel, count):
            Presentation.objects.create(stage=second, proposal=proposal, place="会議室")
            for index, reviewer in enumerate(panel["reviewers"]):
                score_all(second, proposal, reviewer, index, declare=False)

    shortlist(1)
    client.force_login(panel["staff"])
    url = reverse("proposals_review:dashboard", args=[second.pk])
    with_one = count_queries(client, url)
    shortlist(MORE)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert len(response.context["rows"]) == 1 + MORE


def test_the_reviewers_list_runs_the_same_queries_for_1_and_20_proposals(
    client, panel, django_assert_num_queries
):
    add_scored_proposals(panel, 1)
    client.force_login(panel["reviewers"][2])
    url = reverse("proposals_review:stage", args=[panel["stage"].pk])
    with_one = count_queries(client, url)
    add_scored_proposals(panel, MORE)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert len(response.context["rows"]) == 1 + MORE
    assert all(row.submitted for row in response.context["rows"])


def test_the_declarations_page_runs_the_same_queries_for_1_and_20_proposals(
    client, panel, django_assert_num_queries
):
    add_scored_proposals(panel, 1)
    client.force_login(panel["reviewers"][0])
    url = reverse("proposals_review:declarations", args=[panel["round"].pk])
    with_one = count_queries(client, url)
    add_scored_proposals(panel, MORE)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    # A page of 50 rows of the 100 declarations; the next page runs the same queries too.
    assert response.context["page_obj"].paginator.count == (1 + MORE) * REVIEWERS
    assert len(response.context["rows"]) == 50
    with django_assert_num_queries(with_one):
        response = client.get(url, {"page": 2})
    assert len(response.context["rows"]) == 50


def test_the_score_page_runs_the_same_queries_for_1_and_for_4_other_reviews(
    client, panel, django_assert_num_queries
):
    stage, reviewers = panel["stage"], panel["reviewers"]
    proposal = submitted_proposal(panel["round"])
    viewer = reviewers[0]
    score_all(stage, proposal, viewer, 4)
    score_all(stage, proposal, reviewers[1], 3)
    client.force_login(viewer)
    url = reverse("proposals_review:score", args=[stage.pk, proposal.pk])
    with_one = count_queries(client, url)
    for reviewer in reviewers[2:]:
        score_all(stage, proposal, reviewer, 2)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert len(response.context["others"]) == REVIEWERS - 1


def test_the_reviewers_overview_runs_the_same_queries_for_1_and_several_stages(
    client, panel, django_assert_num_queries
):
    viewer = panel["reviewers"][0]
    client.force_login(viewer)
    url = reverse("proposals_review:home")
    with_one = count_queries(client, url)
    for _ in range(4):
        round_ = RoundFactory(chair=viewer)
        assign(StageFactory(round=round_, number=1), viewer)
        StageFactory(round=round_, number=2)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert len(response.context["stages"]) == 5
    assert len(response.context["chaired"]) == 5


def test_the_staff_round_page_shows_a_page_of_proposals_in_the_same_queries(
    client, panel, django_assert_num_queries, monkeypatch
):
    from proposals.views import staff as staff_views

    monkeypatch.setattr(staff_views, "PAGE_SIZE", 5)
    add_scored_proposals(panel, 1)
    client.force_login(panel["staff"])
    url = reverse("proposals_staff:round", args=[panel["round"].pk])
    with_one = count_queries(client, url)
    add_scored_proposals(panel, 6)
    with django_assert_num_queries(with_one):
        response = client.get(url)
    assert len(response.context["proposals"]) == 5
    # The counts are over the whole call, not the page.
    assert response.context["in_review_count"] == 7
    assert response.context["undecided_count"] == 7
    numbers = [p.number for p in response.context["proposals"]]
    assert numbers == sorted(numbers)
    with django_assert_num_queries(with_one):
        second = client.get(url, {"page": 2})
    assert [p.number for p in second.context["proposals"]] == sorted(
        p.number for p in second.context["proposals"]
    )
    assert len(second.context["proposals"]) == 2
