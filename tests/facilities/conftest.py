import datetime as dt

import pytest
from django.utils import timezone

from facilities.models import Resource

TOKYO = dt.timezone(dt.timedelta(hours=9))


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=TOKYO)


def next_weekday(weekday: int, *, after: dt.date | None = None, weeks: int = 1) -> dt.date:
    """A date on ``weekday`` at least a week after ``after`` (default today)."""
    start = (after or timezone.localdate()) + dt.timedelta(days=7 * weeks)
    return start + dt.timedelta(days=(weekday - start.weekday()) % 7)


@pytest.fixture
def room(db):
    return Resource.objects.get(name="会議室")


@pytest.fixture
def part_a(db):
    return Resource.objects.get(name="会議室A")


@pytest.fixture
def part_b(db):
    return Resource.objects.get(name="会議室B")


@pytest.fixture
def salon(db):
    return Resource.objects.get(name="サロン")
