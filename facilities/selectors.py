"""Reads of the facilities app, with permission filters and related rows built in."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.rules import is_center_staff
from facilities.enums import HOLDING_STATUSES, BookingMode, BookingStatus, ResourceKind
from facilities.models import Booking, BookingPolicy, Resource
from facilities.services import booking_window_end
from kyodo.dates import DayStatus, center_days

FREE, TAKEN, CLOSED = "free", "taken", "closed"
# A time already gone on a day the center is open: not "closed" (休館), which a screen reader
# would announce for every past slot of an ordinary weekday.
PAST = "past"


@dataclass
class Cell:
    """One slot (slot mode) or one grid step (grid mode) of one day."""

    start: dt.datetime
    end: dt.datetime
    label: str
    state: str  # FREE / TAKEN / CLOSED / PAST
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
        """Nothing to book on the day: closed, or every time of it gone."""
        return all(cell.state in (CLOSED, PAST) for cell in self.cells)

    @property
    def is_past(self) -> bool:
        """Every time of the day is gone (and the center was open: else it reads closed)."""
        return (
            self.center.is_open
            and bool(self.cells)
            and all(cell.state == PAST for cell in self.cells)
        )


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
        # Only what a cell needs (its times, and for a viewer who may see it the booking's
        # link and group name): a busy month is hundreds of rows.
        .select_related("organization")
        .only("start", "end", "resource_id", "organization__name")
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
    # Each cell looks only at the bookings of its own day (with the buffer, a booking can
    # touch the day before or after): a month of a busy resource has hundreds of cells and
    # hundreds of bookings, and scanning all of them per cell grew as their product.
    by_day: dict[dt.date, list[Booking]] = {}
    for booking in bookings:
        first = timezone.localdate(booking.start - buffer)
        last = timezone.localdate(booking.end + buffer)
        while first <= last:
            by_day.setdefault(first, []).append(booking)
            first += dt.timedelta(days=1)

    tz = timezone.get_current_timezone()

    def at(date, time):
        return dt.datetime.combine(date, time, tzinfo=tz)

    grid_labels = [
        (time, f"{time:%H:%M}", (dt.datetime.combine(dt.date.min, time) + step).time())
        for time in grid
    ]

    result = []
    for status in calendar:
        day = DayAvailability(date=status.date, center=status)
        day_hours = hours.get(status.date.weekday())
        day_bookings = by_day.get(status.date, ())
        # (start, end, label, slot, local start time, local end time); the local times are
        # the ones the spans are built from, so no cell converts time zones again.
        if resource.mode == BookingMode.SLOTS:
            spans = [
                (
                    at(status.date, s.starts),
                    at(status.date, s.ends),
                    s.display_name,
                    s.pk,
                    s.starts,
                    s.ends,
                )
                for s in slots
            ]
        else:
            spans = [
                (at(status.date, time), at(status.date, time) + step, label, None, time, until)
                for time, label, until in grid_labels
            ]
        for start, end, label, slot_id, local_start, local_end in spans:
            cell = Cell(start=start, end=end, label=label, state=FREE, slot_id=slot_id)
            if (
                not status.is_open
                or day_hours is None
                or local_start < day_hours.opens
                or local_end > day_hours.closes
            ):
                cell.state = CLOSED
            elif start < now:
                cell.state = PAST
            else:
                holder = next(
                    (b for b in day_bookings if b.start < end + buffer and b.end > start - buffer),
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


def can_book_for(user, memberships) -> set[int]:
    """The ids of the organizations among ``memberships`` (the user's, loaded with their
    organization) that ``user`` may act for: rules.can_book without a query per row."""
    from facilities.rules import can_book

    if is_center_staff(user):
        return {m.organization_id for m in memberships}
    return {m.organization_id for m in memberships if can_book(user, m.organization)}


@dataclass
class PriceRow:
    """One line of a resource's 料金表: a slot (with its times) or an hour."""

    label: str
    amount: int  # before reduction
    registered: int  # what a registered organization pays (減免 applied)


def price_table(resource) -> tuple[list[PriceRow], object]:
    """The resource's 料金表 and the 減免 registered groups get: (rows, discount or None).
    Slot prices in the slots' order, then the hourly price. Two queries."""
    from facilities.services import reduced, registered_discount

    discount = registered_discount()
    percent = discount.percent_off if discount else 0
    prices = sorted(
        resource.prices.select_related("slot"),
        key=lambda p: (p.slot is None, p.slot.order if p.slot else 0, p.slot_id or 0, p.pk),
    )
    rows = []
    for price in prices:
        if price.slot is not None:
            label = f"{price.slot.display_name} {price.slot.starts:%H:%M}–{price.slot.ends:%H:%M}"
        else:
            label = str(price.get_unit_display())
        rows.append(PriceRow(label, price.amount, reduced(price.amount, percent)))
    # A printer's use is charged by masters and sheets, without 減免 (staff_services).
    for label, amount in (
        (_("per master"), resource.price_per_master),
        (_("per sheet printed"), resource.price_per_sheet),
    ):
        if amount:
            rows.append(PriceRow(str(label), amount, amount))
    return rows, discount


def hours_side_by_side(resource) -> list[tuple[str, object, object]]:
    """Per weekday: (name, the center's opening hours or None, the resource's bookable hours or
    None) — the counter's 開館時間 next to this resource's 利用可能時間, which may be longer (the
    rooms are let in the evening after the counter closes). Two queries."""
    from kyodo.models import Weekday
    from kyodo.selectors import opening_hours

    center = {hours.weekday: hours for hours in opening_hours() if not hours.is_closed}
    own = {hours.weekday: hours for hours in resource.hours.all()}
    return [(label, center.get(day), own.get(day)) for day, label in Weekday.choices]


@dataclass
class DayRow:
    """One resource on the all-facilities day page: one cell per hour of the day's axis."""

    resource: Resource
    cells: list[Cell]


def _hour_axis(hours) -> list[dt.time]:
    """Whole hours from the earliest opening to the latest closing among ``hours``."""
    if not hours:
        return []
    first = min(h.opens for h in hours).hour
    last = max(h.closes for h in hours)
    end = last.hour + (1 if (last.minute or last.second) else 0)
    return [dt.time(hour) for hour in range(first, end)]


def day_overview(date: dt.date, *, viewer=None) -> tuple[DayStatus, list[dt.time], list[DayRow]]:
    """Every active resource on ``date``, hour by hour: free / taken / closed (outside its
    hours, the center closed, or past). A taken cell carries its booking only for a viewer who
    may see it (staff, members of its organization): the public never gets the groups' names.

    A constant number of queries whatever the number of resources and bookings: the center's
    calendar (4), the resources, their hours, one query for the day's bookings (of every
    resource, since a whole room blocks its parts and a part the whole), and the viewer's
    roles and memberships."""
    from facilities.rules import can_view_booking

    status = center_days(date, date)[0]
    resources = list(active_resources().prefetch_related("hours"))
    weekday_hours = {
        r.pk: next((h for h in r.hours.all() if h.weekday == date.weekday()), None)
        for r in resources
    }
    axis = _hour_axis([h for r in resources for h in r.hours.all()])
    day_start = _aware(date, dt.time.min)
    bookings = list(
        Booking.objects.filter(
            status__in=HOLDING_STATUSES,
            start__lt=day_start + dt.timedelta(days=1),
            end__gt=day_start,
        )
        .select_related("organization")
        .order_by("start", "pk")
    )
    # What each resource shares time with: itself, the whole it is part of, its parts.
    related = {r.pk: {r.pk} for r in resources}
    for r in resources:
        if r.parent_id:
            related[r.pk].add(r.parent_id)
            if r.parent_id in related:
                related[r.parent_id].add(r.pk)
    now = timezone.now()
    staff = viewer is not None and is_center_staff(viewer)
    rows = []
    for resource in resources:
        hours = weekday_hours[resource.pk]
        buffer = dt.timedelta(minutes=resource.buffer_minutes)
        mine = [b for b in bookings if b.resource_id in related[resource.pk]]
        cells = []
        for time in axis:
            start = _aware(date, time)
            end = start + dt.timedelta(hours=1)
            local_start, local_end = timezone.localtime(start), timezone.localtime(end)
            cell = Cell(start=start, end=end, label=f"{time:%H:%M}", state=FREE)
            if (
                not status.is_open
                or hours is None
                or local_start.time() < hours.opens
                or (local_end.time() > hours.closes and local_end.date() == date)
                or end <= now
            ):
                cell.state = CLOSED
            else:
                holder = next(
                    (b for b in mine if b.start < end + buffer and b.end > start - buffer), None
                )
                if holder is not None:
                    cell.state = TAKEN
                    if viewer is not None and (staff or can_view_booking(viewer, holder)):
                        cell.booking = holder
            cells.append(cell)
        rows.append(DayRow(resource=resource, cells=cells))
    return status, axis, rows


def busy_intervals(
    resource, start_date: dt.date, days: int
) -> list[tuple[dt.datetime, dt.datetime]]:
    """When ``resource`` cannot be booked between the dates because a booking holds it or a
    resource it shares time with (a room and its parts) — times only, never who booked.
    Overlapping and touching intervals are merged, so nothing tells one booking from two."""
    start = _aware(start_date, dt.time.min)
    end = _aware(start_date + dt.timedelta(days=days), dt.time.min)
    related = Resource.objects.filter(
        Q(pk=resource.pk) | Q(pk=resource.parent_id) | Q(parent=resource)
    ).values("pk")
    rows = (
        Booking.objects.filter(
            resource_id__in=related, status__in=HOLDING_STATUSES, start__lt=end, end__gt=start
        )
        .order_by("start", "end")
        .values_list("start", "end")
    )
    merged: list[list[dt.datetime]] = []
    for begins, ends in rows:
        begins, ends = max(begins, start), min(ends, end)
        if merged and begins <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], ends)
        else:
            merged.append([begins, ends])
    return [(begins, ends) for begins, ends in merged]
