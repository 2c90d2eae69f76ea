"""The staff side of 施設予約: the counter, booking on behalf, blocks, moving and cancelling
with a message, the bookings CSV, printer counts and totals, the no-show rule, the admin."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilities import services, staff_services
from facilities.models import Booking, BookingEvent, PrinterUsage, Resource
from facilities.services import BookingError
from organizations.models import OrganizationEvent
from tests.facilities.conftest import TOKYO, at
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)  # a Friday
TODAY = NOW.date()
TUESDAY = dt.date(2026, 12, 1)
BEYOND_WINDOW = dt.date(2027, 3, 2)  # a Tuesday; online booking opens for March on 1 December


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def org(db):
    return OrganizationFactory(valid_until=dt.date(2027, 3, 31))


@pytest.fixture
def staff_user(db):
    return StaffFactory()


@pytest.fixture
def printer(db):
    return Resource.objects.get(name="輪転機")


@pytest.fixture
def staff_client(client, staff_user):
    client.force_login(staff_user)
    return client


def make_booking(resource, organization, day, start_hour, end_hour, **fields):
    """A booking row as the services leave it, written directly so that a test can set up
    times in the past or many bookings at once."""
    return Booking.objects.create(
        resource=resource,
        organization=organization,
        start=at(day, start_hour),
        end=at(day, end_hour),
        purpose=fields.pop("purpose", "定例会"),
        **fields,
    )


# --- permissions -----------------------------------------------------------------------------


def _staff_urls(booking):
    def name(view, *args):
        return reverse(f"facilities_staff:{view}", args=args)

    return [
        ("get", name("counter")),
        ("get", name("book")),
        ("get", name("block")),
        ("get", name("booking_list")),
        ("get", name("booking_export")),
        ("get", name("booking_detail", booking.pk)),
        ("get", name("printer_totals")),
        ("get", name("printer_export")),
        ("post", name("check_in", booking.pk)),
        ("post", name("no_show", booking.pk)),
        ("post", name("booking_printer", booking.pk)),
        ("post", name("move", booking.pk)),
        ("post", name("cancel", booking.pk)),
        ("post", name("printer_record")),
    ]


def test_every_staff_url_is_under_staff_facilities(room, org):
    booking = make_booking(room, org, TODAY, 9, 12)
    assert all(url.startswith("/staff/facilities/") for _m, url in _staff_urls(booking))


def test_anonymous_users_are_sent_to_log_in_from_every_staff_page(client, room, org):
    booking = make_booking(room, org, TODAY, 9, 12)
    login = reverse("account_login")
    for method, url in _staff_urls(booking):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
    booking.refresh_from_db()
    assert booking.status == "confirmed"


@pytest.mark.parametrize("person", ["owner", "manager", "member", "outsider", "stranger"])
def test_everyone_but_staff_gets_404_on_every_staff_page(client, room, people, person):
    booking = make_booking(room, people["owner"].memberships.get().organization, TODAY, 9, 12)
    client.force_login(people[person])
    for method, url in _staff_urls(booking):
        response = getattr(client, method)(url, {"message": "x"} if method == "post" else None)
        assert response.status_code == 404, (person, url)
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert BookingEvent.objects.filter(booking=booking).count() == 0


def test_a_ward_official_is_not_center_staff(client, room, org, ward_official):
    booking = make_booking(room, org, TODAY, 9, 12)
    client.force_login(ward_official)
    for method, url in _staff_urls(booking):
        assert getattr(client, method)(url).status_code == 404, url


def test_staff_open_every_staff_page(staff_client, room, org):
    booking = make_booking(room, org, TODAY, 9, 12)
    for method, url in _staff_urls(booking):
        response = getattr(staff_client, method)(url)
        assert response.status_code in ((200,) if method == "get" else (200, 302)), url


def test_actions_take_post_only(staff_client, room, org):
    booking = make_booking(room, org, TODAY, 9, 12)
    for view in ("check_in", "no_show", "move", "cancel"):
        url = reverse(f"facilities_staff:{view}", args=[booking.pk])
        assert staff_client.get(url).status_code == 405, view
    booking.refresh_from_db()
    assert booking.status == "confirmed"


# --- the counter -----------------------------------------------------------------------------


def test_the_counter_shows_today_by_default_and_another_day_on_request(staff_client, room, org):
    make_booking(room, org, TODAY, 9, 12, purpose="今日の会議")
    make_booking(room, org, TUESDAY, 9, 12, purpose="来月の会議")
    make_booking(room, org, TODAY, 13, 17, purpose="取り消した会議", status="cancelled")
    page = staff_client.get(reverse("facilities_staff:counter")).content.decode()
    assert "今日の会議" in page and "来月の会議" not in page
    assert "取り消した会議" not in page
    page = staff_client.get(reverse("facilities_staff:counter"), {"date": "2026-12-01"})
    assert "来月の会議" in page.content.decode()


def test_check_in_at_the_counter_marks_the_booking_used(staff_client, staff_user, room, org):
    booking = make_booking(room, org, TODAY, 9, 12)
    response = staff_client.post(reverse("facilities_staff:check_in", args=[booking.pk]))
    assert response.status_code == 302
    assert response.url.endswith("?date=2026-11-20")
    booking.refresh_from_db()
    assert booking.status == "used"
    event = BookingEvent.objects.get(booking=booking)
    assert (event.old_status, event.new_status, event.changed_by) == (
        "confirmed",
        "used",
        staff_user,
    )


def test_a_booking_of_a_later_day_cannot_be_checked_in(staff_client, room, org):
    booking = make_booking(room, org, TUESDAY, 9, 12)
    staff_client.post(reverse("facilities_staff:check_in", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "confirmed"
    assert not BookingEvent.objects.exists()


def test_a_no_show_is_recorded_at_the_counter(staff_client, staff_user, salon, org):
    booking = make_booking(salon, org, TODAY, 9, 10)
    staff_client.post(reverse("facilities_staff:no_show", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "no_show"
    event = BookingEvent.objects.get(booking=booking)
    assert (event.new_status, event.changed_by) == ("no_show", staff_user)
    org.refresh_from_db()
    assert org.status == "registered"  # one no-show is below the limit


def test_a_no_show_cannot_be_recorded_before_the_booking_begins(staff_client, room, org):
    booking = make_booking(room, org, TODAY, 13, 17)
    staff_client.post(reverse("facilities_staff:no_show", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "confirmed"


def test_a_wrong_no_show_is_corrected_by_checking_in(staff_client, room, org):
    booking = make_booking(room, org, TODAY, 9, 12, status="no_show")
    staff_client.post(reverse("facilities_staff:check_in", args=[booking.pk]))
    booking.refresh_from_db()
    assert booking.status == "used"


def test_the_third_no_show_suspends_the_organization_from_booking(
    staff_client, staff_user, room, salon, org, run_on_commit
):
    manager = MembershipFactory(organization=org, role="manager").user
    for day in (dt.date(2026, 11, 3), dt.date(2026, 11, 10)):
        make_booking(room, org, day, 9, 12, status="no_show")
    booking = make_booking(salon, org, TODAY, 9, 10)
    with run_on_commit():
        staff_client.post(reverse("facilities_staff:no_show", args=[booking.pk]))
    org.refresh_from_db()
    assert org.status == "suspended"
    event = OrganizationEvent.objects.get(organization=org, new_status="suspended")
    assert event.changed_by == staff_user
    assert "3" in event.reason
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert event.reason in mail.outbox[0].body
    with pytest.raises(BookingError):
        services.booking_create(
            resource=room,
            organization=org,
            start=at(TUESDAY, 9),
            end=at(TUESDAY, 12),
            purpose="定例会",
            by=manager,
        )


def test_the_no_show_limit_is_data(staff_user, room, salon, org):
    from facilities.models import BookingPolicy

    policy = BookingPolicy.current()
    policy.no_show_limit = 2
    policy.save()
    make_booking(room, org, dt.date(2026, 11, 3), 9, 12, status="no_show")
    staff_services.booking_no_show(booking=make_booking(salon, org, TODAY, 9, 10), by=staff_user)
    org.refresh_from_db()
    assert org.status == "suspended"


# --- printers --------------------------------------------------------------------------------


def test_printer_counts_at_the_counter_are_priced_per_master_and_sheet(
    staff_client, staff_user, printer, org
):
    booking = make_booking(printer, org, TODAY, 9, 10)
    page = staff_client.get(reverse("facilities_staff:counter")).content.decode()
    assert f'name="p{booking.pk}-masters"' in page
    staff_client.post(
        reverse("facilities_staff:booking_printer", args=[booking.pk]),
        {f"p{booking.pk}-masters": "3", f"p{booking.pk}-sheets": "250"},
    )
    usage = PrinterUsage.objects.get()
    assert (usage.masters, usage.sheets, usage.amount) == (3, 250, 30 * 3 + 250)
    assert (usage.organization, usage.booking, usage.recorded_by) == (org, booking, staff_user)
    assert usage.used_on == TODAY
    assert usage.history.count() == 1  # the audit row


def test_printer_use_without_a_booking_is_recorded_at_the_counter(staff_client, printer, org):
    staff_client.post(
        reverse("facilities_staff:printer_record"),
        {
            "organization": org.pk,
            "resource": printer.pk,
            "used_on": "2026-11-19",
            "masters": "1",
            "sheets": "100",
        },
    )
    usage = PrinterUsage.objects.get()
    assert (usage.amount, usage.used_on, usage.booking) == (130, dt.date(2026, 11, 19), None)


def test_counts_are_refused_for_a_room_and_for_nothing_used(staff_user, room, printer, org):
    for resource, masters, sheets in [(room, 1, 10), (printer, 0, 0)]:
        with pytest.raises(BookingError):
            staff_services.printer_usage_record(
                resource=resource,
                organization=org,
                used_on=TODAY,
                masters=masters,
                sheets=sheets,
                by=staff_user,
            )
    assert not PrinterUsage.objects.exists()


def test_monthly_printer_totals_per_organization(staff_client, staff_user, printer, org):
    other = OrganizationFactory(name="京橋の会", name_kana="キョウバシノカイ")
    org.name_kana = "ニホンバシノカイ"
    org.save()

    def record(organization, day, masters, sheets):
        staff_services.printer_usage_record(
            resource=printer,
            organization=organization,
            used_on=day,
            masters=masters,
            sheets=sheets,
            by=staff_user,
        )

    record(org, dt.date(2026, 11, 2), 2, 100)
    record(org, dt.date(2026, 11, 30), 1, 50)
    record(org, dt.date(2026, 10, 31), 5, 500)  # another month
    record(other, dt.date(2026, 11, 15), 4, 1000)
    rows = list(staff_services.printer_monthly_totals(month=dt.date(2026, 11, 1)))
    assert [
        (r["organization__name"], r["uses"], r["masters"], r["sheets"], r["amount"]) for r in rows
    ] == [
        ("京橋の会", 1, 4, 1000, 4 * 30 + 1000),
        (org.name, 2, 3, 150, 3 * 30 + 150),
    ]
    page = staff_client.get(reverse("facilities_staff:printer_totals"), {"month": "2026-11"})
    assert page.context["total"] == {"uses": 3, "masters": 7, "sheets": 1150, "amount": 1360}
    response = staff_client.get(reverse("facilities_staff:printer_export"), {"month": "2026-11"})
    rows = _csv_rows(response)
    assert rows[1][2:] == ["京橋の会", "1", "4", "1000", "1120"]
    assert rows[2][2:] == [org.name, "2", "3", "150", "240"]
    assert len(rows) == 3


def test_the_totals_take_one_query(printer, org, staff_user, django_assert_num_queries):
    staff_services.printer_usage_record(
        resource=printer, organization=org, used_on=TODAY, masters=1, sheets=1, by=staff_user
    )
    with django_assert_num_queries(1):
        assert len(list(staff_services.printer_monthly_totals(month=TODAY))) == 1


# --- booking on behalf, blocks ---------------------------------------------------------------


def test_staff_book_for_a_group_beyond_the_online_window(staff_client, staff_user, room, org, user):
    with pytest.raises(BookingError):
        services.booking_create(
            resource=room,
            organization=org,
            start=at(BEYOND_WINDOW, 9),
            end=at(BEYOND_WINDOW, 12),
            purpose="総会",
            by=user,
        )
    response = staff_client.post(
        reverse("facilities_staff:book"),
        {
            "organization": org.pk,
            "resource": room.pk,
            "day": "2027-03-02",
            "start_time": "09:00",
            "end_time": "12:00",
            "purpose": "総会",
            "attendees": "40",
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.organization, booking.status, booking.booked_by) == (
        org,
        "confirmed",
        staff_user,
    )
    assert booking.start == at(BEYOND_WINDOW, 9)
    assert booking.charged == 0 and booking.list_price == 1900  # 減免 for registered groups


def test_staff_booking_on_a_closed_day_is_refused_with_the_reason(staff_client, room, org):
    response = staff_client.post(
        reverse("facilities_staff:book"),
        {
            "organization": org.pk,
            "resource": room.pk,
            "day": "2026-11-30",  # a Monday
            "start_time": "09:00",
            "end_time": "12:00",
            "purpose": "総会",
            "attendees": "10",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not Booking.objects.exists()


def test_staff_block_time_and_groups_can_no_longer_book_it(staff_client, staff_user, room, org):
    response = staff_client.post(
        reverse("facilities_staff:block"),
        {
            "resource": room.pk,
            "day": "2026-12-01",
            "start_time": "09:00",
            "end_time": "12:00",
            "reason": "空調設備の点検",
        },
    )
    assert response.status_code == 302
    block = Booking.objects.get()
    assert (block.is_block, block.organization, block.purpose, block.charged) == (
        True,
        None,
        "空調設備の点検",
        0,
    )
    with pytest.raises(BookingError):
        services.booking_create(
            resource=room,
            organization=org,
            start=at(TUESDAY, 9),
            end=at(TUESDAY, 12),
            purpose="定例会",
            by=staff_user,
        )
    page = staff_client.get(reverse("facilities_staff:counter"), {"date": "2026-12-01"})
    assert "空調設備の点検" in page.content.decode()


# --- move and cancel -------------------------------------------------------------------------


@pytest.fixture
def group(org):
    """The organization with its 代表管理者, a 管理者 and a メンバー."""
    return {
        "owner": MembershipFactory(organization=org, role="owner").user,
        "manager": MembershipFactory(organization=org, role="manager").user,
        "member": MembershipFactory(organization=org, role="member").user,
    }


def test_staff_move_a_booking_and_the_managers_get_the_message(
    staff_client, staff_user, room, org, group, run_on_commit
):
    booking = services.booking_create(
        resource=room,
        organization=org,
        start=at(TUESDAY, 9),
        end=at(TUESDAY, 12),
        purpose="定例会",
        by=group["owner"],
    )
    with run_on_commit():
        response = staff_client.post(
            reverse("facilities_staff:move", args=[booking.pk]),
            {
                "move-day": "2026-12-01",
                "move-start_time": "13:00",
                "move-end_time": "17:00",
                "move-message": "午前は区の行事で使用するため、午後に変更させてください。",
            },
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert (booking.start, booking.end, booking.status) == (
        at(TUESDAY, 13),
        at(TUESDAY, 17),
        "confirmed",
    )
    event = BookingEvent.objects.filter(booking=booking).last()
    assert event.changed_by == staff_user
    assert "区の行事" in event.reason and "09:00" in event.reason and "13:00" in event.reason
    # The message to the managers (a new 利用承認書 and confirmation follow the move too).
    moved = [m for m in mail.outbox if "区の行事" in m.body]
    assert sorted(m.to[0] for m in moved) == sorted([group["owner"].email, group["manager"].email])
    assert all("13:00" in m.body for m in moved)


def test_a_move_onto_a_taken_time_is_refused(staff_client, room, org, group, run_on_commit):
    booking = make_booking(room, org, TUESDAY, 9, 12)
    make_booking(room, OrganizationFactory(), TUESDAY, 13, 17)
    with run_on_commit():
        response = staff_client.post(
            reverse("facilities_staff:move", args=[booking.pk]),
            {
                "move-day": "2026-12-01",
                "move-start_time": "13:00",
                "move-end_time": "17:00",
                "move-message": "午後に変更します。",
            },
        )
    assert response.status_code == 200
    assert response.context["move_form"].non_field_errors()
    booking.refresh_from_db()
    assert booking.start == at(TUESDAY, 9)
    assert not BookingEvent.objects.filter(booking=booking).exists()
    assert mail.outbox == []


def test_a_move_needs_a_message_for_the_group(staff_user, room, org):
    booking = make_booking(room, org, TUESDAY, 9, 12)
    with pytest.raises(BookingError):
        staff_services.booking_move(
            booking=booking, start=at(TUESDAY, 13), end=at(TUESDAY, 17), by=staff_user, message=""
        )
    booking.refresh_from_db()
    assert booking.start == at(TUESDAY, 9)


def test_staff_cancel_a_booking_with_a_message(
    staff_client, staff_user, room, org, group, run_on_commit
):
    booking = make_booking(room, org, TUESDAY, 9, 12)
    message = "設備故障のため、誠に申し訳ありませんが取り消させていただきます。"
    with run_on_commit():
        response = staff_client.post(
            reverse("facilities_staff:cancel", args=[booking.pk]), {"cancel-message": message}
        )
    assert response.status_code == 302
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    event = BookingEvent.objects.get(booking=booking)
    assert (event.new_status, event.reason, event.changed_by) == ("cancelled", message, staff_user)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [group["owner"].email, group["manager"].email]
    )
    assert all(message in m.body for m in mail.outbox)


# --- the bookings list and CSV ---------------------------------------------------------------


def _csv_rows(response):
    content = response.content
    assert content.startswith("\ufeff".encode())  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def test_the_csv_holds_the_bookings_of_the_period(staff_client, room, salon, org):
    make_booking(room, org, dt.date(2026, 11, 29), 9, 12, purpose="十一月")
    make_booking(room, org, TUESDAY, 9, 12, purpose="十二月の一")
    make_booking(salon, org, dt.date(2026, 12, 31), 10, 12, purpose="=十二月の二")
    make_booking(room, org, dt.date(2027, 1, 5), 9, 12, purpose="一月")
    response = staff_client.get(
        reverse("facilities_staff:booking_export"), {"start": "2026-12-01", "end": "2026-12-31"}
    )
    assert response["Content-Type"].startswith("text/csv")
    assert "bookings-20261201-20261231.csv" in response["Content-Disposition"]
    header, *rows = _csv_rows(response)
    assert len(header) == len(rows[0])
    assert [(r[0], r[1], r[3], r[8]) for r in rows] == [
        ("2026-12-01", "09:00", "会議室", "十二月の一"),
        ("2026-12-31", "10:00", "サロン", "'=十二月の二"),  # a formula is kept as text
    ]
    assert rows[0][4] == org.name


def test_the_list_filters_by_resource_organization_and_status(staff_client, room, salon, org):
    other = OrganizationFactory()
    make_booking(room, org, TUESDAY, 9, 12)
    make_booking(salon, org, TUESDAY, 10, 12)
    make_booking(room, other, TUESDAY, 13, 17, status="cancelled")
    url = reverse("facilities_staff:booking_list")
    period = {"start": "2026-12-01", "end": "2026-12-31"}

    def listed(**filters):
        response = staff_client.get(url, {**period, **filters})
        return [(b.resource.name, b.organization_id) for b in response.context["bookings"]]

    assert len(listed()) == 3
    assert listed(resource=salon.pk) == [("サロン", org.pk)]
    assert listed(organization=other.pk) == [("会議室", other.pk)]
    assert listed(status="cancelled") == [("会議室", other.pk)]
    # The CSV link carries the same filters.
    page = staff_client.get(url, {**period, "resource": salon.pk}).content.decode()
    assert f"resource={salon.pk}" in page


# --- query counts ----------------------------------------------------------------------------


def _count_queries(client, url, params=None):
    client.get(url, params)  # warm the session, content types and the like
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(queries)


def _day_of_bookings(count, *, rooms, printer, staff_user, first=0):
    """``count`` bookings on TODAY, every third a printer booking with a recorded count.
    No two overlap on one resource (PostgreSQL's exclusion constraint would refuse them):
    printer bookings take distinct hours, the others a room of their own."""
    for i in range(first, first + count):
        organization = OrganizationFactory()
        MembershipFactory(organization=organization, role="owner")
        if i % 3 == 0:
            resource = printer
        else:
            resource = Resource.objects.create(
                name=f"{rooms[i % len(rooms)].name}-{i}", kind="room", capacity=10
            )
        booking = make_booking(resource, organization, TODAY, 9 + i % 10, 10 + i % 10)
        if resource == printer:
            staff_services.printer_usage_record(
                resource=printer,
                organization=organization,
                used_on=TODAY,
                masters=1,
                sheets=10,
                by=staff_user,
                booking=booking,
            )


def test_the_counter_runs_the_same_queries_for_one_and_for_thirty_bookings(
    staff_client, staff_user, room, salon, printer, django_assert_num_queries
):
    url = reverse("facilities_staff:counter")
    kwargs = {"rooms": [room, salon], "printer": printer, "staff_user": staff_user}
    _day_of_bookings(1, **kwargs)
    with_one = _count_queries(staff_client, url)
    _day_of_bookings(29, first=1, **kwargs)
    with django_assert_num_queries(with_one):
        response = staff_client.get(url)
    assert len(response.context["bookings"]) == 30


def test_the_bookings_list_runs_the_same_queries_for_one_and_for_thirty_bookings(
    staff_client, staff_user, room, salon, printer, django_assert_num_queries
):
    url = reverse("facilities_staff:booking_list")
    kwargs = {"rooms": [room, salon], "printer": printer, "staff_user": staff_user}
    _day_of_bookings(1, **kwargs)
    with_one = _count_queries(staff_client, url)
    _day_of_bookings(29, first=1, **kwargs)
    with django_assert_num_queries(with_one):
        response = staff_client.get(url)
    assert len(response.context["bookings"]) == 30


# --- the admin -------------------------------------------------------------------------------


def test_the_booking_changelist_loads_with_todays_bookings(admin_client, room, org):
    make_booking(room, org, TODAY, 9, 12)
    response = admin_client.get(reverse("admin:facilities_booking_changelist"), {"day": "today"})
    assert response.status_code == 200
    assert org.name in response.content.decode()
    assert response.context["cl"].result_count == 1


def test_the_admin_marks_no_shows_through_the_service(admin_client, room, salon, org):
    bookings = [
        make_booking(room, org, dt.date(2026, 11, 3), 9, 12),
        make_booking(room, org, dt.date(2026, 11, 10), 9, 12),
        make_booking(salon, org, TODAY, 9, 10),
    ]
    admin_client.post(
        reverse("admin:facilities_booking_changelist"),
        {"action": "mark_no_show", "_selected_action": [b.pk for b in bookings]},
    )
    assert set(Booking.objects.values_list("status", flat=True)) == {"no_show"}
    assert BookingEvent.objects.filter(new_status="no_show").count() == 3
    org.refresh_from_db()
    assert org.status == "suspended"


def test_the_admin_exports_the_selected_bookings_as_csv(admin_client, room, org):
    booking = make_booking(room, org, TODAY, 9, 12)
    response = admin_client.post(
        reverse("admin:facilities_booking_changelist"),
        {"action": "export_csv", "_selected_action": [booking.pk]},
    )
    rows = _csv_rows(response)
    assert len(rows) == 2 and rows[1][4] == org.name


def test_the_admin_records_printer_counts_through_the_service(admin_client, printer, org):
    response = admin_client.post(
        reverse("admin:facilities_printerusage_add"),
        {
            "resource": printer.pk,
            "organization": org.pk,
            "used_on": "2026-11-20",
            "masters": "2",
            "sheets": "40",
            "booking": "",
        },
    )
    assert response.status_code == 302
    assert PrinterUsage.objects.get().amount == 100


@pytest.mark.parametrize(
    "name",
    [
        "resource",
        "bookingpolicy",
        "discount",
        "booking",
        "bookingevent",
        "series",
        "waitlistentry",
        "printerusage",
        "receipt",
        "monthlystatement",
        "calendarfeed",
    ],
)
def test_every_facilities_admin_page_loads(admin_client, room, name):
    response = admin_client.get(reverse(f"admin:facilities_{name}_changelist"), follow=True)
    assert response.status_code == 200


def test_a_resource_opens_in_the_admin_with_its_hours_slots_and_prices(admin_client, room):
    response = admin_client.get(reverse("admin:facilities_resource_change", args=[room.pk]))
    assert response.status_code == 200
    assert "午前" in response.content.decode()


def test_a_booking_opens_read_only_in_the_admin_with_its_history(
    admin_client, staff_user, room, org
):
    booking = make_booking(room, org, TODAY, 9, 12)
    staff_services.booking_check_in(booking=booking, by=staff_user)
    response = admin_client.get(reverse("admin:facilities_booking_change", args=[booking.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert reverse("facilities_staff:booking_detail", args=[booking.pk]) in page
    assert 'name="start_0"' not in page  # the time changes only through the services
