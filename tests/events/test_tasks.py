import pytest
from django.conf import settings

from events.tasks import task_expire_offers, task_forget_applications, task_send_session_reminders
from kyodo.celery import app

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "entry", ["expire-event-offers", "send-event-reminders", "forget-event-applications"]
)
def test_beat_runs_each_events_sweep_by_a_registered_task(entry):
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks


def test_the_sweeps_run_as_tasks_with_nothing_due():
    assert task_expire_offers.delay().get() == 0
    assert task_send_session_reminders.delay().get() == 0
    assert task_forget_applications.delay().get() == 0
