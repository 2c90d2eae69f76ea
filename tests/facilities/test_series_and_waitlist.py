"""Recurring bookings (毎週 / 毎月第N曜日) and キャンセル待ち: dates, preview, booking the free
dates, cancelling; joining, offers by e-mail, accepting, expiry; and who may use the pages."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilities import services
from facilities.models import Booking, Series, WaitlistEntry, WaitlistStatus
from facilities.series import series_cancel, series_create, series_dates, series_preview
from facilities.services import BookingError
from facilities.tasks import task_expire_waitlist_offers
from facilities.waitlist import (
    offer_next,
    waitlist_accept,
    waitlist_expire_offers,
    waitlist_join,
    waitlist_withdraw,
)
from kyodo.exceptions import DomainError
from tests.facilities.conftest import TOKYO, at
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)  # a Friday; booking is open until 2027-02-28
NINE, NOON = dt.time(9), dt.time(12)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def booker(db):
    return UserFactory()


def managed_org():
    """A valid organization with a 管理者 who receives its e-mails."""
    org = OrganizationFactory()
    MembershipFactory(organization=org, role="manager")
    return org


def manager_email(org):
    return org.memberships.get(role="manager").user.email


def book(room, org, day, user, start=9, end=12):
    return services.booking_create(
        resource=room,
        organization=org,
        start=at(day, start),
        end=at(day, end),
        purpose="定例会",
        by=user,
    )


def weekly(room, org, first, until, **extra):
    return {
        "resource": room,
        "organization": org,
        "first": first,
        "frequency": "weekly",
        "until": until,
        "start_time": NINE,
        "end_time": NOON,
        **extra,
    }


# --- dates -----------------------------------------------------------------------------------


def test_weekly_dates_repeat_every_seven_days_up_to_the_last_date():
    assert series_dates(
        first=dt.date(2026, 12, 1), frequency="weekly", until=dt.date(2026, 12, 28)
    ) == [
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 8),
        dt.date(2026, 12, 15),
        dt.date(2026, 12, 22),
    ]


def test_monthly_dates_keep_the_nth_weekday_of_the_first_date():
    # 2026-12-15 is the 3rd Tuesday of December.
    assert series_dates(
        first=dt.date(2026, 12, 15), frequency="monthly_nth", until=dt.date(2027, 3, 31)
    ) == [dt.date(2026, 12, 15), dt.date(2027, 1, 19), dt.date(2027, 2, 16), dt.date(2027, 3, 16)]


def test_a_monthly_series_on_the_fifth_weekday_skips_months_without_one():
    # 2026-12-29 is the 5th Tuesday; January and February 2027 have only four Tuesdays.
    assert series_dates(
        first=dt.date(2026, 12, 29), frequency="monthly_nth", until=dt.date(2027, 3, 31)
    ) == [dt.date(2026, 12, 29), dt.date(2027, 3, 30)]


def test_a_series_longer_than_a_year_is_refused(room):
    with pytest.raises(DomainError):
        series_preview(**weekly(room, managed_org(), dt.date(2026, 12, 1), dt.date(2028, 1, 1)))


# --- preview and booking ---------------------------------------------------------------------


def test_the_preview_shows_per_date_what_is_free_closed_or_taken(room, booker):
    org = managed_org()
    book(room, OrganizationFactory(), dt.date(2026, 12, 22), booker)

    rows = series_preview(**weekly(room, org, dt.date(2026, 12, 15), dt.date(2027, 1, 5)))

    assert [(date, state) for date, state, _message in rows] == [
        (dt.date(2026, 12, 15), "free"),
        (dt.date(2026, 12, 22), "taken"),
        (dt.date(2026, 12, 29), "closed"),  # 年末年始
        (dt.date(2027, 1, 5), "free"),
    ]
    assert "年末年始" in rows[2][2]
    assert Booking.objects.count() == 1  # a preview writes nothing


def test_mondays_show_as_closed(room):
    rows = series_preview(
        **weekly(room, managed_org(), dt.date(2026, 11, 30), dt.date(2026, 12, 14))
    )
    assert {state for _date, state, _message in rows} == {"closed"}
    assert len(rows) == 3


def test_dates_beyond_the_booking_window_are_refused_with_the_reason(room):
    rows = series_preview(**weekly(room, managed_org(), dt.date(2027, 2, 23), dt.date(2027, 3, 9)))
    assert [state for _date, state, _message in rows] == ["free", "refused", "refused"]
    assert rows[1][2]


def test_booking_a_series_books_only_the_free_dates(room, booker):
    org = managed_org()
    book(room, OrganizationFactory(), dt.date(2026, 12, 22), booker)

    made, booked, skipped = series_create(
        **weekly(room, org, dt.date(2026, 12, 15), dt.date(2027, 1, 5)),
        purpose="子ども食堂",
        attendees=20,
        by=booker,
    )

    assert [b.start.astimezone(TOKYO).date() for b in booked] == [
        dt.date(2026, 12, 15),
        dt.date(2027, 1, 5),
    ]
    assert [date for date, _why in skipped] == [dt.date(2026, 12, 22), dt.date(2026, 12, 29)]
    assert (
        list(Booking.objects.filter(series=made).values_list("organization", "purpose", "status"))
        == [(org.pk, "子ども食堂", "confirmed")] * 2
    )
    assert made.organization == org and made.resource == room
    assert "09:00" in made.description and "2027-01-05" in made.description


def test_a_date_taken_after_the_preview_is_reported_and_the_rest_is_booked(room, booker):
    org = managed_org()
    rule = weekly(room, org, dt.date(2026, 12, 1), dt.date(2026, 12, 15))
    assert [s for _d, s, _m in series_preview(**rule)] == ["free"] * 3
    book(room, OrganizationFactory(), dt.date(2026, 12, 8), booker)  # meanwhile

    _made, booked, skipped = series_create(**rule, purpose="定例会", by=booker)

    assert len(booked) == 2
    assert [date for date, _why in skipped] == [dt.date(2026, 12, 8)]
    assert Booking.objects.filter(organization=org).count() == 2


def test_only_the_confirmed_dates_are_booked(room, booker):
    rule = weekly(room, managed_org(), dt.date(2026, 12, 1), dt.date(2026, 12, 15))
    _made, booked, _skipped = series_create(
        **rule, purpose="定例会", by=booker, dates=[dt.date(2026, 12, 8)]
    )
    assert [b.start.astimezone(TOKYO).date() for b in booked] == [dt.date(2026, 12, 8)]


def test_a_series_without_a_free_date_is_refused_and_leaves_nothing(room, booker):
    with pytest.raises(DomainError):
        series_create(
            **weekly(room, managed_org(), dt.date(2026, 11, 30), dt.date(2026, 12, 14)),
            purpose="x",
            by=booker,
        )
    assert not Series.objects.exists()
    assert not Booking.objects.exists()


def test_cancelling_the_series_cancels_its_future_dates_but_not_those_past_the_deadline(
    room, booker
):
    org = managed_org()
    made, booked, _ = series_create(
        **weekly(room, org, dt.date(2026, 12, 1), dt.date(2026, 12, 15)), purpose="x", by=booker
    )
    # Just after midnight on 1 December: that day's booking is past its deadline (the end of
    # the previous day), the two later ones may still be cancelled.
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 30, tzinfo=TOKYO), tick=False):
        cancelled, kept = series_cancel(series=made, by=booker, reason="会場変更")

    assert [b.pk for b in cancelled] == [booked[1].pk, booked[2].pk]
    assert [b.pk for b, _why in kept] == [booked[0].pk]
    statuses = dict(Booking.objects.filter(series=made).values_list("pk", "status"))
    assert statuses == {
        booked[0].pk: "confirmed",
        booked[1].pk: "cancelled",
        booked[2].pk: "cancelled",
    }
    assert booked[1].events.get(new_status="cancelled").reason == "会場変更"


def test_one_date_of_a_series_is_cancelled_alone(room, booker):
    made, booked, _ = series_create(
        **weekly(room, managed_org(), dt.date(2026, 12, 1), dt.date(2026, 12, 15)),
        purpose="x",
        by=booker,
    )
    services.booking_cancel(booking=booked[1], by=booker, reason="休会")
    assert list(made.bookings.order_by("start").values_list("status", flat=True)) == [
        "confirmed",
        "cancelled",
        "confirmed",
    ]


# --- waitlist --------------------------------------------------------------------------------

TUESDAY = dt.date(2026, 12, 1)


def join(room, org, user, day=TUESDAY):
    return waitlist_join(
        resource=room,
        organization=org,
        start=at(day, 9),
        end=at(day, 12),
        purpose="研修会",
        attendees=30,
        by=user,
    )


@pytest.fixture
def holder(room, booker):
    """The booking that takes Tuesday morning."""
    return book(room, managed_org(), TUESDAY, booker)


def test_only_a_taken_time_can_be_waited_for(room, booker):
    with pytest.raises(DomainError, match=r"book|予約"):
        join(room, managed_org(), booker)
    assert not WaitlistEntry.objects.exists()


def test_an_organization_waits_once_for_a_time(room, booker, holder):
    org = managed_org()
    entry = join(room, org, booker)
    assert entry.status == WaitlistStatus.WAITING and entry.token

    with pytest.raises(DomainError):
        join(room, org, booker)
    join(room, managed_org(), booker)  # another organization may queue behind
    assert WaitlistEntry.objects.count() == 2


def test_the_holder_cannot_wait_for_its_own_time(room, booker, holder):
    with pytest.raises(DomainError):
        join(room, holder.organization, booker)


def test_cancelling_offers_the_time_to_the_first_in_line_by_email(
    room, booker, holder, run_on_commit
):
    first, second = managed_org(), managed_org()
    entry = join(room, first, booker)
    behind = join(room, second, booker)
    mail.outbox.clear()

    with run_on_commit():
        services.booking_cancel(booking=holder, by=booker, reason="中止")

    entry.refresh_from_db()
    behind.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED
    assert entry.offer_expires_at == NOW + dt.timedelta(hours=24)
    assert behind.status == WaitlistStatus.WAITING
    assert [m.to for m in mail.outbox] == [[manager_email(first)]]
    body = mail.outbox[0].body
    assert f"{settings.KYODO_SITE_URL}/facilities/waitlist/{entry.token}/" in body
    assert "会議室" in body


def test_the_offer_lasts_as_long_as_the_setting_says(room, booker, holder, run_on_commit, settings):
    settings.FACILITIES_OFFER_HOURS = 2
    entry = join(room, managed_org(), booker)
    with run_on_commit():
        services.booking_cancel(booking=holder, by=booker)
    entry.refresh_from_db()
    assert entry.offer_expires_at == NOW + dt.timedelta(hours=2)


def test_the_first_in_line_who_can_no_longer_book_is_passed_over(
    room, booker, holder, run_on_commit
):
    lapsed, second = managed_org(), managed_org()
    entry = join(room, lapsed, booker)
    behind = join(room, second, booker)
    lapsed.valid_until = dt.date(2026, 11, 30)  # registration ends before the date
    lapsed.save(update_fields=["valid_until"])

    with run_on_commit():
        services.booking_cancel(booking=holder, by=booker)

    entry.refresh_from_db()
    behind.refresh_from_db()
    assert (entry.status, behind.status) == (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


def test_two_cancellations_never_offer_twice(room, booker, holder, run_on_commit):
    entry = join(room, managed_org(), booker)
    join(room, managed_org(), booker)
    with run_on_commit():
        services.booking_cancel(booking=holder, by=booker)
    with run_on_commit():  # a second cancellation of that time (a part, a retry) offers again
        again = offer_next(resource=room, start=holder.start, end=holder.end)

    assert again is None
    assert WaitlistEntry.objects.filter(status=WaitlistStatus.OFFERED).get() == entry
    assert len(mail.outbox) == 1


def test_accepting_within_the_validity_books_the_time(room, booker, holder, run_on_commit):
    org = managed_org()
    entry = join(room, org, booker)
    with run_on_commit():
        services.booking_cancel(booking=holder, by=booker)

    with time_machine.travel(NOW + dt.timedelta(hours=23), tick=False):
        accepted = waitlist_accept(entry=entry, by=booker)

    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.ACCEPTED
    assert entry.booking == accepted.booking
    booking = entry.booking
    assert (booking.organization, booking.start, booking.status) == (
        org,
        at(TUESDAY, 9),
        "confirmed",
    )
    assert (booking.purpose, booking.attendees) == ("研修会", 30)
    with pytest.raises(DomainError):
        waitlist_accept(entry=entry, by=booker)  # once only
    assert Booking.objects.filter(status="confirmed").count() == 1


def test_an_offer_for_a_time_taken_again_books_nothing(room, booker, holder, run_on_commit):
    entry = join(room, managed_org(), booker)
    with run_on_commit():
        services.booking_cancel(booking=holder, by=booker)
    book(room, managed_org(), TUESDAY, booker)  # someone was faster

    with pytest.raises(BookingError):
        waitlist_accept(entry=entry, by=booker)
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED and entry.booking is None


def test_an_expired_offer_moves_on_to_the_next_in_line_once(room, booker, holder, run_on_commit):
    first, second = managed_org(), managed_org()
    entry = join(room, first, booker)
    behind = join(room, second, booker)
    with run_on_commit():
        services.booking_cancel(booking=holder, by=booker)
    mail.outbox.clear()

    with time_machine.travel(NOW + dt.timedelta(hours=24, minutes=1), tick=False):
        with pytest.raises(DomainError):
            waitlist_accept(entry=entry, by=booker)
        with run_on_commit():
            first_run = waitlist_expire_offers()
        with run_on_commit():
            second_run = waitlist_expire_offers()

    entry.refresh_from_db()
    behind.refresh_from_db()
    assert first_run == {"expired": 1, "offered": 1}
    assert second_run == {"expired": 0, "offered": 0}
    assert entry.status == WaitlistStatus.EXPIRED
    assert behind.status == WaitlistStatus.OFFERED
    assert [m.to for m in mail.outbox] == [[manager_email(second)]]


def test_the_beat_task_sweeps_expired_offers(room, booker, holder, run_on_commit):
    entry = join(room, managed_org(), booker)
    with run_on_commit():
        services.booking_cancel(booking=holder, by=booker)
    with time_machine.travel(NOW + dt.timedelta(days=2), tick=False):
        assert task_expire_waitlist_offers.delay().get() == {"expired": 1, "offered": 0}
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.EXPIRED
    schedule = settings.CELERY_BEAT_SCHEDULE["expire-waitlist-offers"]
    assert schedule["task"] == "facilities.tasks.task_expire_waitlist_offers"


def test_the_sweep_catches_up_on_a_free_time_nobody_was_offered(room, booker, holder):
    entry = join(room, managed_org(), booker)
    # Cancelled without the hook running (no commit in this test): nothing offered yet.
    services.booking_cancel(booking=holder, by=booker)
    assert WaitlistEntry.objects.get().status == WaitlistStatus.WAITING

    assert waitlist_expire_offers() == {"expired": 0, "offered": 1}
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.OFFERED


def test_declining_an_offer_offers_the_next_in_line(room, booker, holder, run_on_commit):
    entry = join(room, managed_org(), booker)
    behind = join(room, managed_org(), booker)
    with run_on_commit():
        services.booking_cancel(booking=holder, by=booker)
    entry.refresh_from_db()
    with run_on_commit():
        waitlist_withdraw(entry=entry, by=booker)
    behind.refresh_from_db()
    assert WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.WITHDRAWN
    assert behind.status == WaitlistStatus.OFFERED
    assert len(mail.outbox) == 2


# --- pages -----------------------------------------------------------------------------------

WHO = ["anonymous", "stranger", "outsider", "member", "manager", "owner", "staff"]


def _login(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])


def _series_for(organization, booker, room):
    made, _booked, _ = series_create(
        **weekly(room, organization, dt.date(2026, 12, 1), dt.date(2026, 12, 15)),
        purpose="定例会",
        by=booker,
    )
    return made


def _offered_entry(organization, booker, room):
    holder = book(room, managed_org(), TUESDAY, booker)
    entry = join(room, organization, booker)
    services.booking_cancel(booking=holder, by=booker)
    offer_next(resource=room, start=holder.start, end=holder.end)
    entry.refresh_from_db()
    return entry


def _action(name, organization, booker, room):
    """(method, url, data, did it happen?) for each page and action."""
    if name == "series_new":
        return "get", reverse("facilities_series:series_new"), {}, None
    if name == "series_preview":
        data = {
            "organization": organization.pk,
            "resource": room.pk,
            "frequency": "weekly",
            "first": "2026-12-01",
            "until": "2026-12-15",
            "start_time": "09:00",
            "end_time": "12:00",
            "purpose": "定例会",
            "attendees": "10",
            "action": "preview",
        }
        return "post", reverse("facilities_series:series_new"), data, None
    if name == "series_detail":
        made = _series_for(organization, booker, room)
        return "get", reverse("facilities_series:series_detail", args=[made.pk]), {}, None
    if name == "series_cancel":
        made = _series_for(organization, booker, room)
        url = reverse("facilities_series:series_cancel", args=[made.pk])
        return (
            "post",
            url,
            {"reason": "中止"},
            lambda: not made.bookings.filter(status="confirmed").exists(),
        )
    if name == "series_booking_cancel":
        made = _series_for(organization, booker, room)
        booking = made.bookings.order_by("start").last()
        url = reverse("facilities_series:series_booking_cancel", args=[made.pk, booking.pk])
        return (
            "post",
            url,
            {"reason": "休会"},
            lambda: Booking.objects.get(pk=booking.pk).status == "cancelled",
        )
    if name == "waitlist_join_form":
        book(room, managed_org(), TUESDAY, booker)
        query = {
            "resource": room.pk,
            "start": "2026-12-01T09:00:00+09:00",
            "end": "2026-12-01T12:00:00+09:00",
        }
        return "get", reverse("facilities_series:waitlist_join"), query, None
    if name == "waitlist_join":
        book(room, managed_org(), TUESDAY, booker)
        data = {
            "resource": room.pk,
            "start": "2026-12-01T09:00:00+09:00",
            "end": "2026-12-01T12:00:00+09:00",
            "organization": organization.pk,
            "purpose": "研修会",
            "attendees": "20",
        }
        return (
            "post",
            reverse("facilities_series:waitlist_join"),
            data,
            lambda: WaitlistEntry.objects.filter(organization=organization).exists(),
        )
    if name == "waitlist_offer":
        entry = _offered_entry(organization, booker, room)
        return "get", reverse("facilities_series:waitlist_offer", args=[entry.token]), {}, None
    if name == "waitlist_accept":
        entry = _offered_entry(organization, booker, room)
        return (
            "post",
            reverse("facilities_series:waitlist_offer", args=[entry.token]),
            {},
            lambda: WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.ACCEPTED,
        )
    if name == "waitlist_withdraw":
        entry = _offered_entry(organization, booker, room)
        return (
            "post",
            reverse("facilities_series:waitlist_withdraw", args=[entry.token]),
            {},
            lambda: WaitlistEntry.objects.get(pk=entry.pk).status == WaitlistStatus.WITHDRAWN,
        )
    raise AssertionError(name)


# Expected status per page and person. Pages that belong to no organization (the form, the
# waitlist form) answer 403 to whoever may not book; pages of an organization's series or
# entry answer 404 to whoever is not its member or staff, 403 to a member who may not act.
_FORM = {"stranger": 403, "outsider": 200, "member": 403}
_SEE = {"stranger": 404, "outsider": 404, "member": 200}
_ACT = {"stranger": 404, "outsider": 404, "member": 403}
MATRIX = {
    "series_new": {**_FORM, "manager": 200, "owner": 200, "staff": 200},
    "series_preview": {**_FORM, "manager": 200, "owner": 200, "staff": 200},
    "series_detail": {**_SEE, "manager": 200, "owner": 200, "staff": 200},
    "series_cancel": {**_ACT, "manager": 302, "owner": 302, "staff": 302},
    "series_booking_cancel": {**_ACT, "manager": 302, "owner": 302, "staff": 302},
    "waitlist_join_form": {**_FORM, "manager": 200, "owner": 200, "staff": 200},
    "waitlist_join": {**_FORM, "manager": 302, "owner": 302, "staff": 302},
    "waitlist_offer": {**_SEE, "manager": 200, "owner": 200, "staff": 200},
    "waitlist_accept": {**_ACT, "manager": 302, "owner": 302, "staff": 302},
    "waitlist_withdraw": {**_ACT, "manager": 302, "owner": 302, "staff": 302},
}
# The outsider manages another organization: it may open the forms, but cannot act for ours
# (the organization field offers only its own, so the form is invalid and nothing happens).
_OUTSIDER_FORM_POSTS = {"series_preview", "waitlist_join"}


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(client, organization, people, booker, room, name, who):
    method, url, data, happened = _action(name, organization, booker, room)
    _login(client, people, who)

    response = getattr(client, method)(url, data)

    if who == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    else:
        assert response.status_code == MATRIX[name][who]
    if happened is not None:
        allowed = who in {"manager", "owner", "staff"}
        assert happened() is allowed


def test_the_series_page_previews_then_books_the_ticked_dates(client, booker, room):
    org = managed_org()
    manager = org.memberships.get(role="manager").user
    book(room, OrganizationFactory(), dt.date(2026, 12, 8), booker)
    client.force_login(manager)
    data = {
        "organization": org.pk,
        "resource": room.pk,
        "frequency": "weekly",
        "first": "2026-12-01",
        "until": "2027-01-05",
        "start_time": "09:00",
        "end_time": "12:00",
        "purpose": "定例会",
        "attendees": "10",
    }

    preview = client.post(reverse("facilities_series:series_new"), {**data, "action": "preview"})

    rows = {date: state for date, state, _m in preview.context["preview"]}
    assert rows[dt.date(2026, 12, 8)] == "taken"
    assert rows[dt.date(2026, 12, 29)] == "closed"
    assert 'value="2026-12-01"' in preview.content.decode()
    assert not Series.objects.exists()

    response = client.post(
        reverse("facilities_series:series_new"),
        {**data, "action": "book", "dates": ["2026-12-01", "2026-12-22"]},
    )

    made = Series.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("facilities_series:series_detail", args=[made.pk])
    assert [b.start.astimezone(TOKYO).date() for b in made.bookings.order_by("start")] == [
        dt.date(2026, 12, 1),
        dt.date(2026, 12, 22),
    ]
    page = client.get(response["Location"]).content.decode()
    assert "2026-12-22" in page and made.description in page


def test_the_offer_page_says_when_an_offer_has_expired(client, booker, room):
    org = managed_org()
    entry = _offered_entry(org, booker, room)
    client.force_login(org.memberships.get(role="manager").user)
    with time_machine.travel(NOW + dt.timedelta(hours=25), tick=False):
        response = client.post(reverse("facilities_series:waitlist_offer", args=[entry.token]))
    assert response.status_code == 200
    assert response.context["offer_expired"]
    assert not Booking.objects.filter(organization=org).exists()


def test_the_series_page_runs_the_same_queries_for_one_and_several_dates(client, booker, room):
    org = managed_org()
    client.force_login(org.memberships.get(role="manager").user)

    def queries_for(weeks, first):
        made, _booked, _ = series_create(
            **weekly(room, org, first, first + dt.timedelta(weeks=weeks - 1)),
            purpose="x",
            by=booker,
        )
        url = reverse("facilities_series:series_detail", args=[made.pk])
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert len(response.context["rows"]) == weeks
        return len(queries)

    client.get(reverse("facilities_series:series_new"))  # the session exists from here on
    assert queries_for(1, dt.date(2026, 12, 1)) == queries_for(4, dt.date(2027, 1, 5))
