"""Staff reads of the facilities app: the day at the counter and bookings of any period.
Staff see every booking, so there is no permission filter here: the views are for center
staff only."""

import datetime as dt

from django.db.models import Prefetch
from django.utils import timezone

from facilities.enums import BookingStatus
from facilities.models import Booking, PrinterUsage


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _staff_bookings():
    return Booking.objects.select_related("resource", "organization", "booked_by")


def bookings_on(day: dt.date):
    """The counter: the day's bookings and blocks (not the cancelled ones) by start, with
    their printer counts. A range on ``start`` (not ``start__date``) keeps the index usable."""
    return (
        _staff_bookings()
        .filter(start__gte=_day_start(day), start__lt=_day_start(day + dt.timedelta(days=1)))
        .exclude(status=BookingStatus.CANCELLED)
        .prefetch_related(
            Prefetch(
                "printer_usages",
                queryset=PrinterUsage.objects.select_related("recorded_by").order_by("pk"),
            )
        )
        .order_by("start", "resource__order", "pk")
    )


def bookings_between(start: dt.date, end: dt.date, filters: dict | None = None):
    """Bookings starting from ``start`` to ``end`` (both days included), for the list and the
    CSV. ``filters`` may hold ``resource``, ``organization`` (objects or ids) and ``status``."""
    filters = filters or {}
    bookings = _staff_bookings().filter(
        start__gte=_day_start(start), start__lt=_day_start(end + dt.timedelta(days=1))
    )
    if resource := filters.get("resource"):
        bookings = bookings.filter(resource=resource)
    if organization := filters.get("organization"):
        bookings = bookings.filter(organization=organization)
    if status := filters.get("status"):
        bookings = bookings.filter(status=status)
    return bookings.order_by("start", "resource__order", "pk")
