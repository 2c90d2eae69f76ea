import logging

from celery import shared_task

from organizations.services import registrations_expire, renewal_reminders_send

logger = logging.getLogger(__name__)


@shared_task
def task_expire_registrations() -> int:
    return registrations_expire()


@shared_task
def task_send_renewal_reminders() -> int:
    return renewal_reminders_send()
