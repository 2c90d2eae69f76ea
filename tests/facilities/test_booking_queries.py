"""booking_create in a handful of queries (issue 16): the lock, one query for every rule's
rows, one for the counts and the overlap, the three inserts — and the same answers as before."""

import datetime as dt

import pytest
import time_machine
from django.utils import translation

from facilities import services
from facilities.models import Booking, BookingEvent, Resource
from kyodo.dates import center_day_from, center_day_lookups, center_days
from kyodo.models import AnnualClosure, Closure, HolidayRule, OpeningHours
from tests.facilities.conftest import TOKYO, at
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)  # a Friday
TUESDAY = dt.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def _book(resource, start, end, **kwargs):
    return services.booking_create(
        resource=resource,
        organization=kwargs.pop("organization"),
        start=start,
        end=end,
        purpose="定例会",
        by=kwargs.pop("by"),
        **kwargs,
    )


def test_a_tentative_booking_takes_eight_queries_whatever_the_bookings_around_it(
    django_assert_num_queries,
):
    printer = Resource.objects.get(name="輪転機")  # needs approval: 仮予約, no letter yet
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    user = UserFactory()
    _book(printer, at(TUESDAY, 10), at(TUESDAY, 11), organization=organization, by=user)
    # A savepoint, the lock, the rules, the counts and overlap, the booking, its history row,
    # its event, the release: 6 queries in a request's own transaction (issue 16: ≤ 10).
    with django_assert_num_queries(8):
        booking = _book(
            printer, at(TUESDAY, 13), at(TUESDAY, 14), organization=organization, by=user
        )
    for hour in (15, 16, 17):
        _book(
            printer,
            at(TUESDAY, hour),
            at(TUESDAY, hour, 30),
            organization=OrganizationFactory(valid_until=dt.date(2027, 3, 31)),
            by=user,
        )
    another = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    with django_assert_num_queries(8):
        _book(printer, at(TUESDAY, 18), at(TUESDAY, 18, 30), organization=another, by=user)
    assert booking.status == "tentative"
    assert BookingEvent.objects.filter(booking=booking).count() == 1
    assert booking.history.count() == 1


def test_a_confirmed_room_booking_stays_within_its_count_with_the_letter_and_the_mail(
    django_assert_num_queries,
):
    room = Resource.objects.get(name="会議室")
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    user = UserFactory()
    # 8 as above; the confirmation (the claim, the 利用承認書 row and its event, the link, the
    # managers for the mail, savepoints): 13 more, all inside the booking's transaction.
    with django_assert_num_queries(21):
        booking = _book(room, at(TUESDAY, 9), at(TUESDAY, 12), organization=organization, by=user)
    assert booking.status == "confirmed"
    assert booking.approval_letter_id is not None


def test_the_rules_still_refuse_each_broken_rule_and_price_as_before():
    room = Resource.objects.get(name="会議室")
    part = Resource.objects.get(name="会議室A")
    organization = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    user = UserFactory()
    booking = _book(room, at(TUESDAY, 9), at(TUESDAY, 12), organization=organization, by=user)
    expected = services.fee_for(
        resource=room, organization=organization, start=booking.start, end=booking.end
    )
    assert (booking.list_price, booking.charged, booking.discount_name) == expected
    with pytest.raises(services.BookingError, match=r"予約済|taken"):
        _book(part, at(TUESDAY, 9), at(TUESDAY, 12), organization=organization, by=user)
    with pytest.raises(services.BookingError) as refused:
        _book(room, at(TUESDAY, 9, 30), at(TUESDAY, 11), organization=organization, by=user)
    assert "午前" in refused.value.message  # the slots are listed only when one is wrong
    Closure.objects.create(date=TUESDAY + dt.timedelta(days=7), reason="設備点検")
    with pytest.raises(services.BookingError, match="設備点検"):
        day = TUESDAY + dt.timedelta(days=7)
        _book(room, at(day, 9), at(day, 12), organization=organization, by=user)
    assert Booking.objects.count() == 1


@pytest.mark.parametrize("language", ["ja", "en"])
def test_one_days_lookups_give_what_center_days_gives(language):
    HolidayRule.objects.update_or_create(holiday_name="文化の日", defaults={"is_open": False})
    AnnualClosure.objects.create(
        name="夏季休館", name_en="Summer closure", start_month=8, start_day=13, end_month=8,
        end_day=15,
    )  # fmt: skip
    Closure.objects.create(date=dt.date(2026, 11, 10), reason="短縮", closes=dt.time(17),
                           opens=dt.time(9))  # fmt: skip
    Closure.objects.create(date=dt.date(2026, 11, 11), reason="臨時休館")
    OpeningHours.objects.filter(weekday=2).update(opens=dt.time(10))
    dates = (
        [dt.date(2026, 8, 12) + dt.timedelta(days=n) for n in range(5)]
        + [dt.date(2026, 11, 1) + dt.timedelta(days=n) for n in range(14)]
        + [dt.date(2026, 12, 27) + dt.timedelta(days=n) for n in range(10)]
    )
    with translation.override(language):
        for date in dates:
            row = Resource.objects.annotate(**center_day_lookups(date)).first()
            assert center_day_from(row, date) == center_days(date, date)[0], date
