import datetime as dt

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyodo import navigation
from kyodo.models import Closure
from publications.enums import NewsCategory
from publications.models import NewsItem
from tests.factories import StaffFactory
from tests.publications.conftest import log_in, news

pytestmark = pytest.mark.django_db

NEWS = "/news/"


def titles(response):
    return [item.title for item in response.context["page_obj"].object_list]


def test_the_list_shows_published_news_pinned_first_then_newest(client):
    news("古い", days_ago=10)
    news("新しい", days_ago=1)
    news("固定", days_ago=20, pinned=True)
    news("下書き", days_ago=None)
    news("予約", publish_at=timezone.now() + dt.timedelta(hours=2))
    news("期限切れ", days_ago=5, expires_at=timezone.now() - dt.timedelta(minutes=1))
    assert titles(client.get(NEWS)) == ["固定", "新しい", "古い"]


def test_a_scheduled_item_appears_at_its_time_and_goes_at_its_expiry(client):
    start = timezone.now()
    news(
        "予約投稿",
        publish_at=start + dt.timedelta(hours=1),
        expires_at=start + dt.timedelta(days=2),
    )
    assert titles(client.get(NEWS)) == []
    with time_machine.travel(start + dt.timedelta(hours=1, seconds=1)):
        assert titles(client.get(NEWS)) == ["予約投稿"]
    with time_machine.travel(start + dt.timedelta(days=2, seconds=1)):
        assert titles(client.get(NEWS)) == []


def test_the_category_filter_shows_one_category_and_ignores_an_unknown_one(client):
    news("休館", category=NewsCategory.CLOSURE)
    news("講座", category=NewsCategory.EVENTS)
    assert titles(client.get(NEWS, {"category": "closure"})) == ["休館"]
    response = client.get(NEWS, {"category": "nonsense"})
    assert sorted(titles(response)) == ["休館", "講座"]
    assert response.context["form"].errors["category"]


def test_the_list_pages_by_twenty(client):
    for n in range(23):
        news(f"お知らせ{n}", days_ago=n + 1)
    assert len(titles(client.get(NEWS))) == 20
    assert titles(client.get(NEWS, {"page": 2})) == ["お知らせ20", "お知らせ21", "お知らせ22"]


@pytest.mark.parametrize(
    ("who", "draft", "published"),
    [
        ("anonymous", 404, 200),
        ("outsider", 404, 200),
        ("member", 404, 200),
        ("staff", 200, 200),
    ],
)
def test_who_opens_a_draft_and_a_published_item(client, persons, who, draft, published):
    log_in(client, persons[who])
    hidden = news("下書き", days_ago=None)
    shown = news("公開")
    assert client.get(reverse("publications:news_detail", args=[hidden.pk])).status_code == draft
    response = client.get(reverse("publications:news_detail", args=[shown.pk]))
    assert response.status_code == published
    assert "公開" in response.text


def test_staff_see_that_a_scheduled_item_is_not_public_yet(client, persons):
    item = news("予約", publish_at=timezone.now() + dt.timedelta(days=1))
    log_in(client, persons["staff"])
    page = client.get(item.get_absolute_url()).text
    assert "Only center staff see this page" in page or "職員" in page


def test_the_item_page_shows_the_sanitised_text(client):
    item = news("本文", body='<p onclick="x()">安全<script>alert(1)</script></p>')
    page = client.get(item.get_absolute_url()).text
    assert "<p>安全</p>" in page
    assert "alert(1)" not in page


def test_a_closure_item_links_to_the_closure_calendar(client):
    closure = news("臨時休館", category=NewsCategory.CLOSURE)
    other = news("講座", category=NewsCategory.EVENTS)
    calendar = reverse("publications:closure_calendar")
    assert f'href="{calendar}"' in client.get(closure.get_absolute_url()).text
    assert f'href="{calendar}"' not in client.get(other.get_absolute_url()).text


@time_machine.travel(dt.datetime(2026, 12, 8, 10, tzinfo=dt.UTC))
def test_the_closure_calendar_lists_mondays_new_year_and_ad_hoc_closures(client):
    Closure.objects.create(date=dt.date(2026, 12, 17), reason="設備点検のため臨時休館")
    closed = [day.date for day in client.get("/news/closures/").context["closed"]]
    assert dt.date(2026, 12, 14) in closed  # a Monday
    assert dt.date(2026, 12, 17) in closed  # the ad-hoc closure
    assert dt.date(2026, 12, 31) in closed  # 年末年始
    assert dt.date(2026, 12, 16) not in closed


def test_the_home_page_shows_the_pinned_and_the_latest(client):
    news("固定のお知らせ", days_ago=30, pinned=True)
    for n in range(7):
        news(f"最新{n}", days_ago=n + 1)
    news("下書きは出ない", days_ago=None)
    sections = dict((s.key, data) for s, data in client.get("/").context["sections"])
    assert [i.title for i in sections["news"]["pinned"]] == ["固定のお知らせ"]
    assert [i.title for i in sections["news"]["latest"]] == [f"最新{n}" for n in range(5)]
    page = client.get("/").text
    assert "固定のお知らせ" in page and "下書きは出ない" not in page


def test_the_home_page_leaves_out_the_news_section_when_there_is_none(client):
    assert "news" not in [s.key for s, _ in client.get("/").context["sections"]]


def test_the_navigation_entry_leads_to_the_news():
    entry = next(item for item in navigation.items() if item.key == "publications")
    assert entry.url == NEWS


def _names(response):
    return len(response.context["page_obj"].object_list)


@pytest.mark.parametrize("params", [{}, {"category": "center"}])
def test_the_list_runs_the_same_queries_for_1_and_for_25_items(
    client, django_assert_num_queries, params
):
    news("一件目")
    client.get(NEWS, params)
    with CaptureQueriesContext(connection) as one:
        assert _names(client.get(NEWS, params)) == 1
    for n in range(24):
        news(f"追加{n}", pinned=n % 5 == 0)
    with django_assert_num_queries(len(one)):
        assert _names(client.get(NEWS, params)) == 20


def test_the_home_page_runs_the_same_queries_for_1_and_for_12_items(
    client, django_assert_num_queries
):
    news("一件目")
    client.get("/")
    with CaptureQueriesContext(connection) as one:
        client.get("/")
    for n in range(11):
        news(f"追加{n}", pinned=n < 2)
    with django_assert_num_queries(len(one)):
        client.get("/")


def _admin_post(client, **overrides):
    data = {
        "title": "管理画面から",
        "category": "center",
        "summary": "",
        "body": '<p style="color:red" onmouseover="x()">本文</p><script>bad()</script>',
        "image_alt": "",
        "publish_at_0": "2026-12-01",
        "publish_at_1": "10:00",
        "expires_at_0": "",
        "expires_at_1": "",
        **overrides,
    }
    return client.post(reverse("admin:publications_newsitem_add"), data)


def test_the_admin_saves_news_sanitised_with_its_search_key(client):
    client.force_login(StaffFactory())
    response = _admin_post(client)
    assert response.status_code == 302, response.context["adminform"].form.errors
    item = NewsItem.objects.get()
    assert item.body == "<p>本文</p>"
    assert "管理画面カラ本文" in item.search_key  # hiragana folded to katakana, tags gone
    assert item.history.count() == 1


def test_the_admin_refuses_an_image_that_is_no_image(client):
    client.force_login(StaffFactory())
    fake = SimpleUploadedFile("photo.png", b"MZ\x90\x00 not a png", content_type="image/png")
    response = _admin_post(client, image=fake)
    assert response.status_code == 200
    assert "image" in response.context["adminform"].form.errors
    assert not NewsItem.objects.exists()


def test_the_admin_refuses_an_expiry_before_publication(client):
    client.force_login(StaffFactory())
    response = _admin_post(client, expires_at_0="2026-11-30", expires_at_1="10:00")
    assert response.status_code == 200
    assert not NewsItem.objects.exists()
