"""Faults degrade, never break: with Redis unreachable, log-in and consultation requests work
(the rate-limit counters fall back to the process's memory, logged); with the broker down,
publishing a task never raises and never retries inside the request."""

import json
import logging

import pytest
from django.core import mail
from django.urls import reverse

from consultations.models import Case
from tests.factories import PASSWORD, UserFactory
from tests.kyodo.test_settings import PRODUCTION, run_python

pytestmark = pytest.mark.django_db

CLOSED_REDIS = "redis://127.0.0.1:1/0"  # nothing listens there: connections are refused


def production_settings(*expressions) -> list:
    """Values of ``expressions`` as the production settings make them, Redis at a closed port."""
    code = (
        "import django, json; django.setup(); from django.conf import settings; "
        "from kyodo.celery import app; "
        f"print(json.dumps([{', '.join(expressions)}], default=str))"
    )
    result = run_python(["-c", code], **{**PRODUCTION, "REDIS_URL": CLOSED_REDIS})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production_cache():
    [cache] = production_settings("settings.CACHES['default']")
    return cache


@pytest.fixture
def redis_down(settings, production_cache):
    """The production cache, with Redis gone."""
    settings.CACHES = {"default": production_cache}  # a fresh cache object, Redis not yet tried
    yield
    from django.core.cache import cache

    cache.clear()


def test_with_redis_down_people_still_log_in_and_a_warning_is_logged(client, redis_down, caplog):
    UserFactory(email="taro@example.jp")
    with caplog.at_level(logging.WARNING, logger="kyodo.cache"):
        response = client.post(
            reverse("account_login"), {"login": "taro@example.jp", "password": PASSWORD}
        )
    assert response.status_code == 302
    assert "_auth_user_id" in client.session
    assert any("Redis cache is unreachable" in r.getMessage() for r in caplog.records)


def test_with_redis_down_failed_log_ins_are_still_limited(client, redis_down):
    UserFactory(email="taro@example.jp")
    for _ in range(5):
        client.post(reverse("account_login"), {"login": "taro@example.jp", "password": "x"})
    response = client.post(
        reverse("account_login"), {"login": "taro@example.jp", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    codes = [e.code for e in response.context["form"].non_field_errors().as_data()]
    assert codes == ["too_many_login_attempts"]


def test_with_redis_down_a_consultation_request_opens_a_case(client, redis_down, run_on_commit):
    from tests.consultations.test_asking import _visitor_data

    with run_on_commit():
        response = client.post(reverse("consultations:ask"), _visitor_data())
    assert response.status_code == 302
    assert Case.objects.count() == 1
    assert "hanako@example.jp" in [m.to[0] for m in mail.outbox]


def test_production_publishes_without_waiting_on_the_broker():
    result_backend, ignore_result, publish_retry, connect_timeout, transport = production_settings(
        "app.conf.result_backend",
        "app.conf.task_ignore_result",
        "app.conf.task_publish_retry",
        "app.conf.broker_connection_timeout",
        "app.conf.broker_transport_options",
    )
    # No result backend: it retried inside on_commit and held a booking request for 19 s.
    assert result_backend is None
    assert ignore_result is True
    assert publish_retry is False
    assert connect_timeout <= 2
    assert transport["socket_connect_timeout"] <= 2
    assert transport["socket_timeout"] <= 5
