"""Issue 15, facilities: the page for people without a group, the series and waitlist made
findable (with the mail on joining), fees before booking in one money format, equipment
following the room's hours with refusals that say the rule, the all-resources day page, and
one mail with one letter for a series."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilities import documents, services
from facilities.models import Booking, Resource, Series, WaitlistEntry, WaitlistStatus
from facilities.series import series_create
from facilities.waitlist import waitlist_join
from kyodo.models import DocumentStatus, SentMail
from kyodo.money import yen
from tests.facilities.conftest import TOKYO, at
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory
from tests.pdfcheck import pdf_text

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)  # a Friday; booking open until 2027-02-28
TUESDAY = dt.date(2026, 12, 1)
VALID_UNTIL = dt.date(2027, 3, 31)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def org(db):
    return OrganizationFactory(name="月島こども食堂の会", valid_until=VALID_UNTIL)


@pytest.fixture
def manager(org):
    return MembershipFactory(organization=org, role="manager").user


def book(resource, org, day=TUESDAY, start=9, end=12, **extra):
    return services.booking_create(
        resource=resource,
        organization=org,
        start=at(day, start),
        end=at(day, end),
        purpose="定例会",
        by=None,
        **extra,
    )


# --- 1. signed in without a group that may book --------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "facilities:booking_create",
        "facilities_series:series_new",
        "facilities_series:waitlist_join",
    ],
)
def test_a_person_without_a_group_is_told_how_to_get_one(client, room, url):
    client.force_login(UserFactory())
    response = client.get(f"{reverse(url)}?resource={room.pk}&date={TUESDAY}")
    assert response.status_code == 403
    html = response.content.decode()
    assert "facilities/needs_group.html" in [t.name for t in response.templates]
    assert reverse("organizations:apply") in html  # register a group
    assert reverse("facilities:resource_list") in html
    assert not Booking.objects.exists()


def test_a_plain_member_learns_that_a_manager_books(client, room, org):
    member = MembershipFactory(organization=org, role="member").user
    client.force_login(member)
    response = client.get(f"{reverse('facilities:booking_create')}?resource={room.pk}")
    assert response.status_code == 403
    row = response.context["memberships"][0]
    assert row["organization"] == org and not row["is_manager"] and row["is_valid"]
    assert reverse("organizations:detail", args=[org.pk]) in response.content.decode()


def test_a_manager_of_a_lapsed_group_learns_that_the_registration_must_be_renewed(client, room):
    lapsed = OrganizationFactory(valid_until=dt.date(2026, 3, 31))
    client.force_login(MembershipFactory(organization=lapsed, role="owner").user)
    response = client.get(f"{reverse('facilities:booking_create')}?resource={room.pk}")
    assert response.status_code == 403
    assert response.context["memberships"][0]["is_valid"] is False


# --- 2. series and waitlist findable; the mail on joining ----------------------------------


def test_the_series_page_is_linked_from_where_bookings_start(client, room, manager):
    client.force_login(manager)
    series_url = reverse("facilities_series:series_new")
    pages = [
        reverse("facilities:resource_list"),
        reverse("facilities:resource_detail", args=[room.pk]),
        f"{reverse('facilities:booking_create')}?resource={room.pk}",
        reverse("facilities:booking_list"),
        reverse("accounts:mypage"),
    ]
    for page in pages:
        assert series_url in client.get(page).content.decode(), page


def test_joining_the_waitlist_mails_the_managers_and_shows_the_entry(
    client, room, org, manager, run_on_commit
):
    other = OrganizationFactory(valid_until=VALID_UNTIL)
    book(room, other)
    mail.outbox.clear()
    client.force_login(manager)
    with run_on_commit():
        joined = client.post(
            reverse("facilities_series:waitlist_join"),
            {
                "resource": room.pk,
                "start": at(TUESDAY, 9).isoformat(),
                "end": at(TUESDAY, 12).isoformat(),
                "organization": org.pk,
                "purpose": "会議",
                "attendees": 10,
            },
        )
    assert joined.status_code == 302
    entry = WaitlistEntry.objects.get(organization=org)
    sent = [m for m in mail.outbox if manager.email in m.to]
    assert len(sent) == 1
    assert entry.token in sent[0].body and room.name in sent[0].body
    assert SentMail.objects.filter(purpose="facilities.waitlist_joined").count() == 1

    withdraw = reverse("facilities_series:waitlist_withdraw", args=[entry.token])
    for page in (reverse("accounts:mypage"), reverse("facilities:booking_list")):
        html = client.get(page).content.decode()
        assert reverse("facilities_series:waitlist_offer", args=[entry.token]) in html, page
        assert withdraw in html, page

    left = client.post(withdraw, {"next": reverse("facilities:booking_list")})
    assert left["Location"] == reverse("facilities:booking_list")
    entry.refresh_from_db()
    assert entry.status == WaitlistStatus.WITHDRAWN
    assert entry.token not in client.get(reverse("facilities:booking_list")).content.decode()


def test_a_plain_member_sees_the_waitlist_entry_without_the_leave_button(client, room, org):
    book(room, OrganizationFactory(valid_until=VALID_UNTIL))
    entry = waitlist_join(
        resource=room,
        organization=org,
        start=at(TUESDAY, 9),
        end=at(TUESDAY, 12),
        purpose="会議",
        by=None,
    )
    client.force_login(MembershipFactory(organization=org, role="member").user)
    html = client.get(reverse("facilities:booking_list")).content.decode()
    assert reverse("facilities_series:waitlist_offer", args=[entry.token]) in html
    assert reverse("facilities_series:waitlist_withdraw", args=[entry.token]) not in html


def test_the_bookings_list_costs_the_same_queries_with_one_or_many_waitlist_entries(
    client, room, part_a, part_b, salon, org, manager
):
    other = OrganizationFactory(valid_until=VALID_UNTIL)
    client.force_login(manager)

    def wait(resource, start=9, end=12):
        return waitlist_join(
            resource=resource,
            organization=org,
            start=at(TUESDAY, start),
            end=at(TUESDAY, end),
            purpose="会議",
            by=None,
        )

    book(room, other)
    wait(room)
    client.get(reverse("facilities:booking_list"))  # warm the per-process caches
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("facilities:booking_list"))
    book(room, other, start=13, end=17)
    wait(room, 13, 17)
    book(salon, OrganizationFactory(valid_until=VALID_UNTIL), start=10, end=12)
    wait(salon, 10, 12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("facilities:booking_list"))
    assert len(response.context["waiting"]) == 3
    assert len(many) == len(one)


# --- 3. fees before booking, money one way, the deadline in words ---------------------------


def test_money_is_shown_one_way():
    assert yen(1900) == "¥1,900"
    assert yen(0) == "¥0"
    assert yen(1234567) == "¥1,234,567"
    assert yen(300, subtract=True) == "−¥300"
    assert yen(-300) == "−¥300"
    assert yen(None) == ""


def test_the_resource_page_shows_its_fee_table_and_hours_beside_the_centers(client, room):
    response = client.get(reverse("facilities:resource_detail", args=[room.pk]))
    html = response.content.decode()
    for amount in ("¥1,900", "¥2,500", "¥3,100", "¥6,800"):
        assert amount in html
    assert "登録団体減免" in html  # what registered groups pay (here: nothing)
    assert "¥0" in html
    rows = {weekday: (center, own) for weekday, center, own in response.context["hours"]}
    tuesday = rows["Tuesday"] if "Tuesday" in rows else list(rows.values())[1]
    assert tuesday[0].opens == dt.time(10) and tuesday[0].closes == dt.time(19)
    assert tuesday[1].opens == dt.time(9) and tuesday[1].closes == dt.time(21)


def test_the_booking_form_shows_the_price_with_the_reduction_before_booking(
    client, room, org, manager
):
    from facilities.models import Discount

    Discount.objects.update(percent_off=50)
    client.force_login(manager)
    slot = room.slots.get(name="午後")
    response = client.get(
        f"{reverse('facilities:booking_create')}?resource={room.pk}&date={TUESDAY}&slot={slot.pk}"
    )
    quote = response.context["quote"]
    assert (quote["list_price"], quote["charged"], quote["discount"]) == (
        2500,
        1250,
        "登録団体減免",
    )
    html = response.content.decode()
    assert "¥2,500" in html and "¥1,250" in html
    # The last day to cancel, as the letter words it (和暦).
    assert quote["cancel_until"] == dt.date(2026, 11, 30)
    assert "令和8年11月30日" in html
    assert not Booking.objects.exists()


def test_pages_and_the_letter_show_money_and_the_deadline_the_same_way(
    client, room, org, manager, run_on_commit
):
    from facilities.models import Discount

    Discount.objects.update(percent_off=50)
    with run_on_commit():
        booking = book(room, org)  # ¥1,900 → ¥950
    client.force_login(manager)
    page = client.get(reverse("facilities:booking_detail", args=[booking.pk])).content.decode()
    assert "¥1,900" in page and "¥950" in page and "令和8年11月30日" in page
    letter = documents.approval_letter_of(booking)
    with letter.file.open("rb") as handle:
        text = pdf_text(handle.read())
    assert "¥950" in text and "¥1,900" in text and "令和8年11月30日" in text
    confirmation = next(m for m in mail.outbox if manager.email in m.to)
    assert "¥950" in confirmation.body


# --- 4. refusals that name the rule and the allowed values ----------------------------------


def test_refusals_name_the_rule_and_the_allowed_values(room, salon, org):
    def refusal(resource, **times):
        with pytest.raises(services.BookingError) as refused:
            book(resource, org, **times)
        return refused.value.message

    slots = refusal(room, start=10, end=12)  # not a slot
    assert "午前 09:00–12:00" in slots and "夜間 18:00–21:00" in slots
    hours = refusal(salon, start=9, end=11)  # salon: 10:00–19:00
    assert "10:00" in hours and "19:00" in hours
    far = refusal(room, day=dt.date(2027, 3, 2))  # past the window (ends 2027-02-28)
    assert "2027-02-28" in far
    with pytest.raises(services.BookingError) as short:  # salon: 60 to 540 minutes
        services.booking_create(
            resource=salon,
            organization=org,
            start=at(dt.date(2026, 12, 2), 10),
            end=at(dt.date(2026, 12, 2), 10, 30),
            purpose="定例会",
            by=None,
        )
    assert "60" in short.value.message and "540" in short.value.message


# --- 5. every resource on one day -----------------------------------------------------------


def day_url(date=TUESDAY):
    return f"{reverse('facilities:day')}?date={date}"


def test_the_day_page_shows_every_resource_in_words_without_group_names(client, room, salon, org):
    book(room, org)  # 9–12 the whole room: its parts are taken too
    response = client.get(day_url())
    assert response.status_code == 200
    rows = {row.resource.name: row for row in response.context["rows"]}
    assert set(rows) >= {"会議室", "会議室A", "会議室B", "サロン", "プロジェクター"}
    states = {name: {c.label: c.state for c in row.cells} for name, row in rows.items()}
    assert states["会議室"]["09:00"] == "taken" and states["会議室A"]["11:00"] == "taken"
    assert states["会議室"]["13:00"] == "free"
    assert states["サロン"]["09:00"] == "closed" and states["サロン"]["10:00"] == "free"
    html = response.content.decode()
    assert org.name not in html
    assert "Taken" in html or "予約" in html  # text, not colour alone
    assert f"date={TUESDAY - dt.timedelta(days=1)}" in html
    assert f"date={TUESDAY + dt.timedelta(days=1)}" in html
    assert reverse("facilities:day") in client.get(reverse("facilities:resource_list")).text


def test_the_day_page_names_the_group_to_its_members_and_staff(client, room, org, manager):
    book(room, org)
    client.force_login(manager)
    assert org.name in client.get(day_url()).content.decode()
    client.force_login(StaffFactory())
    assert org.name in client.get(day_url()).content.decode()


def test_the_day_page_refuses_a_date_it_cannot_read(client):
    assert client.get(f"{reverse('facilities:day')}?date=2026-13-45").status_code == 400
    assert client.get(f"{reverse('facilities:day')}?date=9999-12-31").status_code == 400
    assert client.get(reverse("facilities:day")).context["date"] == NOW.date()


def test_a_closed_day_shows_every_resource_closed(client):
    monday = dt.date(2026, 11, 30)
    response = client.get(day_url(monday))
    assert all(c.state == "closed" for row in response.context["rows"] for c in row.cells)


def test_the_day_page_costs_the_same_queries_with_one_or_many_resources_and_bookings(
    client, room, salon, org
):
    Resource.objects.exclude(pk=room.pk).update(is_active=False)
    book(room, org)
    client.get(day_url())
    with CaptureQueriesContext(connection) as one:
        client.get(day_url())
    Resource.objects.update(is_active=True)
    book(room, org, start=13, end=17)
    book(salon, OrganizationFactory(valid_until=VALID_UNTIL), start=10, end=12)
    with CaptureQueriesContext(connection) as many:
        response = client.get(day_url())
    assert len(response.context["rows"]) > 5
    assert len(many) == len(one)


# --- 6. one mail and one letter for a series -------------------------------------------------


def test_a_seven_date_series_sends_one_mail_per_manager_with_one_letter(
    room, org, manager, run_on_commit
):
    owner = MembershipFactory(organization=org, role="owner").user
    mail.outbox.clear()
    with run_on_commit():
        made, booked, _skipped = series_create(
            resource=room,
            organization=org,
            first=TUESDAY,
            frequency="weekly",
            until=dt.date(2027, 1, 12),  # seven Tuesdays, one in the 年末年始 closure
            start_time=dt.time(9),
            end_time=dt.time(12),
            purpose="定例会",
            by=manager,
        )
    assert len(booked) >= 5
    assert len(mail.outbox) == 2  # one per manager, not one per date and manager
    assert {m.to[0] for m in mail.outbox} == {manager.email, owner.email}
    message = mail.outbox[0]
    assert len(message.attachments) == 1
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and name == f"approval-letter-series-{made.pk}.pdf"
    text = pdf_text(content)
    assert text.count("会議室") >= 1
    for booking in booked:
        day = booking.start.astimezone(TOKYO).date()
        assert f"{day.month}月{day.day}日" in text
        assert f"{booking.start.astimezone(TOKYO):%Y-%m-%d %H:%M}" in message.body
    # No per-date letter was made; the series' one letter is linked.
    assert not Booking.objects.filter(approval_letter__isnull=False).exists()
    made.refresh_from_db()
    assert made.approval_letter.status == DocumentStatus.READY
    assert all(b.confirmation_sent_at for b in Booking.objects.filter(series=made))
    assert SentMail.objects.filter(purpose="facilities.series_confirmed").count() == 2


def test_the_series_letter_is_downloaded_by_members_only(client, room, org, manager, run_on_commit):
    with run_on_commit():
        made, booked, _skipped = series_create(
            resource=room,
            organization=org,
            first=TUESDAY,
            frequency="weekly",
            until=dt.date(2026, 12, 15),
            start_time=dt.time(9),
            end_time=dt.time(12),
            purpose="定例会",
            by=manager,
        )
    url = reverse("facilities_series:series_letter", args=[made.pk])
    client.force_login(manager)
    assert client.get(url).status_code == 200
    detail = client.get(reverse("facilities_series:series_detail", args=[made.pk]))
    assert url in detail.content.decode()
    # A date of the series is approved by the series' letter.
    one = client.get(reverse("facilities_feeds:approval_letter", args=[booked[0].pk]))
    assert one.status_code == 200
    client.force_login(MembershipFactory(organization=OrganizationFactory(), role="owner").user)
    assert client.get(url).status_code == 404


def test_a_second_series_confirmation_sends_nothing_more(room, org, manager, run_on_commit):
    from facilities.reminders import series_confirmation_send

    with run_on_commit():
        made, _booked, _skipped = series_create(
            resource=room,
            organization=org,
            first=TUESDAY,
            frequency="weekly",
            until=dt.date(2026, 12, 15),
            start_time=dt.time(9),
            end_time=dt.time(12),
            purpose="定例会",
            by=manager,
        )
    before = len(mail.outbox)
    assert series_confirmation_send(series=Series.objects.get(pk=made.pk)) == 0
    assert len(mail.outbox) == before == 1
    assert Series.objects.get(pk=made.pk).confirmation_sent_at is not None


def test_the_home_page_explains_opening_hours_against_bookable_hours(client):
    html = client.get(reverse("home")).content.decode()
    assert re.search(r"bookable hours|利用可能時間|予約できる時間", html)


def test_a_deadline_is_worded_as_the_letters_word_it():
    from django.utils import translation

    from kyodo.dates import wareki_until

    with translation.override("ja"):
        assert wareki_until(dt.date(2026, 12, 7)) == "令和8年12月7日まで"
    with translation.override("en"):
        assert wareki_until(dt.date(2026, 12, 7)) == "until 2026-12-07"
