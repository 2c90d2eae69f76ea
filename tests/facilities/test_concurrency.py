"""Never twice, under concurrency: 20 attempts at one slot from separate threads, each with
its own database connection. PostgreSQL only (SQLite serialises every write anyway)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from facilities import services
from facilities.models import Booking, Resource, ResourceHours, TimeSlot
from facilities.services import BookingError
from kyodo.models import OpeningHours
from tests.facilities.conftest import at, next_weekday
from tests.factories import OrganizationFactory, UserFactory

ATTEMPTS = 20

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent writers with their own connections",
    ),
]


@pytest.fixture
def setting(transactional_db):
    # A transactional test sees no data-migration rows once an earlier one flushed: make
    # what this test needs itself.
    for weekday in range(7):
        OpeningHours.objects.update_or_create(
            weekday=weekday,
            defaults={"is_closed": weekday == 0, "opens": dt.time(9), "closes": dt.time(21)},
        )
    resource = Resource.objects.create(name="競合テスト室", kind="room", capacity=10)
    for weekday in range(1, 7):
        ResourceHours.objects.create(
            resource=resource, weekday=weekday, opens=dt.time(9), closes=dt.time(21)
        )
    TimeSlot.objects.create(resource=resource, name="午前", starts=dt.time(9), ends=dt.time(12))
    organizations = [OrganizationFactory(fields=[]) for _ in range(ATTEMPTS)]
    return resource, organizations, UserFactory()


def _race(resource, organizations, user, *, lock):
    day = next_weekday(2)  # a Wednesday
    barrier = threading.Barrier(ATTEMPTS)
    results = []

    def attempt(organization):
        try:
            barrier.wait()
            services.booking_create(
                resource=resource,
                organization=organization,
                start=at(day, 9),
                end=at(day, 12),
                purpose="競合",
                by=user,
                lock=lock,
            )
            results.append("booked")
        except BookingError as error:
            results.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(o,)) for o in organizations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_twenty_concurrent_attempts_give_exactly_one_booking(setting):
    resource, organizations, user = setting
    results = _race(resource, organizations, user, lock=True)
    assert len(results) == ATTEMPTS
    assert results.count("booked") == 1
    refusals = [r for r in results if r != "booked"]
    assert all("taken" in r or "埋ま" in r or "予約" in r for r in refusals), set(refusals)
    assert Booking.objects.filter(resource=resource).count() == 1


def test_without_the_lock_the_database_constraint_still_stops_the_second_booking(setting):
    resource, organizations, user = setting
    results = _race(resource, organizations, user, lock=False)
    assert results.count("booked") == 1
    assert Booking.objects.filter(resource=resource).count() == 1
