"""Background work of 施設予約's letters and e-mails. Tasks take ids, fetch, and call a service.

Registered in every worker by facilities.documents (imported from FacilitiesConfig.ready()),
since Celery's autodiscovery looks at tasks.py only.
"""

import logging

from celery import shared_task

# The module, not its names: facilities.documents imports this module at its end, and
# facilities.reminders imports facilities.documents, so either may be half-loaded here.
from facilities import reminders
from facilities.models import Booking, Series

logger = logging.getLogger(__name__)


@shared_task
def task_send_booking_confirmation(*, booking_id: int) -> int | None:
    """Queued on commit when a booking becomes 確定: the 利用承認書 and the mail with it.
    Idempotent for the letter (issued once); a redelivery may mail the managers again."""
    booking = Booking.objects.select_related("resource", "organization").filter(pk=booking_id)
    booking = booking.first()
    if booking is None:
        logger.warning("Booking %s is gone; no confirmation sent", booking_id)
        return None
    return reminders.booking_confirmation_send(booking=booking)


@shared_task
def task_send_series_confirmation(*, series_id: int) -> int | None:
    """Queued on commit when a series is booked: one mail per manager listing every
    confirmed date, with one 利用承認書 covering them. Idempotent (the series is claimed)."""
    series = Series.objects.select_related("resource", "organization").filter(pk=series_id)
    series = series.first()
    if series is None:
        logger.warning("Series %s is gone; no confirmation sent", series_id)
        return None
    return reminders.series_confirmation_send(series=series)


@shared_task
def task_send_booking_reminders() -> int:
    """Beat, daily at 18:00: the day-before reminders, each claimed once."""
    return reminders.booking_reminders_send()
