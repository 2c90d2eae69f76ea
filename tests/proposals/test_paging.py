"""A call with hundreds of proposals: the chair's dashboard and the reviewer's list show a page
of rows at a time, while the ranking, the counts and the CSV cover every proposal. The page
size is set small here so that three proposals make three pages."""

import pytest
from django.urls import reverse

from proposals import reviews
from proposals.views import dashboard as dashboard_views
from proposals.views import review as review_views
from tests.factories import MembershipFactory
from tests.proposals.conftest import score_all

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(dashboard_views, "PAGE_SIZE", 1)
    monkeypatch.setattr(review_views, "PAGE_SIZE", 1)


@pytest.fixture
def ranked(in_review):
    """a: 100 and 80; b: 60; c: nothing submitted (the chair declared no conflict with all)."""
    stage, (a, b, c) = in_review["stage"], in_review["proposals"]
    council, official, chair = in_review["council"], in_review["official"], in_review["chair"]
    score_all(stage, a, council, 5)
    score_all(stage, a, official, 4)
    score_all(stage, b, council, 3)
    for proposal in (a, b, c):
        reviews.conflict_declare(proposal=proposal, stage=stage, reviewer=chair, has_conflict=False)
    return in_review


def _rows_on(response):
    return [row.proposal.pk for kind, row in response.context["items"] if kind == "row"]


def test_the_dashboard_ranks_every_proposal_and_shows_a_page_of_them(client, ranked, small_pages):
    a, b, c = ranked["proposals"]
    client.force_login(ranked["staff"])
    url = reverse("proposals_review:dashboard", args=[ranked["stage"].pk])

    pages = [client.get(url, {"page": n}) for n in (1, 2, 3, 4)]

    # The ranking runs over all the proposals; each page shows its share of it (the adoption
    # line is an item of its own, so it takes a place on its page too).
    shown = [pk for response in pages[:3] for pk in _rows_on(response)]
    assert shown[0] == a.pk
    assert set(shown) <= {a.pk, b.pk, c.pk}
    assert pages[0].context["page_obj"].paginator.count == 4  # 3 proposals and the line
    assert len(pages[0].context["rows"]) == 3
    assert "Page 1 of 4" in pages[0].content.decode()
    # A page past the end shows the last one.
    assert _rows_on(client.get(url, {"page": 99})) == _rows_on(pages[3])
    all_rows = [pk for n in (1, 2, 3, 4) for pk in _rows_on(client.get(url, {"page": n}))]
    assert sorted(all_rows) == sorted([a.pk, b.pk, c.pk])
    # Changing the sort starts again on the first page.
    assert 'href="?sort=number"' in pages[1].content.decode()


def test_the_dashboard_csv_still_has_every_proposal(client, ranked, small_pages):
    client.force_login(ranked["staff"])
    response = client.get(reverse("proposals_review:dashboard_csv", args=[ranked["stage"].pk]))
    assert response.content.decode().count("\r\n") == 1 + 3


def test_the_reviewers_list_shows_a_page_and_counts_the_whole_list(client, ranked, small_pages):
    a, b, c = ranked["proposals"]
    council = ranked["council"]
    # The council member belongs to c's organization: excluded from scoring it.
    MembershipFactory(organization=c.organization, user=council)
    client.force_login(council)
    url = reverse("proposals_review:stage", args=[ranked["stage"].pk])

    responses = [client.get(url, {"page": n}) for n in (1, 2, 3)]

    assert [[row.proposal.pk for row in r.context["rows"]] for r in responses] == [
        [a.pk],
        [b.pk],
        [c.pk],
    ]
    first = responses[0]
    # Submitted a and b, of the two proposals they may score (not c): over the whole list.
    assert (first.context["submitted_count"], first.context["to_score_count"]) == (2, 2)
    assert "Page 1 of 3" in first.content.decode()
    assert responses[2].context["rows"][0].is_member


def test_the_reviewers_list_counts_a_declared_conflict_out_of_what_is_to_score(
    client, ranked, small_pages
):
    c = ranked["proposals"][2]
    official = ranked["official"]
    reviews.conflict_declare(
        proposal=c, stage=ranked["stage"], reviewer=official, has_conflict=True
    )
    client.force_login(official)
    response = client.get(reverse("proposals_review:stage", args=[ranked["stage"].pk]))
    assert (response.context["submitted_count"], response.context["to_score_count"]) == (1, 2)
