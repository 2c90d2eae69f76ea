"""A session in a room of the center holds the room through the facilities booking service:
an event and a group never have the room at once, in either order; moving or cancelling the
session moves or frees the room."""

import datetime as dt

import pytest

from events import services
from events.services import EventError
from facilities import holds
from facilities import services as facilities_services
from facilities.enums import BookingStatus
from facilities.models import Booking, WaitlistEntry
from facilities.services import BookingError
from tests.events.conftest import add_session, make_event
from tests.facilities.conftest import at, next_weekday
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tuesday():
    return next_weekday(1)


def test_a_session_in_a_room_holds_it_with_a_blocking_booking(room, staff, tuesday):
    session = add_session(make_event(), tuesday, hour=9, until=12, room=room, by=staff)

    hold = Booking.objects.get(pk=session.room_hold_id)
    assert hold.is_block and hold.organization is None
    assert hold.resource == room and hold.status == BookingStatus.CONFIRMED
    assert (hold.start, hold.end) == (at(tuesday, 9), at(tuesday, 12))


def test_a_group_cannot_book_a_room_an_event_holds(room, staff, tuesday):
    add_session(make_event(), tuesday, hour=9, until=12, room=room, by=staff)

    with pytest.raises(BookingError, match=r"already taken|予約済み"):
        facilities_services.booking_create(
            resource=room,
            organization=OrganizationFactory(),
            start=at(tuesday, 9),
            end=at(tuesday, 12),
            purpose="定例会",
            by=staff,
            staff=True,
        )


def test_an_event_cannot_take_a_room_a_group_booked(room, staff, tuesday):
    facilities_services.booking_create(
        resource=room,
        organization=OrganizationFactory(),
        start=at(tuesday, 9),
        end=at(tuesday, 12),
        purpose="定例会",
        by=staff,
        staff=True,
    )
    event = make_event()

    with pytest.raises(EventError):
        add_session(event, tuesday, hour=10, until=11, room=room, by=staff)
    assert not event.sessions.exists()
    assert Booking.objects.filter(is_block=True).count() == 0


def test_a_session_in_a_part_of_the_room_blocks_the_whole(staff, tuesday):
    from facilities.models import Resource

    part = Resource.objects.get(name="会議室A")
    add_session(make_event(), tuesday, hour=9, until=12, room=part, by=staff)

    with pytest.raises(BookingError):
        facilities_services.booking_create(
            resource=Resource.objects.get(name="会議室"),
            organization=OrganizationFactory(),
            start=at(tuesday, 9),
            end=at(tuesday, 12),
            purpose="総会",
            by=staff,
            staff=True,
        )


def test_moving_a_session_moves_its_hold_and_frees_the_old_time(room, staff, tuesday):
    session = add_session(make_event(), tuesday, hour=9, until=12, room=room, by=staff)
    hold_pk = session.room_hold_id

    services.session_change(
        session=session,
        date=tuesday + dt.timedelta(days=1),
        starts=dt.time(13),
        ends=dt.time(17),
        resource=room,
        by=staff,
    )

    hold = Booking.objects.get(pk=hold_pk)
    wednesday = tuesday + dt.timedelta(days=1)
    assert (hold.start, hold.end) == (at(wednesday, 13), at(wednesday, 17))
    # The old time is free for a group again.
    booking = facilities_services.booking_create(
        resource=room,
        organization=OrganizationFactory(),
        start=at(tuesday, 9),
        end=at(tuesday, 12),
        purpose="定例会",
        by=staff,
        staff=True,
    )
    assert booking.pk
    session.refresh_from_db()
    assert session.event.first_day == tuesday + dt.timedelta(days=1)


def test_a_move_onto_a_booked_time_is_refused_and_changes_nothing(room, staff, tuesday):
    session = add_session(make_event(), tuesday, hour=9, until=12, room=room, by=staff)
    facilities_services.booking_create(
        resource=room,
        organization=OrganizationFactory(),
        start=at(tuesday, 13),
        end=at(tuesday, 17),
        purpose="定例会",
        by=staff,
        staff=True,
    )

    with pytest.raises(EventError):
        services.session_change(
            session=session,
            date=tuesday,
            starts=dt.time(13),
            ends=dt.time(17),
            resource=room,
            by=staff,
        )

    session.refresh_from_db()
    assert session.starts == dt.time(9)
    hold = Booking.objects.get(pk=session.room_hold_id)
    assert hold.start == at(tuesday, 9)


def test_moving_a_session_to_another_room_frees_the_first(room, salon, staff, tuesday):
    session = add_session(make_event(), tuesday, hour=13, until=17, room=room, by=staff)
    first_hold = session.room_hold_id

    services.session_change(
        session=session,
        date=tuesday,
        starts=dt.time(13),
        ends=dt.time(17),
        resource=salon,
        by=staff,
    )

    assert Booking.objects.get(pk=first_hold).status == BookingStatus.CANCELLED
    session.refresh_from_db()
    assert session.room_hold.resource == salon
    assert session.room_hold.status == BookingStatus.CONFIRMED


def test_moving_a_session_outside_frees_its_room(room, staff, tuesday):
    session = add_session(make_event(), tuesday, hour=13, until=17, room=room, by=staff)
    first_hold = session.room_hold_id

    services.session_change(
        session=session,
        date=tuesday,
        starts=dt.time(13),
        ends=dt.time(17),
        place="区民館",
        address="中央区日本橋1-1",
        by=staff,
    )

    assert Booking.objects.get(pk=first_hold).status == BookingStatus.CANCELLED
    session.refresh_from_db()
    assert session.room_hold is None and session.resource is None


def test_cancelling_a_session_frees_its_room_and_offers_it_to_the_waitlist(
    room, staff, tuesday, run_on_commit
):
    session = add_session(make_event(), tuesday, hour=9, until=12, room=room, by=staff)
    organization = OrganizationFactory()
    MembershipFactory(organization=organization, role="owner")
    entry = WaitlistEntry.objects.create(
        resource=room,
        organization=organization,
        start=at(tuesday, 9),
        end=at(tuesday, 12),
        purpose="定例会",
        token="waiting-for-the-event-room",
    )

    with run_on_commit():
        services.session_cancel(session=session, by=staff)

    session.refresh_from_db()
    assert session.is_cancelled
    assert session.room_hold.status == BookingStatus.CANCELLED
    entry.refresh_from_db()
    assert entry.status == "offered"
    assert session.event.first_day is None


def test_cancelling_a_session_twice_changes_nothing_more(room, staff, tuesday):
    session = add_session(make_event(), tuesday, hour=9, until=12, room=room, by=staff)
    services.session_cancel(session=session, by=staff)
    events_before = session.room_hold.events.count()

    services.session_cancel(session=session, by=staff)

    assert session.room_hold.events.count() == events_before


def test_a_hold_is_released_once_and_only_a_hold(room, staff, tuesday):
    hold = holds.hold_create(
        resource=room, start=at(tuesday, 9), end=at(tuesday, 12), purpose="区の使用", by=staff
    )
    holds.hold_release(booking=hold, by=staff)
    holds.hold_release(booking=hold, by=staff)
    assert hold.events.count() == 2  # created, cancelled

    booking = facilities_services.booking_create(
        resource=room,
        organization=OrganizationFactory(),
        start=at(tuesday, 9),
        end=at(tuesday, 12),
        purpose="定例会",
        by=staff,
        staff=True,
    )
    with pytest.raises(BookingError):
        holds.hold_release(booking=booking, by=staff)
    with pytest.raises(BookingError):
        holds.hold_move(booking=booking, start=at(tuesday, 13), end=at(tuesday, 17), by=staff)


def test_a_session_needs_a_place_and_times_in_order(staff, tuesday, room):
    event = make_event()
    with pytest.raises(EventError):
        add_session(event, tuesday, place="")
    with pytest.raises(EventError):
        add_session(event, tuesday, hour=12, until=9, place="区民館")
    with pytest.raises(EventError):
        services.session_add(
            event=event,
            date=tuesday,
            starts=dt.time(9),
            ends=dt.time(12),
            resource=room,
            place="区民館",
            by=staff,
        )
    assert not event.sessions.exists()


def test_a_cancelled_session_cannot_be_changed(staff, tuesday):
    session = add_session(make_event(), tuesday, place="区民館")
    services.session_cancel(session=session, by=staff)
    with pytest.raises(EventError):
        services.session_change(
            session=session,
            date=tuesday,
            starts=dt.time(9),
            ends=dt.time(12),
            place="区民館",
            by=staff,
        )
