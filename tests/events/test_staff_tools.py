"""Staff tools: copying an event as a template, the applicants' CSV, the figures per 年度."""

import datetime as dt

import pytest
from django.urls import reverse

from events import services
from events.models import Event, Question
from events.services import EventError
from events.statistics import year_figures
from facilities.models import Booking
from kyodo.dates import fiscal_year
from tests.events.conftest import add_session, in_days, make_event
from tests.events.test_applications import apply
from tests.facilities.conftest import at
from tests.factories import MembershipFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def test_a_copy_keeps_texts_and_questions_and_moves_sessions_holding_rooms(staff, room):
    course = make_event(title="NPO会計講座", kind="course")
    Question.objects.create(event=course, text="会計経験", kind="yes_no", required=True)
    add_session(course, in_days(10), hour=19, until=21, room=room, by=staff)
    add_session(course, in_days(17), hour=19, until=21, place="区民館")

    copy = services.event_copy(event=course, weeks=52, by=staff)

    assert copy.pk != course.pk and not copy.is_published and copy.title == "NPO会計講座"
    assert list(copy.questions.values_list("text", flat=True)) == ["会計経験"]
    dates = list(copy.sessions.values_list("date", flat=True))
    assert dates == [in_days(10 + 364), in_days(17 + 364)]
    assert copy.sessions.get(resource=room).room_hold.is_block
    assert copy.applications_open - course.applications_open == dt.timedelta(weeks=52)
    assert copy.first_day == in_days(374)


def test_a_copy_onto_a_taken_room_copies_nothing(staff, room):
    course = make_event(kind="course")
    add_session(course, in_days(10), hour=19, until=21, room=room, by=staff)
    day = in_days(17)
    Booking.objects.create(
        resource=room, is_block=True, start=at(day, 19), end=at(day, 21), purpose="区の使用"
    )
    with pytest.raises(EventError):
        services.event_copy(event=course, weeks=1, by=staff)
    assert Event.objects.count() == 1


def test_staff_copy_from_the_event_page(client, staff):
    course = make_event(kind="course")
    add_session(course, in_days(10), place="区民館")
    client.force_login(staff)
    response = client.post(
        reverse("events_staff:event_copy", args=[course.pk]), {"copy-weeks": "2"}
    )
    copy = Event.objects.exclude(pk=course.pk).get()
    assert response["Location"] == reverse("events_staff:event_detail", args=[copy.pk])


def test_the_applicants_csv_is_excel_ready_with_the_answers(client, staff):
    event = make_event(capacity=5)
    add_session(event, in_days(10), place="区民館")
    question = Question.objects.create(event=event, text="保育の希望", kind="yes_no")
    from events import applications

    applications.application_create(
        event=event,
        name="=日本橋　花子",
        name_kana="ニホンバシ　ハナコ",
        email="hanako@example.jp",
        answers=[(question, "yes")],
    )
    client.force_login(staff)

    response = client.get(reverse("events_staff:application_export", args=[event.pk]))

    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    lines = content.lstrip("\ufeff").splitlines()
    assert lines[0].endswith("保育の希望") and len(lines) == 2
    assert "'=日本橋　花子" in lines[1] and "hanako@example.jp" in lines[1]


def test_the_csv_and_statistics_are_staff_only(client):
    event = make_event()
    client.force_login(MembershipFactory(role="owner").user)
    assert (
        client.get(reverse("events_staff:application_export", args=[event.pk])).status_code == 404
    )
    assert client.get(reverse("events_staff:statistics")).status_code == 404
    assert client.post(reverse("events_staff:event_copy", args=[event.pk])).status_code == 404


def test_the_figures_count_events_sessions_applications_and_participants(client, staff):
    course = make_event(kind="course", capacity=3)
    add_session(course, in_days(5), place="区民館")
    add_session(course, in_days(12), place="区民館")
    apply(course, seats=2, organization=OrganizationFactory())
    apply(course)
    cancelled = apply(course)  # waitlisted, then cancelled
    from events import applications

    applications.application_cancel(application=cancelled, by=None)
    cafe = make_event(kind="gathering")
    add_session(cafe, in_days(5), place="区民館")
    unpublished_elsewhere = make_event(kind="fair")
    add_session(unpublished_elsewhere, in_days(800), place="区民館")

    year = fiscal_year(in_days(5))
    if fiscal_year(in_days(12)) != year:
        pytest.skip("the sessions straddle a fiscal year end today")
    rows = {row["kind"]: row for row in year_figures(year)}

    course_row = rows[str(course.get_kind_display())]
    assert (course_row["events"], course_row["sessions"]) == (1, 2)
    assert (course_row["applications"], course_row["participants"]) == (3, 3)
    total = rows[None]
    assert (total["events"], total["sessions"]) == (2, 3)
    client.force_login(staff)
    page = client.get(reverse("events_staff:statistics"), {"year": year}).content.decode()
    assert '<td class="text-end">3</td>' in page
