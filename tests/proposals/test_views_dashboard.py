"""The chair's and staff's dashboard of a stage, its CSV and the round's declarations: who
reaches them, the numbers for a known set of scores, rows hidden from a chair who has a
conflict, has not declared or has not scored yet (and says why), the chair's declaration on
the dashboard, re-opened reviews, sorting, the adoption line (on the mean as shown), and no
caching."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from proposals import reviews, scoring, services
from proposals.models import ConflictDeclaration
from proposals.views.dashboard import Row, _with_line
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
    assert reverse("proposals_review:summary", args=[scored["stage"].pk]) in content
    assert reverse("proposals_review:declarations", args=[scored["round"].pk]) in content
    assert reverse("proposals_staff:round", args=[scored["round"].pk]) in content


UNDECLARED = "Declare first whether you have a conflict of interest with this proposal."
OWN_PENDING = "Submit your own review of it first."
CONFLICT = "You have a conflict of interest with this proposal."


def test_the_chair_sees_no_numbers_of_a_conflict_nor_before_declaring_nor_scoring(client, scored):
    stage, a, b, c, chair = scored["stage"], scored["a"], scored["b"], scored["c"], scored["chair"]
    response = _dashboard(client, scored, "chair")
    rows = {row.proposal.pk: row for row in response.context["rows"]}
    assert not rows[a.pk].hidden
    assert (rows[b.pk].hidden, rows[b.pk].hidden_because) == (True, "undeclared")
    assert rows[b.pk].hidden_reason == UNDECLARED
    assert (rows[c.pk].hidden, rows[c.pk].hidden_reason) == (True, CONFLICT)
    content = response.content.decode()
    assert "40.0" not in content  # b's mean
    assert content.count("data-hidden") == 2
    assert reverse("proposals_staff:round", args=[scored["round"].pk]) not in content
    # b (undeclared) offers the declaration right on its line; c (a conflict) does not.
    assert content.count("data-chair-declare") == 1
    assert reverse("proposals_review:chair_declare", args=[stage.pk, b.pk]) in content
    assert reverse("proposals_review:chair_declare", args=[stage.pk, c.pk]) not in content
    assert "No conflict — show the scores" in content and "I have a conflict" in content

    # Declared, but the round hides scores until the chair's own review is submitted.
    reviews.conflict_declare(proposal=b, stage=stage, reviewer=chair, has_conflict=False)
    row = {r.proposal.pk: r for r in _dashboard(client, scored, "chair").context["rows"]}[b.pk]
    assert (row.hidden, row.hidden_because, row.hidden_reason) == (True, "own_pending", OWN_PENDING)
    assert not row.declarable


def _chair_outside_the_panel(world):
    """A chair who is not assigned to review: they only declare, then read the numbers."""
    chair = CouncilMemberFactory()
    world["round"].chair = chair
    world["round"].save(update_fields=["chair"])
    return chair


def test_the_chair_declares_on_the_dashboard_then_sees_the_numbers(client, scored):
    stage, a, b = scored["stage"], scored["a"], scored["b"]
    chair = scored["outside_chair"] = _chair_outside_the_panel(scored)
    rows = _dashboard(client, scored, "outside_chair").context["rows"]
    assert all(row.hidden_because == "undeclared" and row.declarable for row in rows)

    response = client.post(
        reverse("proposals_review:chair_declare", args=[stage.pk, a.pk]),
        {"conflict": "no", "note": ""},
        follow=True,
    )
    assert response.redirect_chain == [
        (reverse("proposals_review:dashboard", args=[stage.pk]), 302)
    ]
    declaration = ConflictDeclaration.objects.get(proposal=a, reviewer=chair)
    assert declaration.has_conflict is False
    content = response.content.decode()
    assert "the scores of " + a.reference + " are shown now" in content
    rows = {row.proposal.pk: row for row in response.context["rows"]}
    assert not rows[a.pk].hidden and str(rows[a.pk].mean_1) == "80.0"
    assert rows[a.pk].rank == 1  # ranked among what the chair sees
    assert "80.0" in content

    client.post(
        reverse("proposals_review:chair_declare", args=[stage.pk, b.pk]),
        {"conflict": "yes", "note": "理事の親族"},
    )
    declaration = ConflictDeclaration.objects.get(proposal=b, reviewer=chair)
    assert (declaration.has_conflict, declaration.note) == (True, "理事の親族")
    row = {r.proposal.pk: r for r in _dashboard(client, scored, "outside_chair").context["rows"]}[
        b.pk
    ]
    assert (row.hidden, row.hidden_reason, row.declarable) == (True, CONFLICT, False)

    # A declared conflict cannot be taken back.
    response = client.post(
        reverse("proposals_review:chair_declare", args=[stage.pk, b.pk]),
        {"conflict": "no"},
        follow=True,
    )
    assert "cannot be withdrawn" in response.content.decode()
    assert ConflictDeclaration.objects.get(proposal=b, reviewer=chair).has_conflict
    # Nothing chosen: nothing recorded.
    response = client.post(
        reverse("proposals_review:chair_declare", args=[stage.pk, scored["c"].pk]), {}, follow=True
    )
    assert "Choose whether you have a conflict of interest." in response.content.decode()
    assert not ConflictDeclaration.objects.filter(proposal=scored["c"], reviewer=chair).exists()


def test_after_the_stage_closed_the_chair_still_declares_where_it_changes_no_result(client, scored):
    stage, b = scored["stage"], scored["b"]
    reviews.stage_close(stage=stage, by=scored["staff"])
    # The assigned chair did not declare for b (nor score it) while scoring was open: a
    # declaration now takes no review out of the closed results, so it is still offered.
    response = _dashboard(client, scored, "chair")
    row = {r.proposal.pk: r for r in response.context["rows"]}[b.pk]
    assert row.hidden_because == "undeclared" and row.declarable
    client.post(
        reverse("proposals_review:chair_declare", args=[stage.pk, b.pk]), {"conflict": "no"}
    )
    assert not ConflictDeclaration.objects.get(proposal=b, reviewer=scored["chair"]).has_conflict

    scored["outside_chair"] = _chair_outside_the_panel(scored)
    rows = _dashboard(client, scored, "outside_chair").context["rows"]
    assert all(row.declarable for row in rows)
    client.post(
        reverse("proposals_review:chair_declare", args=[stage.pk, b.pk]), {"conflict": "no"}
    )
    row = {r.proposal.pk: r for r in _dashboard(client, scored, "outside_chair").context["rows"]}[
        b.pk
    ]
    assert not row.hidden and str(row.mean_1) == "40.0"


@pytest.mark.parametrize(
    ("person", "expected"),
    [
        ("stranger", 404),
        ("org_member", 404),
        ("unassigned", 404),
        ("council", 404),
        ("official", 404),
        ("conflicted", 404),
        ("staff", 404),  # staff see every line and do not declare
        ("chair", 302),
    ],
)
def test_only_the_chair_declares_on_the_dashboard(client, scored, person, expected):
    stage, b = scored["stage"], scored["b"]
    client.force_login(scored[person])
    url = reverse("proposals_review:chair_declare", args=[stage.pk, b.pk])
    before = set(ConflictDeclaration.objects.values_list("pk", "has_conflict", "note"))
    response = client.post(url, {"conflict": "yes", "note": "x"})
    assert response.status_code == expected
    after = set(ConflictDeclaration.objects.values_list("pk", "has_conflict", "note"))
    assert len(after - before) == (1 if person == "chair" else 0)


def test_the_chair_declaration_is_post_only_and_needs_a_login(client, scored):
    stage, b = scored["stage"], scored["b"]
    url = reverse("proposals_review:chair_declare", args=[stage.pk, b.pk])
    response = client.post(url, {"conflict": "no"})
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]
    client.force_login(scored["chair"])
    assert client.get(url).status_code == 405
    assert not ConflictDeclaration.objects.filter(proposal=b, reviewer=scored["chair"]).exists()


def test_the_chair_of_another_call_cannot_declare_here(client, scored):
    other = StageFactory()
    other.round.chair = scored["chair"]
    other.round.save(update_fields=["chair"])
    client.force_login(scored["chair"])
    # a proposal not of that stage's call
    url = reverse("proposals_review:chair_declare", args=[other.pk, scored["b"].pk])
    assert client.post(url, {"conflict": "no"}).status_code == 404
    assert not ConflictDeclaration.objects.filter(
        proposal=scored["b"], reviewer=scored["chair"]
    ).exists()


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
    assert header[10:15] == [
        "Reviews missing",
        "Conflicts",
        "Drafts",
        "Re-opened",
        "Reaches the adoption line",
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
        "0",
        "yes",
        "",
    ]
    assert b[4:8] == ["1", "40.0", "40.0", "40.0"] and b[10:15] == ["3", "0", "1", "0", "no"]
    assert c[0] == "" and c[5] == "" and c[10] == "3"

    client.force_login(scored["chair"])
    rows = list(csv.reader(io.StringIO(client.get(urls(scored)[1]).content.decode()[1:])))
    by_reference = {row[1]: row for row in rows[1:]}
    hidden = by_reference[scored["b"].reference]
    assert hidden[4:15] == [""] * 11
    assert hidden[-1] == UNDECLARED
    assert by_reference[scored["c"].reference][-1] == CONFLICT
    reviews.conflict_declare(
        proposal=scored["b"], stage=scored["stage"], reviewer=scored["chair"], has_conflict=False
    )
    rows = list(csv.reader(io.StringIO(client.get(urls(scored)[1]).content.decode()[1:])))
    assert {row[1]: row for row in rows[1:]}[scored["b"].reference][-1] == OWN_PENDING


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
    automatic = response.context["automatic"]
    assert all(r["automatic"] for r in automatic)
    assert {(r["proposal"], r["reviewer"]) for r in declared} == {
        (scored["a"], scored["conflicted"]),
        (scored["c"], scored["chair"]),
    }
    assert [(r["proposal"], r["reviewer"]) for r in automatic] == [(scored["b"], member)]
    content = response.content.decode()
    assert "元理事" in content
    assert "Automatic (member of the organization)" in content
    assert member.get_full_name() in content


def test_reviews_reopened_by_their_reviewer_are_counted_on_visible_lines(client, scored):
    stage, a, b, council = scored["stage"], scored["a"], scored["b"], scored["council"]
    review = reviews.review_reopen(
        review=council.proposal_reviews.get(proposal=a, stage=stage), by=council
    )
    reviews.review_submit(review=review, by=council)
    response = _dashboard(client, scored)
    rows = {row.proposal.pk: row for row in response.context["rows"]}
    assert (rows[a.pk].reopened, rows[b.pk].reopened) == (1, 0)
    content = response.content.decode()
    assert "Re-opened" in content
    assert "re-opened: how often a reviewer re-opened their submitted review" in content
    csv_rows = list(csv.reader(io.StringIO(client.get(urls(scored)[1]).content.decode()[1:])))
    line_a = {row[1]: row for row in csv_rows[1:]}[a.reference]
    assert line_a[13] == "1"

    # The chair does not see it on a line hidden from them (b: not declared).
    review = reviews.review_reopen(
        review=council.proposal_reviews.get(proposal=b, stage=stage), by=council
    )
    reviews.review_submit(review=review, by=council)
    client.force_login(scored["chair"])
    rows = list(csv.reader(io.StringIO(client.get(urls(scored)[1]).content.decode()[1:])))
    by_reference = {row[1]: row for row in rows[1:]}
    assert by_reference[a.reference][13] == "1" and by_reference[b.reference][13] == ""


def test_the_line_is_reached_by_the_mean_as_shown(db):
    """49.96 shows as 50.0, so it reaches a line of 50 and sits above the line's row."""
    line = Decimal(50)
    reaching = Row(
        result=scoring.ProposalResult(proposal=None, totals=[Decimal("49.96")], rank=1),
        hidden_reason="",
        line=line,
    )
    below = Row(
        result=scoring.ProposalResult(proposal=None, totals=[Decimal("49.94")], rank=2),
        hidden_reason="",
        line=line,
    )
    assert str(reaching.mean_1) == "50.0" and reaching.reaches_line is True
    assert str(below.mean_1) == "49.9" and below.reaches_line is False
    assert _with_line([reaching, below]) == [("row", reaching), ("line", None), ("row", below)]


def test_the_dashboard_draws_the_line_under_a_mean_that_rounds_up_to_it(client, in_review):
    """Totals 66, 66 and 68: the mean 66.666… shows as 66.7 and reaches a line of 66.7."""
    stage, round_, (a, b, _c) = in_review["stage"], in_review["round"], in_review["proposals"]
    round_.adoption_line = Decimal("66.70")
    round_.save(update_fields=["adoption_line"])
    score_all(stage, a, in_review["council"], [4, 4, 4, 3, 3, 3, 3, 3, 3, 3])  # 66
    score_all(stage, a, in_review["official"], [4, 4, 4, 3, 3, 3, 3, 3, 3, 3])  # 66
    score_all(stage, a, in_review["chair"], [4, 4, 4, 4, 3, 3, 3, 3, 3, 3])  # 68
    score_all(stage, b, in_review["council"], [4, 4, 4, 3, 3, 3, 3, 3, 3, 3])  # 66
    client.force_login(in_review["staff"])
    response = client.get(reverse("proposals_review:dashboard", args=[stage.pk]))
    rows = {row.proposal.pk: row for row in response.context["rows"]}
    assert str(rows[a.pk].mean_1) == "66.7" and rows[a.pk].reaches_line is True
    assert rows[b.pk].reaches_line is False
    content = response.content.decode()
    line = content.index("data-adoption-line")
    assert content.index(a.title) < line < content.index(b.title)
    assert "1 reaching the adoption line" in " ".join(content.split())
    text = client.get(reverse("proposals_review:dashboard_csv", args=[stage.pk])).content.decode()
    line_a = {row[1]: row for row in csv.reader(io.StringIO(text[1:]))}[a.reference]
    assert (line_a[5], line_a[14]) == ("66.7", "yes")


@pytest.mark.parametrize("view", [0, 1, 2])
def test_the_dashboard_pages_are_never_cached(client, scored, view):
    client.force_login(scored["chair"])
    response = client.get(urls(scored)[view])
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
