"""The month view of a busy resource (the 輪転機) at scale: each cell looks only at the bookings
of its own day, so the answer is the same as scanning them all and the queries do not grow."""

import datetime as dt

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from facilities.models import Booking, Resource
from facilities.selectors import CLOSED, FREE, TAKEN, availability
from tests.facilities.conftest import TOKYO, at
from tests.factories import OrganizationFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)
DECEMBER = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def printer(db):
    return Resource.objects.get(name="輪転機")


def _fill(printer, organization, days, per_day):
    """Half-hour bookings from 10:00 on each of ``days`` (every other step taken)."""
    for offset in days:
        day = DECEMBER + dt.timedelta(days=offset)
        for step in range(per_day):
            start = at(day, 10) + dt.timedelta(minutes=60 * step)
            Booking.objects.create(
                resource=printer,
                organization=organization,
                start=start,
                end=start + dt.timedelta(minutes=30),
                purpose="印刷",
                status="confirmed",
            )


def _expected_state(cell, bookings):
    if any(b.start < cell.end and b.end > cell.start for b in bookings):
        return TAKEN
    return FREE


def test_the_month_of_a_busy_printer_marks_each_cell_from_the_bookings_of_its_day(printer):
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    staff = StaffFactory()
    _fill(printer, organization, range(0, 31, 2), per_day=9)
    bookings = list(Booking.objects.filter(resource=printer))

    days = availability(printer, DECEMBER, 31, viewer=staff)

    taken = 0
    for day in days:
        for cell in day.cells:
            if cell.state == CLOSED:
                continue
            assert cell.state == _expected_state(cell, bookings), (day.date, cell.label)
            if cell.state == TAKEN:
                taken += 1
                # Staff see whose booking it is; the booking is the one at that time.
                assert cell.booking.start == cell.start
                assert cell.booking.organization.name == organization.name
    open_days = {d.date for d in days if not d.is_closed}
    assert taken == sum(1 for b in bookings if b.start.astimezone(TOKYO).date() in open_days)
    assert taken > 50


def test_the_month_view_needs_the_same_queries_for_1_and_300_bookings(
    printer, django_assert_num_queries
):
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    staff = StaffFactory()
    _fill(printer, organization, [1], per_day=1)
    availability(printer, DECEMBER, 31, viewer=staff)  # the booking rules are cached once read
    with CaptureQueriesContext(connection) as one:
        availability(printer, DECEMBER, 31, viewer=staff)
    _fill(printer, organization, range(2, 31), per_day=9)
    assert Booking.objects.filter(resource=printer).count() > 250
    with django_assert_num_queries(len(one.captured_queries)):
        days = availability(printer, DECEMBER, 31, viewer=staff)
    # The cells' bookings came with the one query: reading their group names costs none.
    with django_assert_num_queries(0):
        names = {c.booking.organization.name for d in days for c in d.cells if c.booking}
    assert names == {organization.name}


def test_the_admin_booking_list_neither_scans_the_dates_of_all_bookings_nor_counts_twice(
    admin_client, printer, django_assert_num_queries
):
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    _fill(printer, organization, [1], per_day=1)
    url = "/admin/facilities/booking/"
    params = {"resource__id__exact": printer.pk}
    admin_client.get(url, params)
    with CaptureQueriesContext(connection) as one:
        admin_client.get(url, params)
    _fill(printer, organization, range(2, 31), per_day=9)

    with django_assert_num_queries(len(one.captured_queries)) as captured:
        response = admin_client.get(url, params)

    assert response.context["cl"].result_count == 1 + 29 * 9
    sql = [q["sql"].upper() for q in captured.captured_queries]
    assert sum("COUNT(" in q and "FACILITIES_BOOKING" in q for q in sql) == 1
    assert not any("DATE_TRUNC" in q or "DJANGO_DATETIME_TRUNC" in q for q in sql)
