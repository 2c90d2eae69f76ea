"""Recurring bookings (毎週 / 毎月第N曜日 until a date), made as one series.

The user first sees, per date, whether it is free, closed or taken (``series_preview``), then
books the free ones at once (``series_create``). Every booking goes through
``booking_create``, so a series obeys exactly the rules of a single booking; a date someone
else took in between is reported back, never forced. Cancelling the series cancels its future
dates that may still be cancelled; one date is cancelled with the normal ``booking_cancel``.
"""

import calendar
import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rules import is_center_staff
from facilities.enums import HOLDING_STATUSES, BookingStatus
from facilities.models import Booking, Series
from facilities.services import (
    BookingError,
    booking_cancel,
    booking_create,
    hours_rule,
    problems_for,
)
from kyodo.dates import center_day
from kyodo.exceptions import DomainError

WEEKLY = "weekly"
MONTHLY_NTH = "monthly_nth"
FREQUENCIES = (
    (WEEKLY, gettext_lazy("Every week")),
    (MONTHLY_NTH, gettext_lazy("Every month on the same weekday (e.g. the 3rd Tuesday)")),
)

FREE, CLOSED, TAKEN, REFUSED = "free", "closed", "taken", "refused"

# A series is a habit, not a reservation of the year: one year at most keeps the preview
# readable and the number of rule checks bounded.
MAX_SERIES_DAYS = 366


class SeriesError(DomainError):
    pass


def series_dates(*, first: dt.date, frequency: str, until: dt.date) -> list[dt.date]:
    """The dates of a series from ``first`` to ``until`` inclusive.

    ``weekly``: every 7 days. ``monthly_nth``: the same Nth weekday of each month as ``first``
    (the 3rd Tuesday, …); a month without that day (a 5th Tuesday) is skipped.
    """
    if frequency == WEEKLY:
        count = (until - first).days // 7 + 1 if until >= first else 0
        return [first + dt.timedelta(weeks=i) for i in range(count)]
    if frequency != MONTHLY_NTH:
        raise ValueError(f"unknown frequency {frequency!r}")
    nth = (first.day - 1) // 7  # 0 for the 1st weekday of the month, 4 for the 5th
    weekday = first.weekday()
    dates = []
    year, month = first.year, first.month
    while dt.date(year, month, 1) <= until:
        first_of_month = dt.date(year, month, 1)
        day = 1 + (weekday - first_of_month.weekday()) % 7 + 7 * nth
        if day <= calendar.monthrange(year, month)[1]:
            date = dt.date(year, month, day)
            if first <= date <= until:
                dates.append(date)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return dates


def describe(*, first: dt.date, frequency: str, until: dt.date, start_time, end_time) -> str:
    """The rule in words, e.g. 毎月第3火曜日 9:00–12:00 (2026-12-15 – 2027-03-16)."""
    # Written in the center's language whoever makes the series (see kyodo.text.stored_text);
    # the weekday's name is lazy too, so both are rendered inside the same override.
    values = {
        "nth": (first.day - 1) // 7 + 1,
        "start": f"{start_time:%H:%M}",
        "end": f"{end_time:%H:%M}",
        "first": f"{first:%Y-%m-%d}",
        "until": f"{until:%Y-%m-%d}",
    }
    if frequency == WEEKLY:
        text = gettext_lazy("Every %(weekday)s %(start)s–%(end)s (%(first)s – %(until)s)")
    else:
        text = gettext_lazy(
            "Every month, %(weekday)s no. %(nth)d, %(start)s–%(end)s (%(first)s – %(until)s)"
        )
    with translation.override(settings.LANGUAGE_CODE):
        return str(text) % {**values, "weekday": str(WEEKDAYS[first.weekday()])}


def _check_range(first: dt.date, frequency: str, until: dt.date) -> list[dt.date]:
    if frequency not in (WEEKLY, MONTHLY_NTH):
        raise SeriesError(_("Choose how often the booking repeats."))
    if until < first:
        raise SeriesError(_("The last date must not be before the first."))
    if (until - first).days > MAX_SERIES_DAYS:
        raise SeriesError(_("A series runs for one year at most."))
    return series_dates(first=first, frequency=frequency, until=until)


def _bounds(date: dt.date, start_time: dt.time, end_time: dt.time):
    tz = timezone.get_current_timezone()
    return (
        dt.datetime.combine(date, start_time, tzinfo=tz),
        dt.datetime.combine(date, end_time, tzinfo=tz),
    )


def _is_closed(resource, date: dt.date) -> str | None:
    """Why ``resource`` cannot be used at all on ``date`` (closure, no hours), or None."""
    status = center_day(date)
    if not status.is_open:
        return _("The center is closed on this day (%(reason)s).") % {"reason": status.reason}
    if not resource.hours.filter(weekday=date.weekday()).exists():
        return hours_rule(resource, date, None)
    return None


def series_preview(
    *,
    resource,
    organization,
    first: dt.date,
    frequency: str,
    until: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    attendees: int = 0,
    staff: bool = False,
) -> list[tuple[dt.date, str, str]]:
    """Per date of the series: (date, "free" | "closed" | "taken" | "refused", message).

    Reads only. "taken" means another booking holds the time (the organization may wait for
    it); "refused" lists the other rules the date breaks (window, limits, validity).
    """
    taken_message = _("This time is already taken.")
    rows = []
    for date in _check_range(first, frequency, until):
        closed = _is_closed(resource, date)
        if closed:
            rows.append((date, CLOSED, closed))
            continue
        start, end = _bounds(date, start_time, end_time)
        problems = problems_for(
            resource=resource,
            organization=organization,
            start=start,
            end=end,
            attendees=attendees,
            staff=staff,
        )
        if not problems:
            rows.append((date, FREE, ""))
        elif taken_message in problems:
            rows.append((date, TAKEN, " ".join(problems)))
        else:
            rows.append((date, REFUSED, " ".join(problems)))
    return rows


@transaction.atomic
def series_create(
    *,
    resource,
    organization,
    first: dt.date,
    frequency: str,
    until: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    purpose: str,
    by,
    attendees: int = 0,
    staff: bool = False,
    dates: Iterable[dt.date] | None = None,
) -> tuple[Series, list[Booking], list[tuple[dt.date, str]]]:
    """Make the series and book every date that is free now.

    ``dates`` (optional) limits the booking to the dates the user confirmed in the preview.
    Returns (series, booked, skipped) where skipped lists (date, why) for every date of the
    rule that was not booked (closed, taken in the meantime, over a limit, …).
    Side effects: one Series; per booked date one Booking with its BookingEvent (through
    booking_create); after the commit, one confirmation task for the whole series (one mail
    per manager with one 利用承認書 listing the dates). Raises SeriesError when no date could
    be booked (nothing is kept then).
    """
    wanted = set(dates) if dates is not None else None
    all_dates = _check_range(first, frequency, until)
    series = Series.objects.create(
        organization=organization,
        resource=resource,
        description=describe(
            first=first,
            frequency=frequency,
            until=until,
            start_time=start_time,
            end_time=end_time,
        ),
        created_by=by,
    )
    booked, skipped = [], []
    for date in all_dates:
        if wanted is not None and date not in wanted:
            continue
        closed = _is_closed(resource, date)
        if closed:
            skipped.append((date, closed))
            continue
        start, end = _bounds(date, start_time, end_time)
        try:
            # booking_create runs in its own savepoint: a refused date leaves the others.
            booking = booking_create(
                resource=resource,
                organization=organization,
                start=start,
                end=end,
                purpose=purpose,
                attendees=attendees,
                by=by,
                staff=staff,
                series=series,
            )
        except BookingError as error:
            skipped.append((date, error.message))
        else:
            booked.append(booking)
    if not booked:
        raise SeriesError(_("None of the dates could be booked."))
    if any(booking.status == BookingStatus.CONFIRMED for booking in booked):
        _queue_series_confirmation(series)
    return series, booked, skipped


def _queue_series_confirmation(series) -> None:
    # Imported here: reminders imports facilities.documents, which imports facilities.services.
    from facilities.reminders import series_confirmation_send

    # In the series' transaction: one mail and one letter for all dates, outbox rows that exist
    # exactly when the bookings do, sent (and the letter rendered) after the commit.
    series_confirmation_send(series=series)


@transaction.atomic
def series_cancel(
    *, series, by, reason: str = "", staff: bool = False
) -> tuple[list[Booking], list[tuple[Booking, str]]]:
    """Cancel every future date of the series that may still be cancelled.

    Dates past the cancellation deadline (for an organization) are kept and returned with
    the reason, so the user knows to call the center. Returns (cancelled, kept).
    Side effects: per cancelled date a BookingEvent, and (after the commit) the waitlist of
    that time is offered the slot (booking_cancel's hook).
    """
    cancelled, kept = [], []
    future = series.bookings.filter(status__in=HOLDING_STATUSES, start__gt=timezone.now())
    for booking in future.select_related("resource").order_by("start"):
        try:
            with transaction.atomic():
                cancelled.append(booking_cancel(booking=booking, by=by, reason=reason, staff=staff))
        except DomainError as error:
            kept.append((booking, error.message))
    return cancelled, kept


# --- reads (would live in facilities/selectors.py) ------------------------------------------


def series_visible_to(user):
    """Series of the organizations ``user`` belongs to (all for staff)."""
    qs = Series.objects.select_related("organization", "resource")
    if is_center_staff(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(organization__memberships__user=user).distinct()


def series_of_organizations(organizations):
    """The series of ``organizations`` that still have a date to come, newest first."""
    return (
        Series.objects.filter(
            organization__in=organizations,
            bookings__status__in=HOLDING_STATUSES,
            bookings__start__gt=timezone.now(),
        )
        .select_related("organization", "resource")
        .distinct()
        .order_by("-created_at", "-pk")
    )


def series_bookings(series):
    return series.bookings.select_related("resource").order_by("start")
