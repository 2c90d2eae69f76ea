"""The public directory (団体紹介): who is listed, the kana-insensitive search, the filters,
paging, what a public page shows, and a constant number of queries."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("organizations:directory")


def detail_url(organization):
    return reverse("organizations:directory_detail", args=[organization.pk])


def listed(**kwargs):
    return OrganizationFactory(is_listed=True, **kwargs)


def names_on(response):
    """The organizations' names as the result list links them, in order."""
    assert response.status_code == 200
    body = response.content.decode()
    return re.findall(r'<a href="/organizations/directory/\d+/" lang="ja">([^<]+)</a>', body)


def search(client, **params):
    return names_on(client.get(DIRECTORY, params))


# --- who is listed ----------------------------------------------------------------------------


def test_directory_lists_only_listed_and_valid_organizations(client):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    listed(name="掲載中の会")
    listed(name="今日まで有効の会", valid_until=timezone.localdate())
    OrganizationFactory(name="非掲載の会", is_listed=False)
    listed(name="申請中の会", status="applying", registration_number=None, valid_until=None)
    listed(name="期限切れの会", status="expired", valid_until=yesterday)
    listed(name="停止中の会", status="suspended")
    listed(name="有効期限を過ぎた会", status="registered", valid_until=yesterday)
    listed(name="却下された会", status="rejected", registration_number=None, valid_until=None)

    assert sorted(search(client)) == ["今日まで有効の会", "掲載中の会"]


def test_directory_says_so_when_nobody_is_listed(client):
    OrganizationFactory(is_listed=False)
    response = client.get(DIRECTORY)
    assert names_on(response) == []
    assert response.context["page"].paginator.count == 0


# --- search -----------------------------------------------------------------------------------


@pytest.fixture
def nihonbashi_and_ginza():
    listed(name="日本橋まちづくりの会", name_kana="ニホンバシマチヅクリノカイ")
    listed(name="銀座こども食堂", name_kana="ギンザコドモショクドウ")


@pytest.mark.parametrize(
    "query",
    [
        "にほんばし",  # hiragana for a katakana reading
        "ニホンバシ",
        "ﾆﾎﾝﾊﾞｼ",  # half-width katakana with separate dakuten
        "ニホンバシ マチ",  # a half-width space the reading does not have
        "ニホンバシ　マチ",  # a full-width one
        "  にほんばし  ",
        "日本橋",  # the name itself
        "マチヅクリ",  # katakana for the hiragana in the name
    ],
)
def test_search_ignores_kana_width_and_spaces(client, nihonbashi_and_ginza, query):
    assert search(client, q=query) == ["日本橋まちづくりの会"]


def test_search_finds_a_full_width_latin_name_by_lowercase_ascii(client, nihonbashi_and_ginza):
    listed(name="ＮＰＯ法人ほげ", name_kana="エヌピーオーホウジンホゲ")
    assert search(client, q="npo") == ["ＮＰＯ法人ほげ"]
    assert search(client, q="ＮＰＯ") == ["ＮＰＯ法人ほげ"]
    assert search(client, q="Npo法人") == ["ＮＰＯ法人ほげ"]


def test_search_without_a_match_lists_nothing_and_says_so(client, nihonbashi_and_ginza):
    response = client.get(DIRECTORY, {"q": "あさくさ"})
    assert names_on(response) == []
    assert response.context["page"].paginator.count == 0


def test_search_never_finds_an_unlisted_organization(client):
    OrganizationFactory(name="秘密の会", name_kana="ヒミツノカイ", is_listed=False)
    assert search(client, q="ひみつ") == []


# --- filters ----------------------------------------------------------------------------------


def test_filter_by_activity_field(client):
    listed(name="まちづくりの会", fields=[3])
    listed(name="子ども支援の会", fields=[13, 1])
    listed(name="防災の会", fields=[8, 9])

    assert search(client, field=13) == ["子ども支援の会"]
    assert sorted(search(client, field=9)) == ["防災の会"]
    assert search(client, field=20) == []


def test_an_organization_with_several_fields_is_listed_once(client):
    listed(name="多分野の会", fields=[1, 2, 3, 13])
    assert search(client) == ["多分野の会"]
    assert search(client, field=2) == ["多分野の会"]


def test_filter_by_type(client):
    listed(name="ボランティアの会", org_type="voluntary")
    listed(name="NPO法人まち", org_type="npo", corporate_number="1234567890123")

    assert search(client, org_type="npo") == ["NPO法人まち"]
    assert search(client, org_type="voluntary") == ["ボランティアの会"]
    assert search(client, org_type="company") == []


def test_filters_combine_with_the_search(client):
    listed(name="日本橋こども会", name_kana="ニホンバシコドモカイ", fields=[13])
    listed(name="日本橋まちの会", name_kana="ニホンバシマチノカイ", fields=[3])
    listed(name="銀座こども会", name_kana="ギンザコドモカイ", fields=[13])

    assert search(client, q="にほんばし", field=13) == ["日本橋こども会"]


def test_an_unknown_filter_value_is_an_error_on_the_form_not_a_crash(client):
    listed(name="掲載中の会")
    response = client.get(DIRECTORY, {"field": "99", "org_type": "nonsense", "q": "けいさい"})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"field", "org_type"}
    # The valid part of the request still applies (the query matches nobody).
    assert names_on(response) == []


# --- paging -----------------------------------------------------------------------------------


def test_directory_pages_by_twenty(client):
    for n in range(25):
        listed(name=f"会{n:02d}", name_kana=f"カイ{n:02d}")

    first = client.get(DIRECTORY)
    second = client.get(DIRECTORY, {"page": 2})

    assert names_on(first) == [f"会{n:02d}" for n in range(20)]
    assert names_on(second) == [f"会{n:02d}" for n in range(20, 25)]
    assert first.context["page"].paginator.count == 25
    assert 'aria-current="page">1<' in first.content.decode()
    assert 'aria-current="page">2<' in second.content.decode()


def test_page_links_keep_the_filters(client):
    for n in range(25):
        listed(name=f"会{n:02d}", name_kana=f"ニホンバシ{n:02d}", fields=[3])
    listed(name="銀座の会", name_kana="ギンザノカイ", fields=[3])

    response = client.get(DIRECTORY, {"q": "にほんばし", "field": 3})
    body = response.content.decode()

    links = re.findall(r'href="(\?[^"]*page=2[^"]*)"', body)
    assert links, "no link to page 2"
    for link in links:
        assert "q=%E3%81%AB%E3%81%BB%E3%82%93%E3%81%B0%E3%81%97" in link
        assert "field=3" in link
    # Following the link gives the rest of the filtered results, not the whole directory.
    href = links[0].replace("&amp;", "&")
    assert names_on(client.get(DIRECTORY + href)) == [f"会{n:02d}" for n in range(20, 25)]


@pytest.mark.parametrize("page", ["99", "abc", "-1"])
def test_a_page_out_of_range_or_not_a_number_still_shows_a_page(client, page):
    listed(name="掲載中の会")
    assert search(client, page=page) == ["掲載中の会"]


# --- what a listing and a public page show ----------------------------------------------------


def test_directory_entry_shows_name_reading_type_fields_and_a_short_purpose(client):
    listed(
        name="日本橋まちづくりの会",
        name_kana="ニホンバシマチヅクリノカイ",
        org_type="voluntary",
        fields=[3, 13],
        purpose="地域の課題を住民の手で解決する。" * 10,
        phone="03-9876-5432",
        public_fields=["phone"],
    )
    body = client.get(DIRECTORY).content.decode()

    assert "日本橋まちづくりの会" in body
    assert "ニホンバシマチヅクリノカイ" in body
    assert "任意団体・ボランティア団体" in body
    assert "まちづくりの推進を図る活動" in body
    assert "子どもの健全育成を図る活動" in body
    assert "地域の課題を住民の手で解決する。" in body
    assert "地域の課題を住民の手で解決する。" * 10 not in body  # shortened
    assert "03-9876-5432" not in body  # contact details only on the public page


def test_activity_fields_are_in_english_when_the_visitor_chooses_english(client):
    organization = listed(fields=[3])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    listing = client.get(DIRECTORY).content.decode()
    page = client.get(detail_url(organization)).content.decode()

    for body in (listing, page):
        assert "Activities to promote community development" in body
        assert "まちづくりの推進を図る活動" not in body


def test_public_page_shows_the_profile(client):
    organization = listed(
        name="銀座こども食堂",
        name_kana="ギンザコドモショクドウ",
        org_type="npo",
        corporate_number="1234567890123",
        fields=[13],
        purpose="子どもに温かい食事と居場所を。",
        activities="毎週土曜日の子ども食堂、学習支援。",
    )
    body = client.get(detail_url(organization)).content.decode()

    assert "<h1" in body and "銀座こども食堂</h1>" in body
    assert "ギンザコドモショクドウ" in body
    assert "特定非営利活動法人（NPO法人）" in body
    assert "子どもの健全育成を図る活動" in body
    assert "子どもに温かい食事と居場所を。" in body
    assert "毎週土曜日の子ども食堂、学習支援。" in body


@pytest.mark.parametrize(
    ("published", "shown", "hidden"),
    [
        (["phone"], ["03-9876-5432"], ["hoge-contact@example.org"]),
        (["email"], ["hoge-contact@example.org"], ["03-9876-5432"]),
        ([], [], ["03-9876-5432", "hoge-contact@example.org"]),
        (["phone", "email"], ["03-9876-5432", "hoge-contact@example.org"], []),
    ],
)
def test_public_page_shows_only_the_chosen_contact_details(client, published, shown, hidden):
    organization = listed(
        phone="03-9876-5432", email="hoge-contact@example.org", public_fields=published
    )
    body = client.get(detail_url(organization)).content.decode()
    for text in shown:
        assert text in body
    for text in hidden:
        assert text not in body


def test_public_page_shows_the_address_only_when_chosen(client):
    hidden = listed(street="銀座九丁目9-9", building="みらいビル3階", public_fields=[])
    shown = listed(street="銀座九丁目9-9", building="みらいビル3階", public_fields=["address"])

    assert "銀座九丁目9-9" not in client.get(detail_url(hidden)).content.decode()
    body = client.get(detail_url(shown)).content.decode()
    assert "東京都中央区銀座九丁目9-9 みらいビル3階" in body


def test_public_page_shows_every_publishable_field_when_chosen(client):
    organization = listed(
        representative_name="代表　花子",
        fax="03-1111-2222",
        website="https://hoge.example.org/",
        sns="https://sns.example.org/hoge",
        member_count=42,
        established_on=dt.date(2015, 4, 1),
        activity_schedule="毎月第2土曜日・区民館",
        activity_area="銀座・築地",
        public_fields=[
            "representative_name",
            "fax",
            "website",
            "sns",
            "member_count",
            "established_on",
            "activity_schedule",
            "activity_area",
        ],
    )
    body = client.get(detail_url(organization)).content.decode()
    for text in (
        "代表　花子",
        "03-1111-2222",
        'href="https://hoge.example.org/"',
        'href="https://sns.example.org/hoge"',
        "42",
        "2015",
        "毎月第2土曜日・区民館",
        "銀座・築地",
    ):
        assert text in body


def test_public_page_never_shows_a_field_outside_the_publishable_ones(client):
    organization = listed(
        annual_budget=9876543,
        representative_kana="ダイヒョウハナコ",
        corporate_number="1234567890123",
        public_fields=["annual_budget", "representative_kana", "corporate_number"],
    )
    body = client.get(detail_url(organization)).content.decode()
    assert "9876543" not in body and "9,876,543" not in body
    assert "ダイヒョウハナコ" not in body
    assert "1234567890123" not in body


@pytest.mark.parametrize(
    "kwargs",
    [
        {"is_listed": False},
        {"is_listed": True, "status": "expired"},
        {"is_listed": True, "status": "suspended"},
        {"is_listed": True, "status": "applying", "registration_number": None, "valid_until": None},
        {"is_listed": True, "valid_until": dt.date(2000, 3, 31)},
    ],
    ids=["unlisted", "expired", "suspended", "applying", "past-validity"],
)
def test_public_page_is_404_unless_listed_and_valid(client, kwargs):
    organization = OrganizationFactory(name="見えない会", **kwargs)
    response = client.get(detail_url(organization))
    assert response.status_code == 404
    assert "見えない会" not in response.content.decode()


def test_public_page_of_a_nonexistent_organization_is_404(client):
    assert client.get(reverse("organizations:directory_detail", args=[999999])).status_code == 404


# --- who may look -----------------------------------------------------------------------------


def _log_in(client, who, organization):
    user = {
        "anonymous": lambda: None,
        "stranger": UserFactory,
        "member": lambda: MembershipFactory(organization=organization, role="member").user,
        "owner": lambda: MembershipFactory(organization=organization, role="owner").user,
        "staff": StaffFactory,
    }[who]()
    if user is not None:
        client.force_login(user)


WHO = ["anonymous", "stranger", "member", "owner", "staff"]


@pytest.mark.parametrize("who", WHO)
def test_everyone_sees_the_directory_and_a_public_page(client, who):
    organization = listed(
        name="日本橋まちづくりの会", phone="03-9876-5432", public_fields=["phone"]
    )
    _log_in(client, who, organization)

    assert search(client) == ["日本橋まちづくりの会"]
    body = client.get(detail_url(organization)).content.decode()
    assert "日本橋まちづくりの会" in body
    assert "03-9876-5432" in body


@pytest.mark.parametrize("who", WHO)
def test_nobody_sees_an_unlisted_organization_in_the_directory(client, who):
    # Its members and staff see it on their own pages, not on the public one.
    organization = OrganizationFactory(name="非掲載の会", is_listed=False)
    _log_in(client, who, organization)

    assert search(client) == []
    assert client.get(detail_url(organization)).status_code == 404


# --- queries ----------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["anonymous", "stranger"])
@pytest.mark.parametrize("params", [{}, {"q": "にほんばし", "field": 3, "org_type": "voluntary"}])
def test_directory_runs_the_same_queries_for_1_and_for_30_organizations(
    client, django_assert_num_queries, who, params
):
    listed(fields=[3, 13])
    _log_in(client, who, None)
    client.get(DIRECTORY, params)  # warm up what is cached per process (content types, …)

    with CaptureQueriesContext(connection) as one:
        assert len(names_on(client.get(DIRECTORY, params))) == 1

    for n in range(29):
        listed(fields=[3, 1 + n % 20, 13])
    with django_assert_num_queries(len(one)):
        assert len(names_on(client.get(DIRECTORY, params))) == 20
