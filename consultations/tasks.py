from celery import shared_task

from consultations.services import followup_reminders_send


@shared_task
def task_send_followup_reminders() -> int:
    return followup_reminders_send()
