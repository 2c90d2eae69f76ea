import datetime as dt

import icalendar
import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.urls import reverse

from facilities import documents, services
from facilities.documents import DocumentError
from facilities.enums import BookingStatus
from facilities.feeds import feed_create, feed_revoke
from facilities.models import (
    Booking,
    CalendarFeed,
    Discount,
    MonthlyStatement,
    PrinterUsage,
    Receipt,
    Resource,
)
from facilities.reminders import booking_confirmation_send, booking_reminders_send
from facilities.tasks_documents import task_send_booking_reminders
from kyodo.mail import outbox_sweep
from kyodo.models import CenterProfile, DocumentStatus, GeneratedDocument, OutboxMail, SentMail
from kyodo.services import documents_sweep
from tests.facilities.conftest import TOKYO, at
from tests.factories import MembershipFactory, OrganizationFactory
from tests.pdfcheck import embedded_fonts, pdf_text

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)  # a Friday
TOMORROW = dt.date(2026, 11, 21)  # Saturday
SUNDAY = dt.date(2026, 11, 22)
TUESDAY = dt.date(2026, 11, 24)
DECEMBER = dt.date(2026, 12, 1)
T_NUMBER = "T1234567890123"
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FAILING = {"default": {"BACKEND": "tests.failing_mail_backend.EmailBackend"}}

# who → status for the downloads any member of the organization (and staff) may open
READERS = {
    "anonymous": 302,
    "stranger": 404,
    "outsider": 404,
    "member": 200,
    "manager": 200,
    "owner": 200,
    "staff": 200,
}
# who → status for creating and revoking a feed (managers and staff)
MANAGERS = {
    "anonymous": 302,
    "stranger": 404,
    "outsider": 404,
    "member": 403,
    "manager": 302,
    "owner": 302,
    "staff": 302,
}


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def org(organization):
    return organization


@pytest.fixture
def printer(db):
    return Resource.objects.get(name="輪転機")


@pytest.fixture
def half_price(db):
    """Registered groups pay half (instead of nothing), so that receipts have an amount."""
    Discount.objects.update(percent_off=50)


@pytest.fixture
def invoice_issuer(db):
    CenterProfile.objects.update(
        operator_name="特定非営利活動法人 協働ネット中央", invoice_registration_number=T_NUMBER
    )
    return CenterProfile.objects.get()


def book(resource, org, day, start_hour, end_hour, by, **kwargs):
    return services.booking_create(
        resource=resource,
        organization=org,
        start=at(day, start_hour),
        end=at(day, end_hour),
        purpose="定例会",
        by=by,
        **kwargs,
    )


def read(document) -> bytes:
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY
    with document.file.open("rb") as handle:
        return handle.read()


def client_for(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])
    return client


# --- 利用承認書 and the confirmation mail ------------------------------------------------------


def test_the_approval_letter_is_made_once_in_japanese_with_wareki(room, org, people, run_on_commit):
    with run_on_commit():
        booking = book(room, org, TUESDAY, 9, 12, people["manager"], attendees=40)
    with run_on_commit():
        booking_confirmation_send(booking=booking)  # a second confirmation
        again = documents.approval_letter_issue(booking=booking)

    letters = GeneratedDocument.objects.filter(kind=documents.APPROVAL_KIND)
    assert letters.count() == 1
    assert again == letters.get() == documents.approval_letter_of(booking)
    content = read(again)
    assert all(any("IPAex" in f for f in font["families"]) for font in embedded_fonts(content))
    text = pdf_text(content)
    assert "施設利用承認書" in text
    assert "令和8年11月24日（火）09:00～12:00" in text
    assert "令和8年11月20日" in text  # issued today
    assert "会議室" in text and org.name in text and "40名" in text


def test_the_confirmation_mail_carries_the_letter_to_every_manager(
    room, org, people, run_on_commit
):
    with run_on_commit():
        booking = book(room, org, TUESDAY, 9, 12, people["manager"])

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["owner"].email, people["manager"].email]
    )
    message = mail.outbox[0]
    [(filename, content, mimetype)] = message.attachments
    assert filename == f"approval-letter-{booking.pk}.pdf"
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert "会議室" in pdf_text(content)
    assert reverse("facilities_feeds:approval_letter", args=[booking.pk]) in message.body
    assert SentMail.objects.filter(purpose="facilities.booking_confirmed").count() == 2


def test_a_booking_awaiting_approval_is_mailed_its_letter_when_staff_confirm_it(
    printer, org, people, run_on_commit
):
    with run_on_commit():
        booking = services.booking_create(
            resource=printer,
            organization=org,
            start=at(TUESDAY, 10),
            end=at(TUESDAY, 11),
            purpose="会報の印刷",
            by=people["manager"],
        )
    assert booking.status == BookingStatus.TENTATIVE
    assert mail.outbox == []
    assert documents.approval_letter_of(booking) is None

    with run_on_commit():
        services.booking_move_status(
            booking=booking, to=BookingStatus.CONFIRMED, by=people["staff"]
        )
    assert len(mail.outbox) == 2
    assert all(len(message.attachments) == 1 for message in mail.outbox)
    assert "輪転機" in pdf_text(read(documents.approval_letter_of(booking)))


def test_a_cancelled_booking_is_not_confirmed_again(room, org, people):
    booking = book(room, org, TUESDAY, 9, 12, people["manager"])
    services.booking_cancel(booking=booking, by=people["manager"])
    booking.refresh_from_db()
    assert booking_confirmation_send(booking=booking) == 0
    assert OutboxMail.objects.filter(purpose="facilities.booking_confirmed").count() == 2
    assert GeneratedDocument.objects.filter(kind=documents.APPROVAL_KIND).count() == 1


# --- 領収書 ------------------------------------------------------------------------------------


def test_the_receipt_shows_the_issuer_t_number_amount_tax_and_recipient(
    room, org, people, half_price, invoice_issuer, run_on_commit
):
    booking = book(room, org, TUESDAY, 9, 12, people["manager"])
    assert (booking.list_price, booking.charged) == (1900, 950)
    with run_on_commit():
        receipt = documents.receipt_issue(
            booking=booking, by=people["staff"], proviso="会議室使用料として"
        )

    assert receipt.number == "R2026-00001"
    assert receipt.amount == 950
    assert documents.tax_included(950) == 86  # 950 × 10 / 110 = 86.36…, rounded down
    text = pdf_text(read(receipt.document))
    assert "領収書" in text
    assert T_NUMBER in text
    assert "特定非営利活動法人協働ネット中央" in text
    assert f"{org.name}様" in text
    assert "¥950" in text and "内消費税等" in text and "¥86" in text and "10%対象" in text
    assert "但し会議室使用料として" in text
    assert "R2026-00001" in text and "令和8年11月20日" in text
    assert "会議室使用料令和8年11月24日（火）09:00～12:00" in text


def test_receipt_numbers_are_sequential_and_a_second_receipt_for_one_thing_is_refused(
    room, salon, printer, org, people, half_price
):
    first = book(room, org, TUESDAY, 9, 12, people["manager"])
    second = book(salon, org, SUNDAY, 10, 12, people["manager"])
    usage = PrinterUsage.objects.create(
        resource=printer, organization=org, used_on=NOW.date(), masters=2, sheets=300, amount=360
    )
    numbers = [
        documents.receipt_issue(booking=first, by=people["staff"], proviso="").number,
        documents.receipt_issue(booking=second, by=people["staff"], proviso="").number,
        documents.receipt_issue(printer_usage=usage, by=people["staff"], proviso="").number,
    ]
    assert numbers == ["R2026-00001", "R2026-00002", "R2026-00003"]
    assert Receipt.objects.get(number="R2026-00003").proviso == "輪転機使用料として"

    with pytest.raises(DocumentError):
        documents.receipt_issue(booking=first, by=people["staff"], proviso="")
    with pytest.raises(DocumentError):
        documents.receipt_issue(printer_usage=usage, by=people["staff"], proviso="")
    assert Receipt.objects.count() == 3


def test_a_free_booking_has_no_receipt(room, org, people):
    booking = book(room, org, TUESDAY, 9, 12, people["manager"])  # free for registered groups
    with pytest.raises(DocumentError):
        documents.receipt_issue(booking=booking, by=people["staff"], proviso="")
    assert not Receipt.objects.exists()


# --- the monthly usage statement -------------------------------------------------------------


def _november(room, salon, printer, org, people):
    by = people["manager"]
    book(room, org, TOMORROW, 9, 12, by)  # ¥1,900 → ¥950
    book(room, org, TUESDAY, 13, 17, by)  # ¥2,500 → ¥1,250
    book(salon, org, SUNDAY, 10, 12, by)  # 2 h × ¥500 → ¥500
    services.booking_cancel(booking=book(salon, org, TUESDAY, 10, 11, by), by=by)
    book(room, org, DECEMBER, 9, 12, by)  # next month
    book(room, OrganizationFactory(), SUNDAY, 9, 12, by)  # another group
    for used_on, masters, sheets, amount, who in [
        (TOMORROW, 2, 300, 360, org),
        (TUESDAY, 1, 100, 130, org),
        (dt.date(2026, 10, 30), 5, 500, 650, org),  # last month
        (TUESDAY, 9, 900, 1170, OrganizationFactory()),
    ]:
        PrinterUsage.objects.create(
            resource=printer,
            organization=who,
            used_on=used_on,
            masters=masters,
            sheets=sheets,
            amount=amount,
        )


def test_the_statement_totals_the_bookings_and_printer_uses_of_the_month(
    room, salon, printer, org, people, half_price, run_on_commit
):
    _november(room, salon, printer, org, people)
    november = dt.date(2026, 11, 1)
    with pytest.raises(DocumentError):  # the month is not over
        documents.statement_issue(organization=org, month=november, by=people["staff"])

    with time_machine.travel(dt.datetime(2026, 12, 2, 9, tzinfo=TOKYO), tick=False):
        with run_on_commit():
            statement = documents.statement_issue(
                organization=org, month=dt.date(2026, 11, 15), by=people["staff"]
            )
            again = documents.statement_issue(organization=org, month=november, by=people["staff"])
        figures = documents.statement_figures(organization=org, month=november)

    assert again == statement
    assert MonthlyStatement.objects.get().month == november
    assert GeneratedDocument.objects.filter(kind=documents.STATEMENT_KIND).count() == 1
    assert len(figures["booking_lines"]) == 3
    assert len(figures["printer_lines"]) == 2
    assert figures["bookings_list_price"] == 1900 + 2500 + 1000
    assert figures["bookings_charged"] == 950 + 1250 + 500
    assert figures["printer_total"] == 360 + 130
    assert (figures["printer_masters"], figures["printer_sheets"]) == (3, 400)
    assert figures["list_price_total"] == 5400 + 490
    assert figures["reduction_total"] == 2700
    assert figures["charged_total"] == 2700 + 490

    text = pdf_text(read(statement.document))
    assert "施設利用明細書（令和8年11月分）" in text
    assert f"{org.name}様" in text
    assert "令和8年12月2日" in text
    assert "¥5,400" in text and "¥2,700" in text and "¥490" in text
    assert "¥5,890" in text and "¥3,190" in text
    assert "3版" in text and "400枚" in text
    assert "令和8年12月1日" not in text.replace("令和8年12月2日", "")


# --- the day-before reminder -----------------------------------------------------------------


def _tomorrow_and_later(room, org, people):
    tomorrow = book(room, org, TOMORROW, 9, 12, people["manager"])
    later = book(room, org, TUESDAY, 9, 12, people["manager"])
    return tomorrow, later


def test_the_day_before_reminder_is_sent_once_across_two_sweeps(room, org, people):
    tomorrow, later = _tomorrow_and_later(room, org, people)
    evening = at(NOW.date(), 18)

    assert booking_reminders_send(now=evening) == 1
    assert booking_reminders_send(now=evening + dt.timedelta(minutes=1)) == 0

    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["owner"].email, people["manager"].email]
    )
    tomorrow.refresh_from_db()
    later.refresh_from_db()
    assert tomorrow.reminded_at == evening
    assert later.reminded_at is None


def test_a_booking_claimed_by_another_sweep_is_not_sent_again(room, org, people):
    tomorrow, _ = _tomorrow_and_later(room, org, people)
    # A worker claimed it and died (or is still sending): this sweep leaves it alone.
    Booking.objects.filter(pk=tomorrow.pk).update(reminded_at=NOW)
    assert booking_reminders_send(now=at(NOW.date(), 18)) == 0
    assert mail.outbox == []


def test_a_failed_reminder_stays_in_the_outbox_and_is_sent_once_later(room, org, people, settings):
    _tomorrow_and_later(room, org, people)
    settings.MAILERS = FAILING
    assert booking_reminders_send(now=at(NOW.date(), 18)) == 1
    assert (
        SentMail.objects.filter(
            purpose="facilities.booking_reminder", status=SentMail.Status.FAILED
        ).count()
        == 2
    )
    # Claimed once: the next sweep of reminders leaves it to the outbox.
    assert booking_reminders_send(now=at(NOW.date(), 18, 15)) == 0

    settings.MAILERS = LOCMEM
    with time_machine.travel(NOW + dt.timedelta(minutes=5), tick=False):
        assert outbox_sweep() == 2
        assert outbox_sweep() == 0
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["owner"].email, people["manager"].email]
    )


def test_cancelled_and_blocked_bookings_get_no_reminder(room, salon, org, people):
    cancelled = book(room, org, TOMORROW, 9, 12, people["manager"])
    services.booking_cancel(booking=cancelled, by=people["manager"])
    book(salon, None, TOMORROW, 10, 12, people["staff"], is_block=True)
    assert booking_reminders_send(now=at(NOW.date(), 18)) == 0
    assert mail.outbox == []


def test_the_reminder_sweep_runs_from_beat_at_six_in_the_evening(room, org, people):
    schedule = django_settings.CELERY_BEAT_SCHEDULE["send-booking-reminders"]
    assert schedule["task"] == "facilities.tasks_documents.task_send_booking_reminders"
    assert schedule["schedule"].hour == {18} and schedule["schedule"].minute == {0}
    _tomorrow_and_later(room, org, people)
    with time_machine.travel(dt.datetime(2026, 11, 20, 18, tzinfo=TOKYO), tick=False):
        assert task_send_booking_reminders.delay().get() == 1


# --- the iCal feed ----------------------------------------------------------------------------


def _events(response):
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def test_the_feed_lists_the_organizations_bookings_only(client, room, salon, org, people):
    mine = book(room, org, TUESDAY, 9, 12, people["manager"])
    book(salon, org, SUNDAY, 10, 12, people["manager"])
    theirs = book(room, OrganizationFactory(), SUNDAY, 13, 17, people["staff"])
    cancelled = book(room, org, SUNDAY, 18, 21, people["manager"])
    services.booking_cancel(booking=cancelled, by=people["manager"])
    long_ago = Booking.objects.create(
        resource=room,
        organization=org,
        start=at(dt.date(2026, 9, 1), 9),
        end=at(dt.date(2026, 9, 1), 12),
        status=BookingStatus.USED,
        purpose="昔の会議",
    )
    feed = feed_create(organization=org, by=people["manager"])

    response = client.get(reverse("facilities_feeds:feed", args=[feed.token]))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    assert "sessionid" not in response.cookies
    events = _events(response)
    assert f"booking-{mine.pk}@kyodo" in events
    assert f"booking-{theirs.pk}@kyodo" not in events
    assert f"booking-{cancelled.pk}@kyodo" not in events
    assert f"booking-{long_ago.pk}@kyodo" not in events
    assert len(events) == 2
    event = events[f"booking-{mine.pk}@kyodo"]
    assert str(event["SUMMARY"]) == "会議室"
    start = event.decoded("DTSTART")
    assert str(start.tzinfo) == "Asia/Tokyo" and (start.hour, start.minute) == (9, 0)
    assert event.decoded("DTEND").hour == 12
    assert CenterProfile.objects.get().address in str(event["LOCATION"])
    assert b"TZID=Asia/Tokyo" in response.content


def test_a_revoked_or_unknown_feed_is_gone(client, room, org, people):
    book(room, org, TUESDAY, 9, 12, people["manager"])
    feed = feed_create(organization=org, by=people["manager"])
    url = reverse("facilities_feeds:feed", args=[feed.token])
    assert client.get(url).status_code == 200

    feed_revoke(feed=feed, by=people["manager"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("facilities_feeds:feed", args=["x" * 43])).status_code == 404


def test_feed_urls_are_long_random_and_distinct(org, people):
    tokens = {feed_create(organization=org, by=people["manager"]).token for _ in range(20)}
    assert len(tokens) == 20
    assert all(len(token) >= 43 for token in tokens)  # 256 random bits, URL-safe


@pytest.mark.parametrize(("who", "expected"), MANAGERS.items())
def test_who_may_create_a_feed(client, org, people, who, expected):
    response = client_for(client, people, who).post(
        reverse("facilities_feeds:feed_create", args=[org.pk])
    )
    assert response.status_code == expected
    created = CalendarFeed.objects.filter(organization=org).first()
    assert (created is not None) == (expected == 302 and who != "anonymous")
    if created is not None:
        assert created.created_by == people[who]


@pytest.mark.parametrize(("who", "expected"), MANAGERS.items())
def test_who_may_revoke_a_feed(client, org, people, who, expected):
    feed = feed_create(organization=org, by=people["owner"])
    response = client_for(client, people, who).post(
        reverse("facilities_feeds:feed_revoke", args=[feed.pk])
    )
    assert response.status_code == expected
    feed.refresh_from_db()
    assert (feed.revoked_at is not None) == (expected == 302 and who != "anonymous")


def test_creating_a_feed_needs_post(client, org, people):
    client.force_login(people["manager"])
    assert client.get(reverse("facilities_feeds:feed_create", args=[org.pk])).status_code == 405


# --- downloads ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "expected"), READERS.items())
def test_who_may_download_the_approval_letter(
    client, room, org, people, run_on_commit, who, expected
):
    with run_on_commit():
        booking = book(room, org, TUESDAY, 9, 12, people["manager"])
    response = client_for(client, people, who).get(
        reverse("facilities_feeds:approval_letter", args=[booking.pk])
    )
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(("who", "expected"), READERS.items())
def test_who_may_download_a_receipt(
    client, room, org, people, half_price, run_on_commit, who, expected
):
    booking = book(room, org, TUESDAY, 9, 12, people["manager"])
    with run_on_commit():
        receipt = documents.receipt_issue(booking=booking, by=people["staff"], proviso="")
    response = client_for(client, people, who).get(
        reverse("facilities_feeds:receipt", args=[receipt.pk])
    )
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize(("who", "expected"), READERS.items())
def test_who_may_download_a_statement(client, org, people, run_on_commit, who, expected):
    with run_on_commit():
        documents.statement_issue(organization=org, month=dt.date(2026, 10, 1), by=people["staff"])
    response = client_for(client, people, who).get(
        reverse("facilities_feeds:statement", args=[org.pk, 2026, 10])
    )
    assert response.status_code == expected
    if expected == 200:
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_letter_not_made_yet_or_a_month_not_stated_is_not_found(client, room, org, people):
    booking = book(room, org, TUESDAY, 9, 12, people["manager"])  # no commit: no letter yet
    client.force_login(people["manager"])
    assert (
        client.get(reverse("facilities_feeds:approval_letter", args=[booking.pk])).status_code
        == 404
    )
    assert (
        client.get(reverse("facilities_feeds:statement", args=[org.pk, 2026, 9])).status_code == 404
    )
    assert (
        client.get(reverse("facilities_feeds:statement", args=[org.pk, 2026, 13])).status_code
        == 404
    )


def test_a_member_of_two_groups_sees_only_the_letters_of_their_own(
    client, room, org, people, run_on_commit
):
    other = OrganizationFactory()
    with run_on_commit():
        booking = book(room, other, TUESDAY, 9, 12, people["staff"])
    MembershipFactory(organization=org, user=people["stranger"], role="manager")
    client.force_login(people["stranger"])
    url = reverse("facilities_feeds:approval_letter", args=[booking.pk])
    assert client.get(url).status_code == 404


# --- faults ------------------------------------------------------------------------------------


def test_with_the_broker_down_the_confirmation_and_its_letter_wait_for_the_sweep(
    room, org, people, run_on_commit, broker_down
):
    with run_on_commit():
        booking = book(room, org, TUESDAY, 9, 12, people["manager"])
    assert mail.outbox == []
    assert documents.approval_letter_of(booking).status == DocumentStatus.PENDING
    waiting = OutboxMail.objects.filter(purpose="facilities.booking_confirmed", queued_at=None)
    assert waiting.count() == 2

    broker_down.restore()
    assert outbox_sweep() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [people["owner"].email, people["manager"].email]
    )
    assert all(m.attachments[0].content.startswith(b"%PDF") for m in mail.outbox)
    assert outbox_sweep() == 0
    assert documents_sweep() == 0  # the letter was rendered by the mail's worker
