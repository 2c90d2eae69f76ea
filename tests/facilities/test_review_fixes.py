"""Integrity fixes from the facilities review: equipment follows its room, a moved booking
gets a new letter, the confirmation is mailed once, provisional bookings can be approved,
and facility documents are served only through membership-checked views."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from facilities import services, staff_services
from facilities.models import Booking, Resource
from facilities.reminders import booking_confirmation_send
from tests.facilities.conftest import TOKYO, at
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)
TUESDAY = dt.date(2026, 12, 1)
WEDNESDAY = dt.date(2026, 12, 2)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def org():
    return OrganizationFactory(valid_until=dt.date(2027, 3, 31))


def _room_with_projector(room, org, user):
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
    return booking, booking.equipment.get()


def test_cancelling_the_room_cancels_its_equipment(room, org):
    user = UserFactory()
    booking, projector = _room_with_projector(room, org, user)
    services.booking_cancel(booking=booking, by=user, reason="中止")
    projector.refresh_from_db()
    assert projector.status == "cancelled"
    # The projector is free again for others.
    services.booking_create(
        resource=projector.resource,
        organization=OrganizationFactory(),
        start=at(TUESDAY, 13),
        end=at(TUESDAY, 17),
        purpose="x",
        by=user,
    )


def test_moving_the_room_moves_its_equipment_and_renews_the_letter(room, org, run_on_commit):
    staff = StaffFactory()
    MembershipFactory(organization=org, role="manager")
    with run_on_commit():
        booking, projector = _room_with_projector(room, org, staff)
    booking.refresh_from_db()
    first_letter = booking.approval_letter_id
    assert first_letter is not None
    with run_on_commit():
        staff_services.booking_move(
            booking=booking,
            start=at(WEDNESDAY, 13),
            end=at(WEDNESDAY, 17),
            by=staff,
            message="設備点検のため",
        )
    projector.refresh_from_db()
    booking.refresh_from_db()
    assert (projector.start, projector.end) == (at(WEDNESDAY, 13), at(WEDNESDAY, 17))
    assert booking.approval_letter_id not in (None, first_letter)


def test_the_confirmation_is_mailed_once_even_if_the_task_runs_twice(room, org, run_on_commit):
    MembershipFactory(organization=org, role="manager")
    with run_on_commit():
        booking = services.booking_create(
            resource=room,
            organization=org,
            start=at(TUESDAY, 9),
            end=at(TUESDAY, 12),
            purpose="定例会",
            by=UserFactory(),
        )
    from kyodo.models import SentMail

    assert SentMail.objects.filter(purpose="facilities.booking_confirmed").count() == 1
    assert booking_confirmation_send(booking=Booking.objects.get(pk=booking.pk)) == 0


def test_staff_approve_a_provisional_booking(client, org, run_on_commit):
    printer = Resource.objects.get(name="輪転機")
    booking = services.booking_create(
        resource=printer,
        organization=org,
        start=at(TUESDAY, 10),
        end=at(TUESDAY, 11),
        purpose="印刷",
        by=UserFactory(),
    )
    assert booking.status == "tentative"
    url = reverse("facilities_staff:approve", args=[booking.pk])
    client.force_login(UserFactory())
    assert client.post(url).status_code == 404
    client.force_login(StaffFactory())
    with run_on_commit():
        client.post(url)
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_former_member_cannot_fetch_the_letter_through_the_generic_download(
    client, room, org, run_on_commit
):
    member = MembershipFactory(organization=org, role="manager")
    with run_on_commit():
        booking = services.booking_create(
            resource=room,
            organization=org,
            start=at(TUESDAY, 9),
            end=at(TUESDAY, 12),
            purpose="定例会",
            by=member.user,
        )
    booking.refresh_from_db()
    member.delete()
    client.force_login(member.user)
    response = client.get(reverse("document_download", args=[booking.approval_letter_id]))
    assert response.status_code == 404


def test_equipment_that_cannot_follow_the_room_keeps_the_move_from_happening(room, org):
    staff = StaffFactory()
    booking, _projector = _room_with_projector(room, org, staff)
    with pytest.raises(services.BookingError, match="プロジェクター"):
        # 18:00–21:00 is past the projector's hours (until 19:00).
        staff_services.booking_move(
            booking=booking, start=at(TUESDAY, 18), end=at(TUESDAY, 21), by=staff, message="変更"
        )
    booking.refresh_from_db()
    assert booking.start == at(TUESDAY, 13)


def test_revoking_a_feed_and_issuing_a_statement_record_who_did_it(org):
    from facilities.documents import statement_issue
    from facilities.feeds import feed_create, feed_revoke

    manager = MembershipFactory(organization=org, role="manager").user
    feed = feed_revoke(feed=feed_create(organization=org, by=manager), by=manager)
    assert (feed.revoked_by, feed.revoked_at is not None) == (manager, True)
    staff = StaffFactory()
    statement = statement_issue(organization=org, month=dt.date(2026, 10, 1), by=staff)
    assert statement.issued_by == staff
