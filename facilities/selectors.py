"""Reads of the facilities app, with permission filters and related rows built in."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone

from accounts.rules import is_center_staff
from facilities.enums import HOLDING_STATUSES, BookingMode, BookingStatus, ResourceKind
from facilities.models import Booking, BookingPolicy, Resource
from facilities.services import booking_window_end
from kyodo.dates import DayStatus, center_days

FREE, TAKEN, CLOSED = "free", "taken", "closed"


@dataclass
class Cell:
    """One slot (slot mode) or one grid step (grid mode) of one day."""

    start: dt.datetime
    end: dt.datetime
    label: str
    state: str  # FREE / TAKEN / CLOSED
    slot_id: int | None = None
    # Set only for a viewer who may see the booking (staff, members of its organization):
    # public visitors never receive the groups' names through availability.
    booking: Booking | None = None
    bookable: bool = False  # free and within the online booking window

    @property
    def key(self) -> str:
        return f"{self.slot_id}" if self.slot_id else f"{self.start:%H:%M}"


@dataclass
class DayAvailability:
    date: dt.date
    center: DayStatus
    cells: list[Cell] = field(default_factory=list)

    @property
    def free_count(self) -> int:
        return sum(1 for cell in self.cells if cell.state == FREE)

    @property
    def is_closed(self) -> bool:
        return all(cell.state == CLOSED for cell in self.cells)


def active_resources():
    return Resource.objects.filter(is_active=True).select_related("parent").order_by("order", "pk")


def equipment_resources():
    """Equipment that can go with a room booking."""
    return Resource.objects.filter(is_active=True, kind=ResourceKind.EQUIPMENT).order_by(
        "order", "pk"
    )


def _aware(date: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, time))


def grid_times(hours, minutes: int) -> list[dt.time]:
    """The grid steps from the earliest opening to the latest closing of the week."""
    if not hours:
        return []
    first = min(h.opens for h in hours)
    last = max(h.closes for h in hours)
    step = dt.timedelta(minutes=minutes)
    current = dt.datetime.combine(dt.date.min, first)
    end = dt.datetime.combine(dt.date.min, last)
    times = []
    while current + step <= end:
        times.append(current.time())
        current += step
    return times


def availability(resource, start_date: dt.date, days: int, *, viewer=None) -> list[DayAvailability]:
    """Free / taken / closed per day and slot (or grid step) of ``resource``, in a constant
    number of queries: the center's calendar (4), the resource's hours, its slots, the
    resources it shares time with, the booking rules and one query for the bookings.

    A taken cell carries its booking only when ``viewer`` may see it (staff, or a member of
    the booking's organization)."""
    from facilities.rules import can_view_booking

    end_date = start_date + dt.timedelta(days=days - 1)
    calendar = center_days(start_date, end_date)
    hours = {h.weekday: h for h in resource.hours.all()}
    slots = list(resource.slots.all()) if resource.mode == BookingMode.SLOTS else []
    related = Resource.objects.filter(
        Q(pk=resource.pk) | Q(pk=resource.parent_id) | Q(parent=resource)
    ).values("pk")
    buffer = dt.timedelta(minutes=resource.buffer_minutes)
    bookings = list(
        Booking.objects.filter(
            resource_id__in=related,
            status__in=HOLDING_STATUSES,
            start__lt=_aware(end_date + dt.timedelta(days=1), dt.time.min) + buffer,
            end__gt=_aware(start_date, dt.time.min) - buffer,
        )
        .select_related("organization", "resource")
        .order_by("start", "pk")
    )
    now = timezone.now()
    window_end = booking_window_end(timezone.localdate(), BookingPolicy.current())
    staff = viewer is not None and is_center_staff(viewer)
    grid = (
        grid_times(list(hours.values()), resource.grid_minutes)
        if resource.mode == BookingMode.GRID
        else []
    )
    step = dt.timedelta(minutes=resource.grid_minutes)

    result = []
    for status in calendar:
        day = DayAvailability(date=status.date, center=status)
        day_hours = hours.get(status.date.weekday())
        if resource.mode == BookingMode.SLOTS:
            spans = [
                (_aware(status.date, s.starts), _aware(status.date, s.ends), s.display_name, s.pk)
                for s in slots
            ]
        else:
            spans = []
            for time in grid:
                start = _aware(status.date, time)
                spans.append((start, start + step, f"{time:%H:%M}", None))
        for start, end, label, slot_id in spans:
            local_start, local_end = timezone.localtime(start), timezone.localtime(end)
            cell = Cell(start=start, end=end, label=label, state=FREE, slot_id=slot_id)
            if (
                not status.is_open
                or day_hours is None
                or local_start.time() < day_hours.opens
                or local_end.time() > day_hours.closes
                or start < now
            ):
                cell.state = CLOSED
            else:
                holder = next(
                    (b for b in bookings if b.start < end + buffer and b.end > start - buffer),
                    None,
                )
                if holder is not None:
                    cell.state = TAKEN
                    if viewer is not None and (staff or can_view_booking(viewer, holder)):
                        cell.booking = holder
                else:
                    cell.bookable = staff or status.date <= window_end
            day.cells.append(cell)
        result.append(day)
    return result


def bookings_visible_to(user):
    """Bookings ``user`` may open: those of their organizations, or all for center staff."""
    bookings = Booking.objects.select_related("resource", "organization")
    if is_center_staff(user):
        return bookings
    if not getattr(user, "is_authenticated", False):
        return bookings.none()
    return bookings.filter(organization__memberships__user=user)


def booking_visible_to(user, pk) -> Booking:
    """The booking, or Booking.DoesNotExist for anyone who may not see it (views: 404)."""
    return bookings_visible_to(user).get(pk=pk)


def bookings_of_organizations(organizations, *, upcoming=True):
    """Upcoming bookings (not yet ended, not cancelled; soonest first) or past ones (ended or
    cancelled; latest first) of ``organizations``."""
    now = timezone.now()
    bookings = Booking.objects.filter(organization__in=organizations).select_related(
        "resource", "organization"
    )
    if upcoming:
        return (
            bookings.filter(end__gte=now)
            .exclude(status=BookingStatus.CANCELLED)
            .order_by("start", "pk")
        )
    return bookings.filter(Q(end__lt=now) | Q(status=BookingStatus.CANCELLED)).order_by(
        "-start", "-pk"
    )


def booking_events(booking):
    return booking.events.select_related("changed_by").order_by("changed_at", "pk")


def bookable_organizations(user):
    """rules.can_book as a queryset: the organizations the user may book (or wait) for —
    staff act for every valid one."""
    from accounts.rules import is_center_staff
    from organizations.selectors import valid_organizations, valid_organizations_managed_by

    if is_center_staff(user):
        return valid_organizations().order_by("name_kana", "pk")
    return valid_organizations_managed_by(user)
