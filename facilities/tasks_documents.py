"""Background work of 施設予約's letters and e-mails. Tasks take ids, fetch, and call a service.

Registered in every worker by facilities.documents (imported from FacilitiesConfig.ready()),
since Celery's autodiscovery looks at tasks.py only.
"""

import logging

from celery import shared_task

# The module, not its names: facilities.documents imports this module at its end, and
# facilities.reminders imports facilities.documents, so either may be half-loaded here.
from facilities import reminders

logger = logging.getLogger(__name__)


@shared_task
def task_send_booking_reminders() -> int:
    """Beat, daily at 18:00: the day-before reminders, each claimed once."""
    return reminders.booking_reminders_send()
