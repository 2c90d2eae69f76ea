"""An event's session and groups racing for one room time, each from its own thread and
database connection: exactly one wins. PostgreSQL only (SQLite serialises every write)."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from events import services as event_services
from events.models import Event, Session
from facilities import services
from facilities.models import Booking, Resource, ResourceHours, TimeSlot
from kyodo.exceptions import DomainError
from kyodo.models import OpeningHours
from tests.facilities.conftest import at, next_weekday
from tests.factories import OrganizationFactory, UserFactory

GROUPS = 9

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent writers with their own connections",
    ),
]


@pytest.fixture
def setting(transactional_db):
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
    event = Event.objects.create(
        kind="course",
        title="競合講座",
        description="説明",
        capacity=20,
        applications_open=at(next_weekday(1), 9) - dt.timedelta(days=30),
        applications_close=at(next_weekday(1), 9),
    )
    organizations = [OrganizationFactory(fields=[]) for _ in range(GROUPS)]
    return resource, event, organizations, UserFactory()


def test_a_session_and_groups_racing_for_a_room_give_exactly_one_holder(setting):
    resource, event, organizations, user = setting
    day = next_weekday(2)
    barrier = threading.Barrier(GROUPS + 1)
    results = []

    def book(organization):
        try:
            barrier.wait()
            services.booking_create(
                resource=resource,
                organization=organization,
                start=at(day, 9),
                end=at(day, 12),
                purpose="競合",
                by=user,
            )
            results.append("booking")
        except DomainError:
            results.append("refused")
        finally:
            connections.close_all()

    def hold():
        try:
            barrier.wait()
            event_services.session_add(
                event=event,
                date=day,
                starts=dt.time(9),
                ends=dt.time(12),
                resource=resource,
                by=user,
            )
            results.append("session")
        except DomainError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(o,)) for o in organizations]
    threads.append(threading.Thread(target=hold))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert len(results) == GROUPS + 1
    assert results.count("refused") == GROUPS
    assert Booking.objects.filter(resource=resource, status="confirmed").count() == 1
    holder = Booking.objects.get(resource=resource, status="confirmed")
    # A session exists exactly when it won the room.
    assert Session.objects.filter(event=event).exists() == holder.is_block
