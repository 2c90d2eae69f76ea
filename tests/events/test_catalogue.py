"""The public catalogue: the list, the month calendar, the archive, an event's page, its .ics
and the public feed; the staff pages of sessions. Permissions and constant query counts."""

import datetime as dt

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from events.models import Session
from tests.events.conftest import add_session, in_days, make_event
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        client.get(url)
    return len(context.captured_queries)


def _events(n, *, days=10, **fields):
    events = []
    for i in range(n):
        event = make_event(title=f"講座{i}", **fields)
        add_session(event, in_days(days + i), place="区民館")
        events.append(event)
    return events


def test_the_list_shows_upcoming_published_events_only(client):
    upcoming = make_event(title="十思カフェ Vol.169")
    add_session(upcoming, in_days(5), place="区民館")
    hidden = make_event(title="準備中の講座", published=False)
    add_session(hidden, in_days(5), place="区民館")
    past = make_event(title="十思カフェ Vol.168")
    add_session(past, in_days(-5), place="区民館")

    page = client.get(reverse("events:event_list")).content.decode()

    assert "十思カフェ Vol.169" in page
    assert "準備中の講座" not in page and "Vol.168" not in page


def test_the_archive_keeps_past_events(client):
    past = make_event(title="十思カフェ Vol.168")
    add_session(past, in_days(-5), place="区民館")

    page = client.get(reverse("events:event_archive")).content.decode()

    assert "十思カフェ Vol.168" in page


def test_the_list_filters_by_kind(client):
    add_session(make_event(title="入門講座", kind="course"), in_days(3), place="区民館")
    add_session(make_event(title="交流会", kind="gathering"), in_days(3), place="区民館")

    page = client.get(reverse("events:event_list"), {"kind": "course"}).content.decode()

    assert "入門講座" in page and "交流会" not in page


def test_the_month_calendar_shows_the_sessions_of_the_month(client):
    event = make_event(title="NPO会計講座", kind="course")
    day = in_days(40)
    add_session(event, day, hour=14, until=16, place="区民館")

    page = client.get(reverse("events:event_calendar"), {"month": f"{day:%Y-%m}"}).content
    other = client.get(
        reverse("events:event_calendar"), {"month": f"{day + dt.timedelta(days=62):%Y-%m}"}
    ).content

    assert "14:00 NPO会計講座" in page.decode()
    assert "NPO会計講座" not in other.decode()


def test_a_bad_month_falls_back_to_this_month(client):
    response = client.get(reverse("events:event_calendar"), {"month": "99999-99"})
    assert response.status_code == 200


def test_the_event_page_shows_sessions_and_hides_unpublished_events(client, room, staff):
    event = make_event(title="市民活動入門講座", kind="course", capacity=30)
    for week in range(3):
        add_session(event, in_days(14 + 7 * week), hour=14, until=16, room=room, by=staff)
    hidden = make_event(title="下書き", published=False)

    page = client.get(reverse("events:event_detail", args=[event.pk])).content.decode()

    assert page.count("14:00–16:00") == 3
    assert "会議室" in page and "30" in page
    assert client.get(reverse("events:event_detail", args=[hidden.pk])).status_code == 404


def test_the_ics_of_an_event_holds_each_session_in_tokyo_time(client):
    event = make_event(title="NPO会計講座", kind="course")
    first = add_session(event, in_days(10), hour=19, until=21, place="区民館")
    add_session(event, in_days(17), hour=19, until=21, place="区民館")

    response = client.get(reverse("events:event_ics", args=[event.pk]))

    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    items = [c for c in calendar.walk("VEVENT")]
    assert len(items) == 2
    assert str(items[0]["summary"]) == "NPO会計講座"
    assert items[0].decoded("dtstart") == first.start
    assert str(items[0]["uid"]) == f"event-session-{first.pk}@kyodo"


def test_the_public_feed_lists_published_sessions_only(client):
    add_session(make_event(title="公開の講座"), in_days(3), place="区民館")
    add_session(make_event(title="非公開の講座", published=False), in_days(3), place="区民館")

    response = client.get(reverse("events:feed"))

    summaries = [
        str(c["summary"]) for c in icalendar.Calendar.from_ical(response.content).walk("VEVENT")
    ]
    assert summaries == ["公開の講座"]


@pytest.mark.parametrize(
    "name", ["events:event_list", "events:event_archive", "events:event_calendar", "events:feed"]
)
def test_the_public_lists_take_constant_queries(client, django_assert_num_queries, name):
    days = -30 if name == "events:event_archive" else 3
    _events(1, days=days)
    client.get(reverse(name))  # warm the caches (the center's profile, the session)
    one = _queries(client, reverse(name))
    _events(6, days=days)
    with django_assert_num_queries(one):
        client.get(reverse(name))


def test_the_home_page_shows_upcoming_events(client):
    add_session(make_event(title="十思カフェ Vol.169"), in_days(3), place="区民館")

    page = client.get(reverse("home")).content.decode()

    assert "十思カフェ Vol.169" in page


def test_the_home_page_takes_constant_queries_for_its_events(client, django_assert_num_queries):
    _events(1)
    client.get(reverse("home"))
    one = _queries(client, reverse("home"))
    _events(6)
    with django_assert_num_queries(one):
        client.get(reverse("home"))


def test_the_navigation_leads_to_the_catalogue(client):
    page = client.get(reverse("home")).content.decode()
    assert f'href="{reverse("events:event_list")}"' in page


# --- staff pages ------------------------------------------------------------------------------


@pytest.fixture
def session(staff):
    return add_session(make_event(published=False), in_days(10), place="区民館")


def _staff_pages(session):
    return [
        ("get", reverse("events_staff:event_list")),
        ("get", reverse("events_staff:event_detail", args=[session.event_id])),
        ("get", reverse("events_staff:session_edit", args=[session.pk])),
        ("post", reverse("events_staff:session_cancel", args=[session.pk])),
    ]


def test_staff_pages_send_anonymous_people_to_log_in(client, session):
    for method, url in _staff_pages(session):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("who", ["member", "manager", "ward", "council"])
def test_staff_pages_do_not_exist_for_others(client, session, who, ward_official, council_member):
    people = {
        "member": lambda: MembershipFactory(role="member").user,
        "manager": lambda: MembershipFactory(role="owner").user,
        "ward": lambda: ward_official,
        "council": lambda: council_member,
    }
    client.force_login(people[who]())
    for method, url in _staff_pages(session):
        assert getattr(client, method)(url).status_code == 404
    session.refresh_from_db()
    assert not session.is_cancelled


def test_staff_pages_need_two_factor_log_in_when_required(client, session, staff, settings):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    client.force_login(staff)
    response = client.get(reverse("events_staff:event_list"))
    assert response.status_code != 200


def test_staff_add_a_session_in_a_room_and_see_it_held(client, staff, room):
    event = make_event(published=False)
    client.force_login(staff)
    day = in_days(12)

    response = client.post(
        reverse("events_staff:event_detail", args=[event.pk]),
        {
            "session-date": f"{day:%Y-%m-%d}",
            "session-starts": "13:00",
            "session-ends": "17:00",
            "session-resource": room.pk,
        },
    )

    assert response.status_code == 302
    session = Session.objects.get(event=event)
    assert session.room_hold.resource == room
    page = client.get(reverse("events_staff:event_detail", args=[event.pk])).content.decode()
    assert "13:00–17:00" in page


def test_staff_see_why_a_room_cannot_be_held(client, staff, room):
    from facilities.models import Booking
    from tests.facilities.conftest import at

    day = in_days(12)
    Booking.objects.create(
        resource=room, is_block=True, start=at(day, 13), end=at(day, 17), purpose="区の使用"
    )
    event = make_event(published=False)
    client.force_login(staff)

    response = client.post(
        reverse("events_staff:event_detail", args=[event.pk]),
        {
            "session-date": f"{day:%Y-%m-%d}",
            "session-starts": "13:00",
            "session-ends": "17:00",
            "session-resource": room.pk,
        },
    )

    assert response.status_code == 200
    assert "予約済み" in response.content.decode()
    assert not Session.objects.filter(event=event).exists()


def test_staff_move_and_cancel_a_session(client, staff, session):
    client.force_login(staff)
    day = in_days(20)

    response = client.post(
        reverse("events_staff:session_edit", args=[session.pk]),
        {"date": f"{day:%Y-%m-%d}", "starts": "10:00", "ends": "12:00", "place": "区民館"},
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.date, session.starts) == (day, dt.time(10))

    client.post(reverse("events_staff:session_cancel", args=[session.pk]))
    session.refresh_from_db()
    assert session.is_cancelled
    assert client.get(reverse("events_staff:session_edit", args=[session.pk])).status_code == 404


def test_the_staff_list_takes_constant_queries(client, staff, django_assert_num_queries):
    client.force_login(staff)
    _events(1, published=False)
    client.get(reverse("events_staff:event_list"))
    one = _queries(client, reverse("events_staff:event_list"))
    _events(6, published=False)
    with django_assert_num_queries(one):
        client.get(reverse("events_staff:event_list"))
