"""Beat tasks of events: each calls a service that claims its rows, so a retry or a second
run sends nothing twice."""

from celery import shared_task

from events import applications


@shared_task
def task_expire_offers():
    return applications.offers_expire()


@shared_task
def task_send_session_reminders():
    return applications.reminders_send()


@shared_task
def task_forget_applications():
    return applications.applications_forget()
