"""The home page's calendar comes from the cache until staff change a calendar row; the change
shows on the next request, with Redis up or down (kyodo.cache)."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyodo.models import Closure

pytestmark = pytest.mark.django_db

CALENDAR_TABLES = ("kyodo_openinghours", "kyodo_annualclosure", "kyodo_closure")


def _calendar_reads(client) -> tuple[int, str]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))
    assert response.status_code == 200
    reads = sum(
        1 for q in queries.captured_queries for t in CALENDAR_TABLES if f'FROM "{t}"' in q["sql"]
    )
    return reads, response.content.decode()


def _closure_seen_at_once(client, django_capture_on_commit_callbacks):
    assert _calendar_reads(client)[0] == 3
    assert _calendar_reads(client)[0] == 0  # from the cache
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        Closure.objects.create(date=tomorrow, reason="電気設備点検のため臨時休館")
    reads, content = _calendar_reads(client)
    assert reads == 3
    assert "電気設備点検のため臨時休館" in content
    with django_capture_on_commit_callbacks(execute=True):
        Closure.objects.filter(date=tomorrow).delete()  # a queryset delete sends post_delete
    reads, content = _calendar_reads(client)
    assert reads == 3
    assert "電気設備点検のため臨時休館" not in content


def test_the_home_calendar_is_cached_and_a_closure_shows_at_once(
    client, django_capture_on_commit_callbacks
):
    _closure_seen_at_once(client, django_capture_on_commit_callbacks)


def test_with_redis_down_the_home_page_still_answers_and_shows_changes(
    client, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "kyodo.cache.FallbackRedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",  # nothing listens there
        }
    }
    _closure_seen_at_once(client, django_capture_on_commit_callbacks)


@time_machine.travel(dt.datetime(2026, 11, 20, 10, tzinfo=dt.timezone(dt.timedelta(hours=9))))
def test_the_calendar_is_cached_per_language(client):
    # The week always holds a Monday, the regular closing day: its reason is in the page's
    # language even when the other language's calendar is in the cache already.
    japanese = client.get(reverse("home")).content.decode()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    english = client.get(reverse("home")).content.decode()
    assert "定休日" in japanese
    assert "regular closing day" in english
    assert "定休日" not in english
