import datetime as dt

import pytest
from django.utils import timezone

from events import services
from events.models import Event
from facilities.models import Resource


def make_event(*, title="十思カフェ", kind="gathering", published=True, **fields) -> Event:
    now = timezone.now()
    values = {
        "kind": kind,
        "title": title,
        "title_en": "Jisshi Café",
        "description": "月に一度の交流会です。",
        "capacity": 20,
        "applications_open": now - dt.timedelta(days=7),
        "applications_close": now + dt.timedelta(days=7),
        "is_published": published,
    }
    values.update(fields)
    return Event.objects.create(**values)


def add_session(event, day, *, hour=19, until=21, room=None, by=None, place=""):
    return services.session_add(
        event=event,
        date=day,
        starts=dt.time(hour),
        ends=dt.time(until),
        resource=room,
        place=place if room is None else "",
        by=by,
    )


def in_days(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def salon(db):
    return Resource.objects.get(name="サロン")


@pytest.fixture
def room(db):
    return Resource.objects.get(name="会議室")
