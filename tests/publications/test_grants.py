import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyodo.exceptions import DomainError
from kyodo.models import OutboxMail
from kyodo.workflow import TransitionNotAllowed
from organizations.models import ActivityField
from publications import services
from publications.enums import DeadlineRule, GrantStatus
from publications.models import GrantEvent, GrantListing
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory
from tests.publications.conftest import grant, log_in

pytestmark = pytest.mark.django_db

GRANTS = "/grants/"


def programmes(response):
    return [listing.programme for listing in response.context["page_obj"].object_list]


def field(number):
    return ActivityField.objects.get(number=number)


def test_open_calls_are_sorted_by_deadline_and_closed_ones_are_archived(client):
    grant("遠い", days=60)
    grant("近い", days=3)
    grant("今日まで", days=0)
    grant("締切済み", days=-1)
    grant("提案中", days=10, status=GrantStatus.SUGGESTED)
    assert programmes(client.get(GRANTS)) == ["今日まで", "近い", "遠い"]
    assert programmes(client.get("/grants/archive/")) == ["締切済み"]


def test_calls_closing_within_14_days_are_marked(client):
    grant("十四日後", days=14)
    grant("十五日後", days=15)
    response = client.get(GRANTS)
    marked = {g.programme: g.closing_soon for g in response.context["listings"]}
    assert marked == {"十四日後": True, "十五日後": False}
    assert response.text.count("badge text-bg-danger") == 1


def test_filters_by_field_and_by_amount(client):
    grant("子ども", fields=[field(13)], amount_min=100_000, amount_max=500_000)
    grant("環境", fields=[field(7)], amount_max=200_000)
    grant("金額不明", fields=[field(13)])
    assert programmes(client.get(GRANTS, {"field": 13})) == ["子ども", "金額不明"]
    assert programmes(client.get(GRANTS, {"amount": 300_000})) == ["子ども", "金額不明"]
    assert programmes(client.get(GRANTS, {"field": 13, "amount": 600_000})) == ["金額不明"]
    response = client.get(GRANTS, {"amount": "99999999999999"})
    assert response.status_code == 200 and response.context["form"].errors


def test_the_detail_page_shows_how_the_deadline_counts_and_the_amount(client):
    listing = grant(
        "郵送", days=5, deadline_rule="postmark", amount_min=100_000, amount_max=300_000
    )
    page = client.get(listing.get_absolute_url()).text
    assert str(DeadlineRule.POSTMARK.label) in page
    assert "¥100,000 – ¥300,000" in page


@pytest.mark.parametrize(
    ("who", "suggested", "published"),
    [("anonymous", 404, 200), ("outsider", 404, 200), ("member", 404, 200), ("staff", 200, 200)],
)
def test_who_opens_a_suggested_and_a_published_listing(client, persons, who, suggested, published):
    log_in(client, persons[who])
    hidden = grant("提案中", status=GrantStatus.SUGGESTED)
    shown = grant("公開中")
    assert client.get(hidden.get_absolute_url()).status_code == suggested
    assert client.get(shown.get_absolute_url()).status_code == published


@pytest.mark.parametrize(
    ("who", "status"), [("anonymous", 302), ("outsider", 403), ("member", 200), ("staff", 403)]
)
def test_only_members_of_a_registered_group_may_suggest(client, persons, who, status):
    log_in(client, persons[who])
    assert client.get("/grants/suggest/").status_code == status


def test_a_member_of_an_expired_group_may_not_suggest(client):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    member = MembershipFactory(organization=OrganizationFactory(valid_until=yesterday)).user
    client.force_login(member)
    assert client.get("/grants/suggest/").status_code == 403


def _suggestion(organization, **overrides):
    return {
        "organization": organization.pk,
        "funder": "公益財団法人あおぞら基金",
        "programme": "見守り活動助成",
        "activity_fields": [field(1).pk, field(9).pk],
        "eligibility": "町会・自治会",
        "amount_min": "",
        "amount_max": "200000",
        "opens_on": "",
        "deadline": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        "deadline_rule": "postmark",
        "url": "https://example.jp/guide",
        "notes": "",
        **overrides,
    }


def test_a_suggestion_waits_for_staff_and_is_published_when_they_check_it(client, persons):
    member = persons["member"]
    organization = member.memberships.get().organization
    client.force_login(member)
    response = client.post("/grants/suggest/", _suggestion(organization))
    assert response.status_code == 302
    listing = GrantListing.objects.get()
    assert listing.status == GrantStatus.SUGGESTED
    assert listing.suggested_for == organization
    assert sorted(f.number for f in listing.activity_fields.all()) == [1, 9]
    assert programmes(client.get(GRANTS)) == []
    # The center is told (a row in the outbox, sent after the commit).
    assert OutboxMail.objects.filter(purpose="publications.grant_suggested").count() == 1

    staff = StaffFactory()
    client.force_login(staff)
    page = client.get(reverse("publications_staff:grant_suggestions"))
    assert [g.programme for g in page.context["listings"]] == ["見守り活動助成"]
    client.post(reverse("publications_staff:grant_action", args=[listing.pk, "publish"]))
    listing.refresh_from_db()
    assert listing.status == GrantStatus.PUBLISHED and listing.published_at
    assert programmes(client.get(GRANTS)) == ["見守り活動助成"]
    assert list(GrantEvent.objects.values_list("old_status", "new_status")) == [
        ("", "suggested"),
        ("suggested", "published"),
    ]


def test_staff_decline_a_suggestion_with_a_reason(client):
    listing = grant("怪しい助成", status=GrantStatus.SUGGESTED)
    client.force_login(StaffFactory())
    client.post(
        reverse("publications_staff:grant_action", args=[listing.pk, "decline"]),
        {f"decline-{listing.pk}-reason": "募集が見つからない"},
    )
    listing.refresh_from_db()
    assert listing.status == GrantStatus.REJECTED
    assert GrantEvent.objects.get().reason == "募集が見つからない"


def test_the_suggestion_form_refuses_a_reversed_amount_range(client, persons):
    member = persons["member"]
    client.force_login(member)
    organization = member.memberships.get().organization
    response = client.post(
        "/grants/suggest/", _suggestion(organization, amount_min="500000", amount_max="1000")
    )
    assert response.status_code == 200 and "amount_max" in response.context["form"].errors
    assert not GrantListing.objects.exists()


def test_a_group_may_not_suggest_for_a_group_it_does_not_belong_to(client, persons):
    client.force_login(persons["member"])
    response = client.post("/grants/suggest/", _suggestion(OrganizationFactory()))
    assert "organization" in response.context["form"].errors
    assert not GrantListing.objects.exists()


def test_every_status_move_of_a_listing(persons):
    staff = persons["staff"]
    allowed = [
        ("suggested", "published"),
        ("suggested", "rejected"),
        ("rejected", "published"),
        ("published", "rejected"),
    ]
    for old, new in allowed:
        listing = grant(f"{old}-{new}", status=old)
        services.grant_set_status(listing=listing, to=new, by=staff)
        assert GrantListing.objects.get(pk=listing.pk).status == new
    for old, new in [("published", "suggested"), ("rejected", "suggested")]:
        listing = grant(f"{old}-{new}", status=old)
        with pytest.raises(TransitionNotAllowed):
            services.grant_set_status(listing=listing, to=new, by=staff)


@pytest.mark.parametrize("who", ["anonymous", "outsider", "member"])
def test_only_staff_reach_the_suggestions_and_their_actions(client, persons, who):
    listing = grant("提案中", status=GrantStatus.SUGGESTED)
    log_in(client, persons[who])
    expected = 302 if who == "anonymous" else 404
    assert client.get(reverse("publications_staff:grant_suggestions")).status_code == expected
    url = reverse("publications_staff:grant_action", args=[listing.pk, "publish"])
    assert client.post(url).status_code == expected
    assert GrantListing.objects.get(pk=listing.pk).status == GrantStatus.SUGGESTED


def test_the_service_refuses_a_reversed_amount_range():
    with pytest.raises(DomainError):
        grant("逆", amount_min=300_000, amount_max=100_000)


@pytest.mark.parametrize(
    ("url", "params"),
    [(GRANTS, {}), (GRANTS, {"field": 13, "amount": 1000}), ("/grants/archive/", {})],
)
def test_the_lists_run_the_same_queries_for_1_and_for_25_listings(
    client, django_assert_num_queries, url, params
):
    days = -5 if "archive" in url else 5
    grant("一件目", days=days, fields=[field(13)], amount_max=5000)
    client.get(url, params)
    with CaptureQueriesContext(connection) as one:
        assert len(programmes(client.get(url, params))) == 1
    for n in range(24):
        grant(
            f"追加{n}", days=days + (n if days > 0 else -n), fields=[field(13), field(1 + n % 20)]
        )
    with django_assert_num_queries(len(one)):
        assert len(programmes(client.get(url, params))) == 20


def test_the_suggestions_page_runs_the_same_queries_for_1_and_for_10(
    client, django_assert_num_queries
):
    client.force_login(StaffFactory())
    url = reverse("publications_staff:grant_suggestions")
    grant("一件目", status=GrantStatus.SUGGESTED, suggested_for=OrganizationFactory())
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(9):
        grant(
            f"追加{n}",
            status=GrantStatus.SUGGESTED,
            suggested_for=OrganizationFactory(),
            fields=[field(3)],
        )
    with django_assert_num_queries(len(one)):
        assert len(client.get(url).context["listings"]) == 10
