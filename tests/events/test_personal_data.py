"""A year after an event its applicants' personal data goes, everywhere a copy lives."""

import datetime as dt

import pytest

from events import applications
from events.models import Answer, Application, Event, Question
from kyodo.models import OutboxMail
from tests.events.conftest import add_session, in_days, make_event

pytestmark = pytest.mark.django_db


def _past_event_with_an_applicant():
    event = make_event(capacity=5)
    question = Question.objects.create(event=event, text="動機", kind="text")
    add_session(event, in_days(3), place="区民館")
    application = applications.application_create(
        event=event,
        name="日本橋　花子",
        name_kana="ニホンバシ　ハナコ",
        email="hanako@example.jp",
        phone="03-3333-4444",
        answers=[(question, "地域デビュー")],
    )
    return event, application


def test_applications_are_forgotten_a_year_after_the_event_and_only_then():
    event, application = _past_event_with_an_applicant()
    newer = make_event(title="次の講座", capacity=5)
    add_session(newer, in_days(500), place="区民館")
    later = applications.application_create(
        event=newer, name="日本橋　花子", name_kana="ニホンバシ", email="hanako@example.jp"
    )
    # The later mail was sent after the first event: keep it with its application.
    OutboxMail.objects.filter(to="hanako@example.jp").exclude(
        pk=OutboxMail.objects.filter(to="hanako@example.jp").order_by("pk").first().pk
    ).update(created_at=event.last_day + dt.timedelta(days=30))
    last_day = Event.objects.get(pk=event.pk).last_day

    assert applications.applications_forget(today=last_day + dt.timedelta(days=365)) == 0
    assert applications.applications_forget(today=last_day + dt.timedelta(days=366)) == 1
    assert applications.applications_forget(today=last_day + dt.timedelta(days=366)) == 0

    application.refresh_from_db()
    assert application.forgotten_at is not None
    assert (application.name, application.name_kana, application.phone) == ("", "", "")
    assert "hanako" not in application.email
    assert application.seats == 1 and application.status == "confirmed"
    assert not Answer.objects.filter(application=application).exists()
    assert all(
        "花子" not in (row.name or "") for row in Application.history.filter(id=application.pk)
    )
    assert OutboxMail.objects.filter(to="hanako@example.jp").count() == 1
    later.refresh_from_db()
    assert later.name == "日本橋　花子"
