import datetime as dt

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from kyodo.models import Closure

pytestmark = pytest.mark.django_db

TUESDAY = dt.datetime(2026, 11, 24, 10, tzinfo=dt.UTC)  # 19:00 in Tokyo, a Tuesday
MONDAY = dt.datetime(2026, 11, 23, 3, tzinfo=dt.UTC)  # 勤労感謝の日, a Monday


def test_home_says_the_center_is_open_today_with_its_hours(client):
    with time_machine.travel(TUESDAY):
        body = client.get("/").content.decode()
    assert "status-open" in body
    assert "10:00" in body and "19:00" in body


def test_home_says_the_center_is_closed_on_a_holiday_monday(client):
    with time_machine.travel(MONDAY):
        body = client.get("/").content.decode()
    assert "status-closed" in body
    assert "勤労感謝の日" in body


def test_home_shows_an_ad_hoc_closure_with_its_reason(client):
    Closure.objects.create(date=dt.date(2026, 11, 24), reason="設備点検のため臨時休館")
    with time_machine.travel(TUESDAY):
        body = client.get("/").content.decode()
    assert "status-closed" in body
    assert "設備点検のため臨時休館" in body


def test_home_describes_every_pillar_the_navigation_points_to(client):
    body = client.get("/").content.decode()
    for anchor in (
        "consultations",
        "facilities",
        "events",
        "publications",
        "proposals",
        "subsidies",
    ):
        assert f'id="{anchor}"' in body
    # Every pillar has its pages now, and the navigation links to them.
    for url in (
        "/consultations/ask/",
        "/facilities/",
        "/events/",
        "/news/",
        "/proposals/",
        "/subsidies/",
    ):
        assert f'href="{url}"' in body


def test_home_shows_the_path_and_the_contact(client):
    body = client.get("/").content.decode()
    assert "path-steps" in body
    assert "〒103-0001" in body
    assert "info@kyodo-station.jp" in body


def test_every_page_has_landmarks_and_a_skip_link(client):
    body = client.get("/").content.decode()
    for marker in ("<header", "<nav", '<main id="main"', "<footer", 'href="#main"'):
        assert marker in body


def test_pages_carry_a_content_security_policy_without_unsafe_inline(client):
    policy = client.get("/")["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "unsafe-inline" not in policy


@override_settings(DEBUG=False)
def test_a_missing_page_shows_our_404_page(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert 'class="site-header"' in body
    assert reverse("home") in body


@override_settings(DEBUG=False)
def test_a_refused_page_shows_our_403_page(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    response = client.get("/admin/login/")
    assert response.status_code == 403
    assert 'class="site-header"' in response.content.decode()


def test_the_500_page_renders_without_a_request_or_database(django_assert_num_queries):
    from django.template.loader import render_to_string

    with django_assert_num_queries(0):
        body = render_to_string("500.html")
    assert 'class="site-header"' in body
    assert "bootstrap.min.css" in body
