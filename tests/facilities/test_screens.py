"""The booking screens: availability, booking, a booking's page with cancel / re-book / .ics,
the bookings list and the マイページ section."""

import datetime as dt
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from facilities import services
from facilities.models import Booking, BookingEvent, Resource
from tests.facilities.conftest import TOKYO, at
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 20, 10, tzinfo=TOKYO)  # a Friday
TUESDAY = dt.date(2026, 12, 1)
VALID_UNTIL = dt.date(2027, 3, 31)
TAKEN = re.compile(r"already taken|埋ま|予約済")


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def org(db):
    return OrganizationFactory(name="月島こども食堂の会", valid_until=VALID_UNTIL)


@pytest.fixture
def people(org):
    other = OrganizationFactory(name="佃フォトクラブ", valid_until=VALID_UNTIL)
    return {
        "manager": MembershipFactory(organization=org, role="manager").user,
        "member": MembershipFactory(organization=org, role="member").user,
        "outsider": MembershipFactory(organization=other, role="owner").user,
        "stranger": UserFactory(),
        "staff": StaffFactory(),
    }


def book(resource, org, day=TUESDAY, start=9, end=12, *, user=None, purpose="定例会"):
    return services.booking_create(
        resource=resource,
        organization=org,
        start=at(day, start),
        end=at(day, end),
        purpose=purpose,
        by=user,
    )


def availability_url(resource, view="week", date=TUESDAY):
    return f"{reverse('facilities:resource_detail', args=[resource.pk])}?view={view}&date={date}"


def book_url(resource, **query):
    params = "&".join(f"{key}={value}" for key, value in {"resource": resource.pk, **query}.items())
    return f"{reverse('facilities:booking_create')}?{params}"


def slot_of(resource, name):
    return resource.slots.get(name=name)


# --- public pages ------------------------------------------------------------------------


def test_anyone_sees_the_resources_and_their_availability_without_group_names(client, room, org):
    book(room, org)

    listing = client.get(reverse("facilities:resource_list"))
    assert listing.status_code == 200
    assert "会議室" in listing.content.decode()

    for view in ("day", "week", "month"):
        response = client.get(availability_url(room, view))
        assert response.status_code == 200
        html = response.content.decode()
        assert org.name not in html
        cells = [cell for day in response.context["days"] for cell in day.cells]
        taken = [cell for cell in cells if cell.state == "taken"]
        assert taken and all(cell.booking is None for cell in taken)


def test_availability_marks_free_taken_and_closed_cells(client, room, part_a, org):
    book(part_a, org)  # a part blocks the whole
    response = client.get(availability_url(room, "week"))
    days = {day.date: day for day in response.context["days"]}

    states = {cell.label: cell.state for cell in days[TUESDAY].cells}
    assert states == {"午前": "taken", "午後": "free", "夜間": "free", "全日": "taken"}
    monday = days[dt.date(2026, 11, 30)]
    assert {cell.state for cell in monday.cells} == {"closed"}
    free = next(cell for cell in days[TUESDAY].cells if cell.label == "午後")
    assert free.bookable
    html = response.content.decode()
    assert f"slot={free.slot_id}" in html
    assert reverse("facilities:booking_create") in html


def test_past_times_are_past_not_closed_in_the_grid(client, salon):
    today = NOW.date()
    with time_machine.travel(NOW + dt.timedelta(minutes=15), tick=False):
        response = client.get(availability_url(salon, "day", today))
    states = {cell.label: cell.state for cell in response.context["days"][0].cells}
    assert states["10:00"] == "past"  # it is 10:15: the step has begun
    assert states["10:30"] == "free"
    assert states["18:30"] == "free"


def test_a_past_weekday_is_announced_as_past_not_as_closed(client, room):
    """Screen readers read the hidden words: yesterday, an ordinary open day, was 休館."""
    client.cookies["django_language"] = "en"
    yesterday = NOW.date() - dt.timedelta(days=1)  # a Thursday, the center open
    response = client.get(availability_url(room, "day", yesterday))
    day = response.context["days"][0]
    assert day.center.is_open and day.is_past
    table = _day_table(response.content.decode())
    assert ">Past<" in table
    assert "Closed" not in table
    client.cookies["django_language"] = "ja"
    assert "休館" not in _day_table(
        client.get(availability_url(room, "day", yesterday)).content.decode()
    )


def _day_table(html: str) -> str:
    """The day's table of times (not the legend, which explains every mark)."""
    return html.split('<table class="table table-sm avail-table">', 1)[1].split("</table>", 1)[0]


def test_members_and_staff_see_who_booked_and_others_do_not(client, room, org, people):
    booking = book(room, org)
    for who, sees in [
        ("member", True),
        ("manager", True),
        ("staff", True),
        ("outsider", False),
        ("stranger", False),
    ]:
        client.force_login(people[who])
        html = client.get(availability_url(room)).content.decode()
        assert (org.name in html) is sees, who
        assert (reverse("facilities:booking_detail", args=[booking.pk]) in html) is sees, who


def test_the_calendar_alone_is_sent_to_htmx(client, room):
    response = client.get(availability_url(room, "month"), headers={"HX-Request": "true"})
    html = response.content.decode()
    assert 'id="calendar"' in html
    assert "<html" not in html


# --- permission matrix -------------------------------------------------------------------


def test_booking_pages_ask_anonymous_visitors_to_log_in(client, room, org):
    booking = book(room, org)
    urls = [
        book_url(room),
        reverse("facilities:booking_list"),
        reverse("facilities:booking_detail", args=[booking.pk]),
        reverse("facilities:booking_ics", args=[booking.pk]),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("account_login"))
    response = client.post(reverse("facilities:booking_cancel", args=[booking.pk]), {"reason": "x"})
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


@pytest.mark.parametrize(
    ("who", "view", "ics", "form", "cancel"),
    [
        ("member", 200, 200, 403, 403),
        ("manager", 200, 200, 200, 302),
        ("outsider", 404, 404, 200, 404),  # may book for their own organization
        ("stranger", 404, 404, 403, 404),
        ("staff", 200, 200, 200, 302),
    ],
)
def test_permission_matrix(client, room, org, people, who, view, ics, form, cancel):
    booking = book(room, org)
    client.force_login(people[who])

    detail = client.get(reverse("facilities:booking_detail", args=[booking.pk]))
    assert detail.status_code == view
    if view == 200:
        assert org.name in detail.content.decode()
    assert client.get(reverse("facilities:booking_ics", args=[booking.pk])).status_code == ics
    assert client.get(book_url(room, date=TUESDAY)).status_code == form
    response = client.post(
        reverse("facilities:booking_cancel", args=[booking.pk]), {"reason": "都合により"}
    )
    assert response.status_code == cancel
    expected = "cancelled" if cancel == 302 else "confirmed"
    assert Booking.objects.get(pk=booking.pk).status == expected


def test_a_member_cannot_book_by_posting_either(client, room, people):
    client.force_login(people["member"])
    response = client.post(
        book_url(room),
        {"date": TUESDAY, "slot": slot_of(room, "午前").pk, "purpose": "会議", "attendees": 10},
    )
    assert response.status_code == 403
    assert not Booking.objects.exists()


def test_a_manager_cannot_book_for_another_organization(client, room, org, people):
    other = people["outsider"].memberships.get().organization
    client.force_login(people["manager"])
    response = client.post(
        book_url(room),
        {
            "organization": other.pk,
            "date": TUESDAY,
            "slot": slot_of(room, "午前").pk,
            "purpose": "会議",
            "attendees": 10,
        },
    )
    assert response.status_code == 200
    assert "organization" in response.context["form"].errors
    assert not Booking.objects.exists()


def test_the_booking_list_shows_only_the_user_s_organizations(client, room, org, people):
    mine = book(room, org, purpose="子ども食堂の準備会")
    other_org = people["outsider"].memberships.get().organization
    book(room, other_org, start=13, end=17, purpose="写真展の打合せ")
    client.force_login(people["member"])

    html = client.get(reverse("facilities:booking_list")).content.decode()
    assert "子ども食堂の準備会" in html
    assert reverse("facilities:booking_detail", args=[mine.pk]) in html
    assert "写真展の打合せ" not in html


# --- booking -----------------------------------------------------------------------------


def test_the_form_is_prefilled_from_the_free_cell(client, room, org, people):
    client.force_login(people["manager"])
    slot = slot_of(room, "午後")
    form = client.get(book_url(room, date=TUESDAY, slot=slot.pk)).context["form"]
    assert str(form.initial["date"]) == str(TUESDAY)
    assert str(form.initial["slot"]) == str(slot.pk)
    assert form.initial["organization"] == org.pk


def test_a_manager_books_a_slot_with_equipment(client, room, org, people):
    projector = Resource.objects.get(name="プロジェクター")
    client.force_login(people["manager"])
    response = client.post(
        book_url(room, date=TUESDAY, slot=slot_of(room, "午後").pk),
        {
            "organization": org.pk,
            "date": TUESDAY,
            "slot": slot_of(room, "午後").pk,
            "purpose": "地域防災の講座",
            "attendees": 40,
            "equipment": [projector.pk],
        },
    )
    booking = Booking.objects.get(resource=room)
    assert response.status_code == 302
    assert response.url == reverse("facilities:booking_detail", args=[booking.pk])
    assert (booking.organization, booking.status, booking.booked_by) == (
        org,
        "confirmed",
        people["manager"],
    )
    assert (booking.start, booking.end) == (at(TUESDAY, 13), at(TUESDAY, 17))
    equipment = Booking.objects.get(resource=projector)
    assert (equipment.organization, equipment.start, equipment.end) == (
        org,
        booking.start,
        booking.end,
    )


def test_a_manager_books_the_salon_on_the_grid(client, salon, org, people):
    client.force_login(people["manager"])
    form = client.get(book_url(salon, date=TUESDAY, start="14:00")).context["form"]
    assert (form.initial["start_time"], form.initial["end_time"]) == ("14:00", "15:00")
    response = client.post(
        book_url(salon),
        {
            "organization": org.pk,
            "date": TUESDAY,
            "start_time": "14:00",
            "end_time": "15:30",
            "purpose": "打合せ",
            "attendees": 6,
        },
    )
    assert response.status_code == 302
    booking = Booking.objects.get()
    assert (booking.start, booking.end) == (at(TUESDAY, 14), at(TUESDAY, 15, 30))


def test_a_taken_slot_is_refused_with_the_reason_and_nothing_is_saved(client, room, org, people):
    book(room, OrganizationFactory(valid_until=VALID_UNTIL))
    client.force_login(people["manager"])
    response = client.post(
        book_url(room),
        {
            "organization": org.pk,
            "date": TUESDAY,
            "slot": slot_of(room, "午前").pk,
            "purpose": "会議",
            "attendees": 10,
        },
    )
    assert response.status_code == 200
    assert TAKEN.search(" ".join(response.context["form"].non_field_errors()))
    assert TAKEN.search(response.content.decode())
    assert Booking.objects.count() == 1


def test_equipment_that_cannot_go_along_undoes_the_room_booking(client, room, org, people):
    projector = Resource.objects.get(name="プロジェクター")  # its own hours: 10:00–19:00
    # Staff hold it to its own hours (by default it follows the room's).
    Resource.objects.filter(pk=projector.pk).update(follows_room_hours=False)
    client.force_login(people["manager"])
    response = client.post(
        book_url(room),
        {
            "organization": org.pk,
            "date": TUESDAY,
            "slot": slot_of(room, "午前").pk,  # 9:00–12:00
            "purpose": "会議",
            "attendees": 10,
            "equipment": [projector.pk],
        },
    )
    assert response.status_code == 200
    errors = " ".join(response.context["form"].non_field_errors())
    assert "プロジェクター" in errors
    # The refusal names the rule and the hours it allows.
    assert "10:00" in errors and "19:00" in errors
    assert not Booking.objects.exists()


@pytest.mark.parametrize("slot_name", ["午前", "夜間", "全日"])
def test_equipment_goes_along_with_any_slot_of_the_room_by_default(
    client, room, org, people, slot_name
):
    """The projector's own hours are 10–19, the room's 9–21: booked with the room it
    follows the room's hours, slots and length (Resource.follows_room_hours, on by default)."""
    projector = Resource.objects.get(name="プロジェクター")
    assert projector.follows_room_hours
    client.force_login(people["manager"])
    response = client.post(
        book_url(room),
        {
            "organization": org.pk,
            "date": TUESDAY,
            "slot": slot_of(room, slot_name).pk,
            "purpose": "会議",
            "attendees": 10,
            "equipment": [projector.pk],
        },
    )
    assert response.status_code == 302
    room_booking = Booking.objects.get(resource=room)
    equipment = Booking.objects.get(resource=projector)
    assert equipment.with_booking == room_booking
    assert (equipment.start, equipment.end) == (room_booking.start, room_booking.end)


def test_equipment_booked_alone_keeps_its_own_hours(org, people):
    projector = Resource.objects.get(name="プロジェクター")
    with pytest.raises(services.BookingError) as refused:
        book(projector, org, start=9, end=12)
    assert "10:00" in refused.value.message and "19:00" in refused.value.message


# --- a booking's page: cancel, re-book, .ics --------------------------------------------


def test_cancel_before_the_deadline_with_a_reason(client, room, org, people):
    booking = book(room, org)
    client.force_login(people["manager"])
    page = client.get(reverse("facilities:booking_detail", args=[booking.pk]))
    assert page.context["can_cancel"]
    assert reverse("facilities:booking_cancel", args=[booking.pk]) in page.content.decode()

    with time_machine.travel(dt.datetime(2026, 11, 30, 23, 59, tzinfo=TOKYO), tick=False):
        client.post(
            reverse("facilities:booking_cancel", args=[booking.pk]), {"reason": "講師の都合"}
        )
    booking.refresh_from_db()
    assert booking.status == "cancelled"
    event = BookingEvent.objects.filter(booking=booking).last()
    assert (event.new_status, event.reason, event.changed_by) == (
        "cancelled",
        "講師の都合",
        people["manager"],
    )


def test_cancel_after_the_deadline_is_refused(client, room, org, people):
    booking = book(room, org)
    client.force_login(people["manager"])
    with time_machine.travel(dt.datetime(2026, 12, 1, 0, 0, tzinfo=TOKYO), tick=False):
        page = client.get(reverse("facilities:booking_detail", args=[booking.pk]))
        assert not page.context["can_cancel"]
        assert page.context["past_deadline"]
        assert reverse("facilities:booking_cancel", args=[booking.pk]) not in (
            page.content.decode()
        )
        response = client.post(
            reverse("facilities:booking_cancel", args=[booking.pk]),
            {"reason": "講師の都合"},
            follow=True,
        )
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"
    assert [m.level_tag for m in response.context["messages"]] == ["error"]


def test_cancel_needs_a_reason(client, room, org, people):
    booking = book(room, org)
    client.force_login(people["manager"])
    client.post(reverse("facilities:booking_cancel", args=[booking.pk]), {"reason": ""})
    assert Booking.objects.get(pk=booking.pk).status == "confirmed"


def test_staff_cancel_after_the_deadline(client, room, org, people):
    booking = book(room, org)
    client.force_login(people["staff"])
    with time_machine.travel(dt.datetime(2026, 12, 1, 8, tzinfo=TOKYO), tick=False):
        client.post(reverse("facilities:booking_cancel", args=[booking.pk]), {"reason": "工事"})
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_the_booking_page_shows_fees_and_a_rebook_link(client, room, org, people):
    booking = book(room, org)
    Booking.objects.filter(pk=booking.pk).update(list_price=1900, charged=0)
    client.force_login(people["manager"])
    page = client.get(reverse("facilities:booking_detail", args=[booking.pk]))
    html = page.content.decode()
    assert "¥1,900" in html and "¥0" in html
    rebook = page.context["rebook_url"]
    assert f"slot={slot_of(room, '午前').pk}" in rebook
    assert "date=" not in rebook
    form = client.get(rebook).context["form"]
    assert str(form.initial["slot"]) == str(slot_of(room, "午前").pk)
    assert form.initial["purpose"] == "定例会"


def test_the_ics_holds_the_booking_in_tokyo_time(client, room, org, people):
    booking = book(room, org, purpose="定例会")
    client.force_login(people["member"])
    response = client.get(reverse("facilities:booking_ics", args=[booking.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    ics = response.content.decode()
    assert f"UID:booking-{booking.pk}@" in ics
    assert "DTSTART;TZID=Asia/Tokyo:20261201T090000" in ics
    assert "DTEND;TZID=Asia/Tokyo:20261201T120000" in ics
    assert "BEGIN:VTIMEZONE" in ics
    assert "定例会" in ics


# --- マイページ ---------------------------------------------------------------------------


def test_the_mypage_section_lists_upcoming_and_past_bookings(client, room, org, people):
    upcoming = book(room, org, purpose="来月の定例会")
    past = Booking.objects.create(
        resource=room,
        organization=org,
        start=at(dt.date(2026, 11, 1), 9),
        end=at(dt.date(2026, 11, 1), 12),
        purpose="先月の定例会",
        status="used",
    )
    client.force_login(people["member"])
    response = client.get(reverse("accounts:mypage"))
    html = response.content.decode()
    for booking in (upcoming, past):
        assert booking.purpose in html
        assert reverse("facilities:booking_detail", args=[booking.pk]) in html
    section = dict((s.key, c) for s, c in response.context["sections"])["facilities"]
    assert section["upcoming"] == [upcoming]
    assert section["past"] == [past]


def test_people_without_an_organization_get_no_bookings_section(client):
    client.force_login(UserFactory())
    response = client.get(reverse("accounts:mypage"))
    assert "facilities" not in [s.key for s, _c in response.context["sections"]]


# --- query counts ------------------------------------------------------------------------


def _bulk_bookings(resource, organizations, count):
    """``count`` one-hour bookings of ``resource`` in the week of TUESDAY."""
    made = 0
    for offset in range(6):  # Tuesday to Sunday
        for hour in range(10, 19):
            if made == count:
                return
            day = TUESDAY + dt.timedelta(days=offset)
            Booking.objects.create(
                resource=resource,
                organization=organizations[made % len(organizations)],
                start=at(day, hour),
                end=at(day, hour + 1),
                purpose=f"会合{made}",
            )
            made += 1


def _same_queries(client, url, make_more, django_assert_num_queries, check):
    client.get(url)  # warm up what is cached per process
    with CaptureQueriesContext(connection) as one:
        check(client.get(url), 1)
    make_more()
    with django_assert_num_queries(len(one)):
        check(client.get(url), 30)
    return len(one)


def test_the_week_view_needs_the_same_queries_for_1_and_30_bookings(
    client, salon, org, people, django_assert_num_queries
):
    others = [OrganizationFactory(valid_until=VALID_UNTIL) for _i in range(3)]
    _bulk_bookings(salon, [org], 1)
    client.force_login(people["member"])

    def check(response, n):
        taken = {
            cell.booking.pk
            for day in response.context["days"]
            for cell in day.cells
            if cell.state == "taken" and cell.booking
        }
        assert len(taken) == (1 if n == 1 else 8)  # the member's organization holds 8 of 30

    def more():
        Booking.objects.all().delete()
        _bulk_bookings(salon, [org, *others], 30)

    count = _same_queries(client, availability_url(salon), more, django_assert_num_queries, check)
    print(f"availability week view: {count} queries")


def test_the_week_view_for_anonymous_visitors_needs_the_same_queries(
    client, room, django_assert_num_queries
):
    orgs = [OrganizationFactory(valid_until=VALID_UNTIL) for _i in range(2)]
    Booking.objects.create(
        resource=room, organization=orgs[0], start=at(TUESDAY, 9), end=at(TUESDAY, 12), purpose="x"
    )

    def check(response, n):
        taken = [c for d in response.context["days"] for c in d.cells if c.state == "taken"]
        assert taken

    def more():
        for offset in range(1, 6):
            for start, end in ((9, 12), (13, 17), (18, 21)):
                day = TUESDAY + dt.timedelta(days=offset)
                Booking.objects.create(
                    resource=room,
                    organization=orgs[offset % 2],
                    start=at(day, start),
                    end=at(day, end),
                    purpose="x",
                )

    count = _same_queries(client, availability_url(room), more, django_assert_num_queries, check)
    print(f"availability week view (anonymous): {count} queries")


def test_mypage_and_the_booking_list_need_the_same_queries_for_1_and_30_bookings(
    client, salon, org, people, django_assert_num_queries
):
    _bulk_bookings(salon, [org], 1)
    client.force_login(people["member"])

    def more():
        Booking.objects.all().delete()
        _bulk_bookings(salon, [org], 30)

    def mypage_check(response, n):
        section = dict((s.key, c) for s, c in response.context["sections"])["facilities"]
        assert len(section["upcoming"]) == min(n, 20)

    def list_check(response, n):
        assert len(response.context["bookings"]) == min(n, 20)

    mypage = _same_queries(
        client, reverse("accounts:mypage"), more, django_assert_num_queries, mypage_check
    )
    Booking.objects.all().delete()
    _bulk_bookings(salon, [org], 1)
    listing = _same_queries(
        client, reverse("facilities:booking_list"), more, django_assert_num_queries, list_check
    )
    print(f"mypage: {mypage} queries, booking list: {listing} queries")
