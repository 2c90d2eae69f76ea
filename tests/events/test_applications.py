"""Applications: seats, the waitlist and its offers, cancellation until the deadline,
approval, promotion, reminders; every move of the workflow allowed and refused."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from events import applications
from events.enums import APPLICATION_TRANSITIONS, ApplicationStatus
from events.models import Application, SessionReminder
from events.services import EventError, session_change
from kyodo.models import OutboxMail
from kyodo.workflow import TransitionNotAllowed
from tests.events.conftest import add_session, in_days, make_event
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db

_people = itertools.count(1)


def apply(event, *, seats=1, organization=None, email=None, now=None):
    n = next(_people)
    return applications.application_create(
        event=event,
        name=f"日本橋　花子{n}",
        name_kana="ニホンバシ　ハナコ",
        email=email or f"hanako{n}@example.jp",
        phone="03-3333-4444",
        seats=seats,
        organization=organization,
        now=now,
    )


def status(application) -> str:
    application.refresh_from_db()
    return application.status


@pytest.fixture
def event():
    event = make_event(capacity=2)
    add_session(event, in_days(10), place="区民館")
    return event


def mails(purpose) -> int:
    return OutboxMail.objects.filter(purpose=purpose).count()


def test_applicants_are_confirmed_until_full_then_waitlisted(event):
    first, second, third = apply(event), apply(event), apply(event)

    assert [first.status, second.status, third.status] == [
        "confirmed",
        "confirmed",
        "waitlisted",
    ]
    assert applications.seats_left(event) == 0
    assert mails("events.application_received") == 3


def test_an_event_that_needs_approval_holds_seats_pending(event):
    event.needs_approval = True
    event.save()
    application = apply(event)
    assert application.status == "pending"
    assert applications.seats_left(event) == 1


def test_a_group_applies_for_several_seats_but_not_more_than_the_event_has(event):
    group = OrganizationFactory()
    application = apply(event, seats=2, organization=group)
    assert application.status == "confirmed" and applications.seats_left(event) == 0
    with pytest.raises(EventError):
        apply(make_event(capacity=2), seats=3, organization=group)


def test_nobody_applies_twice_while_an_application_is_active(event):
    apply(event, email="same@example.jp")
    with pytest.raises(EventError):
        apply(event, email="same@example.jp")
    group = OrganizationFactory()
    apply(event, organization=group)
    with pytest.raises(EventError):
        apply(event, organization=group)


def test_applications_outside_the_window_are_refused(event):
    with pytest.raises(EventError):
        apply(event, now=event.applications_close)
    with pytest.raises(EventError):
        apply(event, now=event.applications_open - dt.timedelta(seconds=1))
    assert apply(event, now=event.applications_open).status == "confirmed"


def test_a_newcomer_does_not_pass_the_waitlist(event):
    first, _second = apply(event), apply(event)
    group = apply(event, seats=2, organization=OrganizationFactory())  # waits for 2 seats
    applications.application_cancel(application=first, by=None)
    # One seat is free, but the group first in line needs two: the newcomer waits too.
    assert status(group) == "waitlisted"
    assert apply(event).status == "waitlisted"


def test_a_cancellation_offers_the_seat_to_the_first_in_line(event):
    first, _second, waiting, later = apply(event), apply(event), apply(event), apply(event)

    applications.application_cancel(application=first, by=None)

    assert status(waiting) == "offered" and status(later) == "waitlisted"
    waiting.refresh_from_db()
    assert waiting.offer_expires_at - waiting.offered_at == dt.timedelta(hours=48)
    assert mails("events.offer") == 1


def test_an_offer_holds_the_seats_of_a_group(event):
    first, second = apply(event), apply(event)
    group = apply(event, seats=2, organization=OrganizationFactory())
    applications.application_cancel(application=first, by=None)
    assert status(group) == "waitlisted"
    applications.application_cancel(application=second, by=None)
    assert status(group) == "offered"
    assert applications.seats_left(event) == 0


def test_an_offer_is_taken_before_it_expires_and_not_after(event):
    first, _second, waiting = apply(event), apply(event), apply(event)
    applications.application_cancel(application=first, by=None)
    waiting.refresh_from_db()

    with pytest.raises(EventError):
        applications.offer_accept(application=waiting, now=waiting.offer_expires_at)
    applications.offer_accept(
        application=waiting, now=waiting.offer_expires_at - dt.timedelta(seconds=1)
    )
    assert status(waiting) == "confirmed"


def test_the_sweep_passes_an_expired_offer_on_once_even_when_run_twice(event):
    first, _second, waiting, next_one, last = (apply(event) for _ in range(5))
    applications.application_cancel(application=first, by=None)
    waiting.refresh_from_db()
    later = waiting.offer_expires_at + dt.timedelta(minutes=1)

    assert applications.offers_expire(now=later) == 1
    assert applications.offers_expire(now=later) == 0

    assert status(waiting) == "expired"
    assert status(next_one) == "offered" and status(last) == "waitlisted"
    assert mails("events.offer_expired") == 1
    assert mails("events.offer") == 2
    assert waiting.events.filter(new_status="expired").count() == 1


def test_staff_promote_from_the_waitlist_only_while_seats_are_free(event, staff):
    first, _second, waiting = apply(event), apply(event), apply(event)
    with pytest.raises(EventError):
        applications.application_promote(application=waiting, by=staff)
    event.capacity = 3
    event.save()
    applications.application_promote(application=waiting, by=staff)
    assert status(waiting) == "confirmed"
    with pytest.raises(EventError):
        applications.application_promote(application=first, by=staff)


def test_staff_approve_and_decline_with_a_reason(event, staff):
    event.needs_approval = True
    event.save()
    kept, refused, waiting = apply(event), apply(event), apply(event)
    applications.application_approve(application=kept, by=staff)
    with pytest.raises(EventError):
        applications.application_decline(application=refused, by=staff, reason=" ")
    applications.application_decline(application=refused, by=staff, reason="対象外のため")

    assert status(kept) == "confirmed" and status(refused) == "declined"
    assert status(waiting) == "offered"


def test_applicants_cancel_until_the_deadline_in_tokyo_time(event, staff):
    # The first session is in 10 days; cancel_days_before=1: until the end of the day before.
    tokyo = dt.timezone(dt.timedelta(hours=9))
    eve = in_days(9)
    last_moment = dt.datetime(eve.year, eve.month, eve.day, 23, 59, 59, tzinfo=tokyo)
    first, second = apply(event), apply(event)

    applications.application_cancel(application=first, by=None, now=last_moment)
    with pytest.raises(EventError):
        applications.application_cancel(
            application=second, by=None, now=last_moment + dt.timedelta(seconds=1)
        )
    assert status(second) == "confirmed"
    applications.application_cancel(
        application=second, by=staff, staff=True, now=last_moment + dt.timedelta(days=5)
    )
    assert status(second) == "cancelled"


@pytest.mark.parametrize(
    ("old", "new"), list(itertools.product(ApplicationStatus.values, repeat=2))
)
def test_every_application_move_is_allowed_or_refused(event, old, new):
    application = apply(event)
    Application.objects.filter(pk=application.pk).update(status=old)
    application.refresh_from_db()
    if new in APPLICATION_TRANSITIONS[old]:
        applications._move(application, new, by=None)
        assert status(application) == new
    else:
        with pytest.raises(TransitionNotAllowed):
            applications._move(application, new, by=None)
        assert status(application) == old


def test_reminders_go_once_the_day_before_and_follow_a_moved_session(staff):
    event = make_event()
    session = add_session(event, in_days(5), place="区民館")
    confirmed, cancelled = apply(event), apply(event)
    applications.application_cancel(application=cancelled, by=None)
    eve = in_days(4)

    assert applications.reminders_send(today=eve) == 1
    assert applications.reminders_send(today=eve) == 0
    assert mails("events.session_reminder") == 1

    session_change(
        session=session,
        date=in_days(7),
        starts=session.starts,
        ends=session.ends,
        place="区民館",
        by=staff,
    )
    assert applications.reminders_send(today=in_days(6)) == 1
    assert SessionReminder.objects.filter(application=confirmed).count() == 2
    assert applications.reminders_send(today=in_days(6)) == 0


def test_no_reminder_for_a_cancelled_session(staff):
    event = make_event()
    session = add_session(event, in_days(5), place="区民館")
    apply(event)
    from events.services import session_cancel

    session_cancel(session=session, by=staff)
    assert applications.reminders_send(today=in_days(4)) == 0


def test_the_sweeps_ignore_nothing_due():
    assert applications.offers_expire(now=timezone.now()) == 0
    assert applications.reminders_send() == 0
