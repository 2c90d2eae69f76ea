import datetime as dt

import pytest
import time_machine

from facilities import services
from facilities.models import Booking, BookingEvent, BookingPolicy, Resource
from facilities.services import BookingError
from kyodo.models import Closure
from tests.facilities.conftest import TOKYO, at
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)  # a Friday
TUESDAY = dt.date(2026, 12, 1)
MONDAY = dt.date(2026, 11, 30)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def org(db):
    return OrganizationFactory(valid_until=dt.date(2027, 3, 31))


@pytest.fixture
def user(db):
    return UserFactory()


def book(resource, org, day, start_hour, end_hour, user, **kwargs):
    return services.booking_create(
        resource=resource,
        organization=org,
        start=at(day, start_hour),
        end=at(day, end_hour),
        purpose="定例会",
        by=user,
        **kwargs,
    )


def test_a_free_slot_is_booked_and_confirmed_with_its_history(room, org, user):
    booking = book(room, org, TUESDAY, 9, 12, user, attendees=40)
    assert booking.status == "confirmed"
    assert list(
        BookingEvent.objects.filter(booking=booking).values_list("new_status", flat=True)
    ) == ["confirmed"]


def test_the_same_slot_cannot_be_booked_twice(room, org, user):
    book(room, org, TUESDAY, 9, 12, user)
    with pytest.raises(BookingError, match=r"taken|埋ま|予約"):
        book(room, OrganizationFactory(), TUESDAY, 9, 12, user)
    assert Booking.objects.count() == 1


def test_a_part_blocks_the_whole_and_the_whole_blocks_both_parts(room, part_a, part_b, user):
    book(part_a, OrganizationFactory(), TUESDAY, 9, 12, user)
    with pytest.raises(BookingError):
        book(room, OrganizationFactory(), TUESDAY, 9, 12, user)
    book(part_b, OrganizationFactory(), TUESDAY, 9, 12, user)  # the other part stays free
    book(room, OrganizationFactory(), TUESDAY, 13, 17, user)
    with pytest.raises(BookingError):
        book(part_a, OrganizationFactory(), TUESDAY, 13, 17, user)


def test_mondays_holidays_and_ad_hoc_closures_are_refused(room, org, user):
    with pytest.raises(BookingError):
        book(room, org, MONDAY, 9, 12, user)
    Closure.objects.create(date=TUESDAY, reason="臨時休館")
    with pytest.raises(BookingError):
        book(room, org, TUESDAY, 9, 12, user)


def test_only_the_resources_slots_are_bookable(room, org, user):
    with pytest.raises(BookingError):
        book(room, org, TUESDAY, 10, 12, user)


def test_the_grid_and_length_rules_of_a_free_time_resource(salon, org, user):
    with pytest.raises(BookingError):  # not on the 30-minute grid
        services.booking_create(
            resource=salon,
            organization=org,
            start=at(TUESDAY, 10, 15),
            end=at(TUESDAY, 11, 15),
            purpose="打合せ",
            by=user,
        )
    with pytest.raises(BookingError):  # shorter than an hour
        book(salon, org, TUESDAY, 10, 10, user) if False else services.booking_create(
            resource=salon,
            organization=org,
            start=at(TUESDAY, 10),
            end=at(TUESDAY, 10, 30),
            purpose="打合せ",
            by=user,
        )
    assert book(salon, org, TUESDAY, 10, 12, user).charged == 0  # registered: 100% off


def test_buffers_keep_time_between_bookings(salon, org, user):
    Resource.objects.filter(pk=salon.pk).update(buffer_minutes=30)
    salon.refresh_from_db()
    book(salon, org, TUESDAY, 10, 12, user)
    with pytest.raises(BookingError):
        services.booking_create(
            resource=salon,
            organization=org,
            start=at(TUESDAY, 12),
            end=at(TUESDAY, 13),
            purpose="x",
            by=user,
        )
    services.booking_create(
        resource=salon,
        organization=org,
        start=at(TUESDAY, 12, 30),
        end=at(TUESDAY, 13, 30),
        purpose="x",
        by=user,
    )


def test_attendees_cannot_exceed_capacity(room, org, user):
    with pytest.raises(BookingError):
        book(room, org, TUESDAY, 9, 12, user, attendees=61)


def test_the_booking_window_opens_on_the_first_of_the_month(room, org, user):
    # On 20 November, booking is open through the end of February (3 months ahead).
    book(room, org, dt.date(2027, 2, 28), 9, 12, user)
    with pytest.raises(BookingError):
        book(room, org, dt.date(2027, 3, 2), 9, 12, user)
    assert services.booking_window_end(dt.date(2026, 12, 1), BookingPolicy.current()) == (
        dt.date(2027, 3, 31)
    )


def test_per_day_and_per_month_limits(room, part_a, salon, org, user):
    BookingPolicy.objects.update(max_per_day=1, max_per_month=2)
    book(room, org, TUESDAY, 9, 12, user)
    with pytest.raises(BookingError):
        book(room, org, TUESDAY, 13, 17, user)
    book(room, org, dt.date(2026, 12, 2), 9, 12, user)
    with pytest.raises(BookingError):
        book(room, org, dt.date(2026, 12, 3), 9, 12, user)


@pytest.mark.parametrize("status", ["expired", "suspended", "applying"])
def test_an_organization_without_a_valid_registration_cannot_book(room, user, status):
    org = OrganizationFactory(status=status, valid_until=dt.date(2027, 3, 31))
    with pytest.raises(BookingError):
        book(room, org, TUESDAY, 9, 12, user)


def test_staff_book_beyond_the_window_but_never_over_another_booking(room, org, user):
    book(room, org, dt.date(2027, 3, 16), 9, 12, user, staff=True)
    with pytest.raises(BookingError):
        book(room, OrganizationFactory(), dt.date(2027, 3, 16), 9, 12, user, staff=True)


def test_a_resource_needing_approval_gives_a_provisional_booking(org, user):
    printer = Resource.objects.get(name="輪転機")
    booking = book(printer, org, TUESDAY, 10, 11, user)
    assert booking.status == "tentative"
    services.booking_move_status(booking=booking, to="confirmed", by=user)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_fees_keep_the_price_before_the_reduction(room, user):
    registered = OrganizationFactory(valid_until=dt.date(2027, 3, 31))
    booking = book(room, registered, TUESDAY, 13, 17, user)
    assert (booking.list_price, booking.charged, booking.discount_name) == (2500, 0, "登録団体減免")
    blocked = services.booking_create(
        resource=room,
        organization=None,
        start=at(TUESDAY, 18),
        end=at(TUESDAY, 21),
        purpose="区の使用",
        by=user,
        is_block=True,
    )
    assert blocked.is_block and blocked.charged == 0


def test_cancelling_until_the_end_of_the_previous_day(room, org, user):
    booking = book(room, org, TUESDAY, 9, 12, user)
    with time_machine.travel(dt.datetime(2026, 11, 30, 23, 59, tzinfo=TOKYO), tick=False):
        services.booking_cancel(booking=booking, by=user, reason="都合により")
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    late = book(room, org, TUESDAY, 9, 12, user)  # the slot is free again
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 0, tzinfo=TOKYO), tick=False):
        with pytest.raises(BookingError):
            services.booking_cancel(booking=late, by=user)
        services.booking_cancel(booking=late, by=user, staff=True)  # staff may


def test_no_show_and_use_are_recorded_by_staff(room, org, user):
    booking = book(room, org, TUESDAY, 9, 12, user)
    services.booking_move_status(booking=booking, to="no_show", by=user)
    assert services.no_show_count(org) == 1


def test_equipment_goes_with_the_room_all_or_nothing(room, org, user):
    projector = Resource.objects.get(name="プロジェクター")
    booking = services.booking_create_with_equipment(
        resource=room,
        organization=org,
        start=at(TUESDAY, 13),
        end=at(TUESDAY, 17),
        purpose="講座",
        by=user,
        equipment=[projector],
    )
    assert [b.resource for b in booking.equipment.all()] == [projector]
    # The projector is taken now: a second room booking with it books nothing at all.
    with pytest.raises(BookingError, match="プロジェクター"):
        services.booking_create_with_equipment(
            resource=Resource.objects.get(name="サロン"),
            organization=OrganizationFactory(),
            start=at(TUESDAY, 13),
            end=at(TUESDAY, 15),
            purpose="打合せ",
            by=user,
            equipment=[projector],
        )
    assert Booking.objects.count() == 2


def test_a_taken_time_offers_the_waitlist_on_the_booking_form(client, room, org, user):
    from django.urls import reverse

    from tests.factories import MembershipFactory

    book(room, OrganizationFactory(), TUESDAY, 9, 12, user)
    manager = MembershipFactory(organization=org, role="manager").user
    client.force_login(manager)
    slot = room.slots.get(name="午前")
    response = client.post(
        f"{reverse('facilities:booking_create')}?resource={room.pk}",
        {
            "organization": org.pk,
            "date": "2026-12-01",
            "slot": slot.pk,
            "purpose": "定例会",
            "attendees": "10",
        },
    )
    assert response.status_code == 200
    assert reverse("facilities_series:waitlist_join") in response.content.decode()


def test_a_taken_time_on_the_availability_page_offers_the_waitlist_to_those_who_can_book(
    client, room, org, user
):
    from django.urls import reverse

    from tests.factories import MembershipFactory

    book(room, OrganizationFactory(), TUESDAY, 9, 12, user)
    url = f"{reverse('facilities:resource_detail', args=[room.pk])}?view=week&date=2026-12-01"
    waitlist = reverse("facilities_series:waitlist_join")
    assert waitlist not in client.get(url).content.decode()  # the public: no link
    client.force_login(MembershipFactory(organization=org, role="manager").user)
    assert waitlist in client.get(url).content.decode()
