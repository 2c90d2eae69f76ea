"""The public pages of 協働事業提案: the calls, one call's guide, themes, schedule and criteria,
the guide file, and the adopted proposals — only once released."""

import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import Criterion
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    RoundFactory,
    StaffFactory,
    StageFactory,
    ThemeFactory,
)
from tests.proposals.conftest import submitted_proposal

pytestmark = pytest.mark.django_db

EVERYONE = ["anonymous", "stranger", "outsider", "member", "manager", "owner", "staff"]
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def _client_as(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])
    return client


def _queries(client, url):
    """(number of queries, response) of a GET."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return len(queries), response


def _today():
    return timezone.localdate()


def _release(round_, outcomes):
    """Decide every proposal (proposal → outcome) as staff and release the round."""
    staff = StaffFactory()
    for proposal, outcome in outcomes.items():
        services.decision_prepare(
            proposal=proposal,
            by=staff,
            outcome=outcome,
            conditions="報告書を提出すること" if outcome == "adopted_conditions" else "",
        )
    return services.decisions_release(round_=round_, by=staff)


@pytest.fixture
def rounds(db):
    today = _today()
    return {
        "open": RoundFactory(title="令和9年度 協働事業提案（募集中）"),
        "upcoming": RoundFactory(
            title="来年度の募集",
            pre_consultation_from=today + dt.timedelta(days=10),
            pre_consultation_until=today + dt.timedelta(days=60),
            call_opens_on=today + dt.timedelta(days=20),
            submission_deadline=today + dt.timedelta(days=80),
        ),
        "past": RoundFactory(
            title="昨年度の募集",
            call_opens_on=today - dt.timedelta(days=300),
            submission_deadline=today - dt.timedelta(days=200),
        ),
        "hidden": RoundFactory(title="非公開の募集", is_published=False),
    }


# --- the list of calls ----------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_index_is_public_and_sorts_calls_by_when_they_are_open(client, people, rounds, who):
    response = _client_as(client, people, who).get(reverse("proposals:index"))
    assert response.status_code == 200
    assert [r.title for r in response.context["open_rounds"]] == [rounds["open"].title]
    assert [r.title for r in response.context["upcoming_rounds"]] == ["来年度の募集"]
    assert [r.title for r in response.context["past_rounds"]] == ["昨年度の募集"]
    assert "非公開の募集" not in response.content.decode()


def test_index_links_to_results_only_once_released(client, rounds):
    round_ = rounds["open"]
    results_url = reverse("proposals:results", args=[round_.pk])
    assert results_url not in client.get(reverse("proposals:index")).content.decode()
    proposal = submitted_proposal(round_)
    _release(round_, {proposal: "adopted"})
    assert results_url in client.get(reverse("proposals:index")).content.decode()


def test_index_runs_the_same_queries_for_one_call_or_many(client, django_assert_num_queries):
    def make(n):
        for _ in range(n):
            round_ = RoundFactory()
            ThemeFactory(round=round_)
            StageFactory(round=round_)

    make(1)
    client.get(reverse("proposals:index"))  # warm up (sessions, content types)
    count, _response = _queries(client, reverse("proposals:index"))
    make(4)
    with django_assert_num_queries(count):
        response = client.get(reverse("proposals:index"))
    assert len(response.context["open_rounds"]) == 5


# --- one call ------------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_round_page_is_public(client, people, rounds, who):
    response = _client_as(client, people, who).get(
        reverse("proposals:round", args=[rounds["open"].pk])
    )
    assert response.status_code == 200
    assert rounds["open"].title in response.content.decode()


@pytest.mark.parametrize("who", EVERYONE)
def test_an_unpublished_call_is_not_found(client, people, rounds, who):
    hidden = rounds["hidden"]
    client = _client_as(client, people, who)
    for name in ("round", "round_guide", "results"):
        assert client.get(reverse(f"proposals:{name}", args=[hidden.pk])).status_code == 404


def test_round_page_shows_guide_themes_schedule_and_criteria(client):
    round_ = RoundFactory(
        guide_text="事前相談を受けてから提案してください。",
        accepts_free_proposals=False,
        decision_due_on=_today() + dt.timedelta(days=120),
    )
    ThemeFactory(round=round_, title="高齢者の見守り", department="高齢者福祉課")
    StageFactory(round=round_, number=1, name="一次審査（書類）")
    StageFactory(round=round_, number=2, name="二次審査（公開プレゼンテーション）")
    Criterion.objects.filter(round=round_, order=1).update(weight=2)
    round_.guide_file.save("guide.pdf", ContentFile(PDF))
    response = client.get(reverse("proposals:round", args=[round_.pk]))
    html = response.content.decode()
    assert "事前相談を受けてから提案してください。" in html
    assert reverse("proposals:round_guide", args=[round_.pk]) in html
    assert "高齢者の見守り" in html and "高齢者福祉課" in html
    assert "Not accepted in this call" in html
    assert "一次審査（書類）" in html and "二次審査（公開プレゼンテーション）" in html
    assert f"{round_.submission_deadline:%Y-%m-%d}, 23:59 Tokyo time" in html
    assert f"{round_.pre_consultation_from:%Y-%m-%d}" in html
    assert f"{round_.decision_due_on:%Y-%m-%d}" in html
    # the 10 criteria, the first weighing double: 2 of 11 weights → 18.2 of 100 points
    rows = response.context["criteria"]
    assert len(rows) == 10
    assert [str(r["share"]) for r in rows[:2]] == ["18.2", "9.1"]
    assert "公益性" in html and "0–5" in html
    assert "Adoption line: 50 of 100 points." in html


def test_criteria_are_public_before_the_call_opens(client, rounds):
    response = client.get(reverse("proposals:round", args=[rounds["upcoming"].pk]))
    html = response.content.decode()
    assert "The call opens on" in html
    assert "Public benefit" in html and "Continuity" in html  # in English, as the page
    assert reverse("proposals:create", args=[rounds["upcoming"].pk]) not in html


@pytest.mark.parametrize(
    ("who", "sees_button"),
    [
        ("anonymous", False),
        ("stranger", False),
        ("outsider", True),  # the owner of another valid organization proposes for it
        ("member", False),
        ("manager", True),
        ("owner", True),
        ("staff", False),
    ],
)
def test_start_button_for_managers_of_valid_organizations_while_open(
    client, people, rounds, who, sees_button
):
    client = _client_as(client, people, who)
    create_url = reverse("proposals:create", args=[rounds["open"].pk])
    html = client.get(reverse("proposals:round", args=[rounds["open"].pk])).content.decode()
    assert (create_url in html) is sees_button
    past = client.get(reverse("proposals:round", args=[rounds["past"].pk])).content.decode()
    assert reverse("proposals:create", args=[rounds["past"].pk]) not in past


def test_no_start_button_for_the_manager_of_an_expired_organization(client, rounds):
    expired = OrganizationFactory(status="expired", valid_until=_today() - dt.timedelta(days=1))
    client.force_login(MembershipFactory(organization=expired, role="owner").user)
    html = client.get(reverse("proposals:round", args=[rounds["open"].pk])).content.decode()
    assert reverse("proposals:create", args=[rounds["open"].pk]) not in html


# --- the guide file ------------------------------------------------------------------------


@pytest.mark.parametrize("who", EVERYONE)
def test_guide_file_is_served_for_a_published_call(client, people, who):
    round_ = RoundFactory()
    round_.guide_file.save("start-guide.pdf", ContentFile(PDF))
    response = _client_as(client, people, who).get(
        reverse("proposals:round_guide", args=[round_.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "start-guide.pdf" in response["Content-Disposition"]


def test_guide_file_of_an_unpublished_call_is_not_served(client, staff):
    round_ = RoundFactory(is_published=False)
    round_.guide_file.save("start-guide.pdf", ContentFile(PDF))
    client.force_login(staff)
    assert client.get(reverse("proposals:round_guide", args=[round_.pk])).status_code == 404


def test_a_call_without_a_guide_file_has_none_to_serve(client):
    round_ = RoundFactory()
    assert client.get(reverse("proposals:round_guide", args=[round_.pk])).status_code == 404


# --- results -------------------------------------------------------------------------------


@pytest.fixture
def decided(db):
    """A call past its deadline with three submitted proposals, their decisions prepared
    (one adopted, one with conditions, one not) but not released."""
    round_ = RoundFactory()
    adopted = submitted_proposal(round_, title="子ども食堂ネットワーク")
    conditional = submitted_proposal(round_, title="防災マップづくり")
    rejected = submitted_proposal(round_, title="不採択になる提案")
    staff = StaffFactory()
    services.decision_prepare(proposal=adopted, by=staff, outcome="adopted")
    services.decision_prepare(
        proposal=conditional,
        by=staff,
        outcome="adopted_conditions",
        conditions="報告書を提出すること",
    )
    services.decision_prepare(proposal=rejected, by=staff, outcome="not_adopted")
    return {"round": round_, "staff": staff}


@pytest.mark.parametrize("who", EVERYONE)
def test_results_show_nothing_before_release(client, people, decided, who):
    response = _client_as(client, people, who).get(
        reverse("proposals:results", args=[decided["round"].pk])
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "have not been announced yet" in html
    for title in ("子ども食堂ネットワーク", "防災マップづくり", "不採択になる提案"):
        assert title not in html
    assert response.context["adopted"] == []


@pytest.mark.parametrize("who", EVERYONE)
def test_results_show_the_adopted_proposals_after_release(client, people, decided, who):
    services.decisions_release(round_=decided["round"], by=decided["staff"])
    response = _client_as(client, people, who).get(
        reverse("proposals:results", args=[decided["round"].pk])
    )
    html = response.content.decode()
    assert "子ども食堂ネットワーク" in html
    assert "防災マップづくり" in html and "Adopted with conditions" in html
    assert "不採択になる提案" not in html
    assert "報告書を提出すること" not in html  # conditions are the organization's letter


def test_results_run_the_same_queries_for_one_adopted_or_several(client, django_assert_num_queries):
    def released_round(n):
        round_ = RoundFactory()
        _release(round_, {submitted_proposal(round_): "adopted" for _ in range(n)})
        return round_

    one, several = released_round(1), released_round(4)
    client.get(reverse("proposals:results", args=[one.pk]))  # warm up
    count, response = _queries(client, reverse("proposals:results", args=[one.pk]))
    assert len(response.context["adopted"]) == 1
    with django_assert_num_queries(count):
        response = client.get(reverse("proposals:results", args=[several.pk]))
    assert len(response.context["adopted"]) == 4
