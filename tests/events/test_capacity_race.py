"""The last seats raced by many applicants, each from its own thread and connection: exactly
``capacity`` confirmed, the rest waitlisted. PostgreSQL only."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.utils import timezone

from events import applications
from events.models import Application, Event, Session

APPLICANTS = 15
CAPACITY = 5

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent writers with their own connections",
    ),
]


def test_exactly_capacity_applicants_are_confirmed_under_a_race(transactional_db):
    now = timezone.now()
    event = Event.objects.create(
        kind="course",
        title="競合講座",
        description="説明",
        capacity=CAPACITY,
        applications_open=now - dt.timedelta(days=1),
        applications_close=now + dt.timedelta(days=1),
        is_published=True,
    )
    Session.objects.create(
        event=event,
        date=timezone.localdate() + dt.timedelta(days=5),
        starts=dt.time(19),
        ends=dt.time(21),
        place="区民館",
    )
    barrier = threading.Barrier(APPLICANTS)
    results = []

    def attempt(n):
        try:
            barrier.wait()
            application = applications.application_create(
                event=event,
                name=f"申込者{n}",
                name_kana="モウシコミシャ",
                email=f"racer{n}@example.jp",
            )
            results.append(application.status)
        except Exception as error:
            results.append(repr(error))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(APPLICANTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert results.count("confirmed") == CAPACITY, results
    assert results.count("waitlisted") == APPLICANTS - CAPACITY, results
    assert Application.objects.filter(event=event, status="confirmed").count() == CAPACITY
