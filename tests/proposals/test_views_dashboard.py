"""The chair's and staff's dashboard of a stage, its CSV and the round's declarations: who
reaches them, the numbers for a known set of scores, rows hidden from a chair who has a
conflict or has not scored yet, sorting, the adoption line."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import reviews, services
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    StageFactory,
    UserFactory,
)
from tests.proposals.conftest import assign, score_all


@pytest.fixture
def scored(in_review):
    """Three proposals a, b, c scored by council, official, chair and a reviewer who declared
    a conflict with a (each criterion the same points, so 5 → 100, 4 → 80, 3 → 60, 2 → 40):

    a: council 100, official 60, chair 80 → mean 80, median 80, 60–100, SD 16.3; 1 conflict
    b: council 40, official a draft → mean 40; missing official, chair, conflicted; 1 draft
    c: nothing; the chair declared a conflict with it → 1 conflict, 3 missing
    """
    stage, (a, b, c) = in_review["stage"], in_review["proposals"]
    council, official, chair = in_review["council"], in_review["official"], in_review["chair"]
    conflicted = CouncilMemberFactory()
    assign(stage, conflicted)
    reviews.conflict_declare(
        proposal=a, stage=stage, reviewer=conflicted, has_conflict=True, note="元理事"
    )
    score_all(stage, a, council, 5)
    score_all(stage, a, official, 3)
    score_all(stage, a, chair, 4)
    score_all(stage, b, council, 2)
    score_all(stage, b, official, 2, submit=False)
    reviews.conflict_declare(proposal=c, stage=stage, reviewer=chair, has_conflict=True)
    return {
        **in_review,
        "a": a,
        "b": b,
        "c": c,
        "conflicted": conflicted,
        "org_member": MembershipFactory(organization=a.organization).user,
        "unassigned": CouncilMemberFactory(),
        "stranger": UserFactory(),
    }


def urls(world):
    stage, round_ = world["stage"], world["round"]
    return [
        reverse("proposals_review:dashboard", args=[stage.pk]),
        reverse("proposals_review:dashboard_csv", args=[stage.pk]),
        reverse("proposals_review:declarations", args=[round_.pk]),
    ]


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("stranger", 404),
        ("org_member", 404),
        ("unassigned", 404),
        ("council", 404),
        ("official", 404),
        ("conflicted", 404),
        ("chair", 200),
        ("staff", 200),
    ],
)
def test_only_the_chair_and_staff_reach_the_dashboard(client, scored, person, expected):
    client.force_login(scored[person])
    for url in urls(scored):
        assert client.get(url).status_code == expected, url


def test_anonymous_visitors_are_sent_to_log_in(client, scored):
    for url in urls(scored):
        response = client.get(url)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_the_chair_of_another_call_gets_404(client, scored):
    other_chair = CouncilMemberFactory()
    other = StageFactory()
    other.round.chair = other_chair
    other.round.save(update_fields=["chair"])
    client.force_login(other_chair)
    assert client.get(urls(scored)[0]).status_code == 404


def _dashboard(client, world, person="staff", **params):
    client.force_login(world[person])
    return client.get(reverse("proposals_review:dashboard", args=[world["stage"].pk]), params)


def test_staff_see_the_numbers_of_every_proposal(client, scored):
    response = _dashboard(client, scored)
    rows = response.context["rows"]
    assert [row.proposal for row in rows] == [scored["a"], scored["b"], scored["c"]]
    a, b, c = rows
    assert (a.rank, a.count, str(a.mean_1), str(a.median_1)) == (1, 3, "80.0", "80.0")
    assert (str(a.lowest_1), str(a.highest_1), str(a.stdev_1)) == ("60.0", "100.0", "16.3")
    assert (a.missing, a.conflicts, a.drafts, a.reaches_line) == (0, 1, 0, True)
    assert (b.rank, b.count, str(b.mean_1), b.stdev_1) == (2, 1, "40.0", None)
    assert (b.missing, b.conflicts, b.drafts, b.reaches_line) == (3, 0, 1, False)
    assert (c.rank, c.count, c.mean, c.reaches_line) == (None, 0, None, None)
    assert (c.missing, c.conflicts) == (3, 1)
    assert not any(row.hidden for row in rows)

    content = response.content.decode()
    assert "60.0–100.0" in content and "16.3" in content
    assert "Reaches it" in content and "Below it" in content and "Not scored yet" in content
    # the adoption line is drawn between a (80) and b (40)
    line = content.index("data-adoption-line")
    assert content.index(scored["a"].title) < line < content.index(scored["b"].title)
    assert reverse("proposals_review:dashboard_csv", args=[scored["stage"].pk]) in content
    assert reverse("proposals_review:summary_pdf", args=[scored["stage"].pk]) in content
    assert reverse("proposals_review:declarations", args=[scored["round"].pk]) in content
    assert reverse("proposals_staff:round", args=[scored["round"].pk]) in content


def test_the_chair_sees_no_numbers_of_a_conflict_nor_before_scoring(client, scored):
    response = _dashboard(client, scored, "chair")
    rows = {row.proposal.pk: row for row in response.context["rows"]}
    assert not rows[scored["a"].pk].hidden
    assert rows[scored["b"].pk].hidden
    assert rows[scored["b"].pk].hidden_reason == "Submit your own review of it first."
    assert rows[scored["c"].pk].hidden
    assert "conflict of interest" in rows[scored["c"].pk].hidden_reason
    content = response.content.decode()
    assert "40.0" not in content  # b's mean
    assert content.count("data-hidden") == 2
    assert reverse("proposals_staff:round", args=[scored["round"].pk]) not in content


def test_the_dashboard_sorts_and_keeps_hidden_rows_last(client, scored):
    def order(person, sort):
        rows = _dashboard(client, scored, person, sort=sort).context["rows"]
        return [row.proposal for row in rows]

    a, b, c = scored["a"], scored["b"], scored["c"]
    assert order("staff", "number") == [a, b, c]
    assert order("staff", "mean") == [a, b, c]
    assert order("staff", "median") == [a, b, c]
    assert order("staff", "missing") == [b, c, a]
    assert order("staff", "nonsense") == [a, b, c]
    assert order("chair", "missing") == [a, b, c]  # hidden b and c stay last
    content = _dashboard(client, scored, sort="mean").content.decode()
    assert 'aria-sort="descending"' in content
    assert "data-adoption-line" not in content  # drawn in the ranking only
    assert "?sort=missing" in content


def test_the_csv_has_the_dashboard_numbers_and_blanks_hidden_rows(client, scored):
    client.force_login(scored["staff"])
    response = client.get(urls(scored)[1])
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    header, a, b, c = list(csv.reader(io.StringIO(text[1:])))
    assert header[:6] == [
        "Rank",
        "Number",
        "Title",
        "Organization",
        "Submitted reviews",
        "Mean (of 100)",
    ]
    assert a == [
        "1",
        scored["a"].reference,
        scored["a"].title,
        scored["a"].organization.name,
        "3",
        "80.0",
        "80.0",
        "60.0",
        "100.0",
        "16.3",
        "0",
        "1",
        "0",
        "yes",
        "",
    ]
    assert b[4:8] == ["1", "40.0", "40.0", "40.0"] and b[10:14] == ["3", "0", "1", "no"]
    assert c[0] == "" and c[5] == "" and c[10] == "3"

    client.force_login(scored["chair"])
    rows = list(csv.reader(io.StringIO(client.get(urls(scored)[1]).content.decode()[1:])))
    hidden = {row[1]: row for row in rows[1:]}[scored["b"].reference]
    assert hidden[4:14] == [""] * 10
    assert hidden[-1] == "Submit your own review of it first."


def test_a_second_stage_shows_the_presentation_times(client, scored):
    round_, a = scored["round"], scored["a"]
    second = StageFactory(round=round_, number=2)
    starts_at = timezone.make_aware(dt.datetime(2027, 7, 10, 14, 30))
    services.proposal_shortlist(
        proposal=a, stage=second, by=scored["staff"], starts_at=starts_at, place="会議室"
    )
    client.force_login(scored["staff"])
    response = client.get(reverse("proposals_review:dashboard", args=[second.pk]))
    assert [row.proposal for row in response.context["rows"]] == [a]
    content = response.content.decode()
    assert "Presentation" in content and "7/10 14:30" in content
    csv_text = client.get(reverse("proposals_review:dashboard_csv", args=[second.pk])).content
    assert "2027-07-10 14:30" in csv_text.decode()


def test_the_declarations_page_lists_declared_and_automatic_exclusions(client, scored):
    member = CouncilMemberFactory()
    MembershipFactory(organization=scored["b"].organization, user=member)
    assign(scored["stage"], member)
    client.force_login(scored["chair"])
    response = client.get(urls(scored)[2])
    rows = response.context["rows"]
    declared = [r for r in rows if not r["automatic"] and r["has_conflict"]]
    automatic = [r for r in rows if r["automatic"]]
    assert {(r["proposal"], r["reviewer"]) for r in declared} == {
        (scored["a"], scored["conflicted"]),
        (scored["c"], scored["chair"]),
    }
    assert [(r["proposal"], r["reviewer"]) for r in automatic] == [(scored["b"], member)]
    content = response.content.decode()
    assert "元理事" in content
    assert "Automatic (member of the organization)" in content
    assert member.get_full_name() in content
