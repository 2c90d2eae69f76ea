import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from events.models import Application, Event

pytestmark = pytest.mark.django_db


def test_the_demo_has_cafes_a_course_with_applicants_and_a_waitlist():
    call_command("seed_demo", stdout=io.StringIO())
    today = timezone.localdate()

    cafes = Event.objects.filter(kind="gathering").order_by("first_day")
    assert cafes.count() == 2
    assert cafes[0].last_day < today <= cafes[1].first_day
    course = Event.objects.get(kind="course")
    assert course.sessions.count() == 3
    statuses = list(Application.objects.filter(event=course).values_list("status", flat=True))
    assert statuses.count("confirmed") == 12 and statuses.count("waitlisted") == 2
    assert Application.objects.filter(event=cafes[1], seats=3).exclude(organization=None).exists()

    call_command("seed_demo", stdout=io.StringIO())
    assert Event.objects.count() == 3
