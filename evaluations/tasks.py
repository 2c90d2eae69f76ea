"""Background work of the 協働事業評価: the daily reminder sweep."""

from celery import shared_task


@shared_task
def task_send_evaluation_reminders() -> int:
    """Beat, daily: each side's reminder before its due date, each claimed once."""
    from evaluations.reminders import due_reminders_send

    return due_reminders_send()
