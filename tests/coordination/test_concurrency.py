"""Once only, under concurrency: ten presses of "I can help" by one party, each in its own
thread and connection, open one interest and one coordination case; ten reminder sweeps at
once send one reminder. PostgreSQL only (SQLite serialises every write anyway)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from consultations.models import Case
from coordination import services
from coordination.models import BoardSettings, Interest, Region, Town
from kyodo.models import OutboxMail
from organizations.models import ActivityField
from tests.coordination.conftest import make_post, manager_of
from tests.factories import OrganizationFactory

ATTEMPTS = 10

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent writers with their own connections",
    ),
]


@pytest.fixture
def board(transactional_db):
    # A transactional test sees no data-migration rows once an earlier one flushed.
    ActivityField.objects.get_or_create(number=3, defaults={"name": "まちづくりの推進を図る活動"})
    region, _ = Region.objects.get_or_create(name="日本橋", defaults={"order": 10})
    Town.objects.get_or_create(region=region, name="日本橋小伝馬町")
    BoardSettings.objects.get_or_create()
    return make_post(numbers=(3,))


def _race(function):
    barrier = threading.Barrier(ATTEMPTS)
    results = []

    def attempt():
        try:
            barrier.wait()
            results.append(function())
        except Exception as error:
            results.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt) for _ in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_ten_concurrent_presses_open_one_interest_and_one_case(board):
    company = OrganizationFactory(org_type="company")
    person = manager_of(company)
    results = _race(
        lambda: services.interest_express(
            post=board, by=person, organization=company, message="手伝えます"
        )[1]
    )
    assert sorted(results) == [False] * (ATTEMPTS - 1) + [True]
    assert Interest.objects.count() == 1
    assert Case.objects.count() == 1


def test_ten_concurrent_reminder_sweeps_send_one_reminder(board):
    before = OutboxMail.objects.filter(purpose="coordination.post_reminder").count()
    results = _race(
        lambda: services.post_reminders_send(today=board.valid_until - dt.timedelta(days=1))
    )
    assert sum(results) == 1
    assert OutboxMail.objects.filter(purpose="coordination.post_reminder").count() == before + 1
