"""Writes of the facilities app. The overlap check runs inside a transaction that locks the
resource (and the whole of a divisible room with its parts), so SQLite and PostgreSQL behave
alike; on PostgreSQL an exclusion constraint also holds it in the database."""

import calendar
import datetime as dt
import math

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.enums import BOOKING_TRANSITIONS, HOLDING_STATUSES, BookingMode, BookingStatus
from facilities.models import (
    Booking,
    BookingEvent,
    BookingPolicy,
    Discount,
    Price,
    Resource,
    TimeSlot,
)
from kyodo.dates import center_day
from kyodo.exceptions import DomainError
from kyodo.workflow import transition


class BookingError(DomainError):
    pass


def related_resource_ids(resource) -> list[int]:
    """The resource, the whole it is part of, and its own parts: what a booking blocks."""
    ids = {resource.pk}
    if resource.parent_id:
        ids.add(resource.parent_id)
    ids.update(Resource.objects.filter(parent=resource).values_list("pk", flat=True))
    return sorted(ids)


def booking_window_end(today: dt.date, policy: BookingPolicy) -> dt.date:
    """The last bookable day: from the opening day of a month, the end of the month
    ``window_months`` ahead (else one month less)."""
    months = (
        policy.window_months if today.day >= policy.window_opens_day else (policy.window_months - 1)
    )
    year, month = divmod(today.month - 1 + months, 12)
    year, month = today.year + year, month + 1
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def overlapping(resource, start, end, *, buffer_minutes=0, exclude_pk=None):
    buffer = dt.timedelta(minutes=buffer_minutes)
    qs = Booking.objects.filter(
        resource_id__in=related_resource_ids(resource),
        status__in=HOLDING_STATUSES,
        start__lt=end + buffer,
        end__gt=start - buffer,
    )
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def problems_for(
    *, resource, organization, start, end, attendees=0, staff=False, exclude_pk=None, today=None
) -> list[str]:
    """Every rule a booking must pass, as messages (empty: bookable). Staff may book for a
    group outside the online window and limits, never over closures or other bookings."""
    problems = []
    today = today or timezone.localdate()
    policy = BookingPolicy.current()
    local_start, local_end = _local(start), _local(end)
    day = local_start.date()
    if not resource.is_active:
        problems.append(_("This resource is not in use."))
    if not staff and not resource.bookable_online:
        problems.append(_("This resource is booked at the counter, not online."))
    if local_end.date() != day:
        problems.append(_("A booking starts and ends on the same day."))
    if start < timezone.now():
        problems.append(_("This time has passed."))
    status = center_day(day)
    if not status.is_open:
        problems.append(
            _("The center is closed on this day (%(reason)s).") % {"reason": status.reason}
        )
    hours = resource.hours.filter(weekday=day.weekday()).first()
    if hours is None or local_start.time() < hours.opens or local_end.time() > hours.closes:
        problems.append(_("This is outside the resource's bookable hours."))
    minutes = (end - start).total_seconds() / 60
    if resource.mode == BookingMode.SLOTS:
        if not TimeSlot.objects.filter(
            resource=resource, starts=local_start.time(), ends=local_end.time()
        ).exists():
            problems.append(_("Choose one of the resource's time slots."))
    else:
        if local_start.minute % resource.grid_minutes or local_end.minute % resource.grid_minutes:
            problems.append(
                _("Start and end on the %(n)d-minute grid.") % {"n": resource.grid_minutes}
            )
        if minutes < resource.min_minutes or minutes > resource.max_minutes:
            problems.append(
                _("A booking lasts from %(min)d to %(max)d minutes.")
                % {"min": resource.min_minutes, "max": resource.max_minutes}
            )
    if resource.capacity and attendees > resource.capacity:
        problems.append(_("The resource holds at most %(n)d people.") % {"n": resource.capacity})
    if organization is not None:
        if not organization.is_valid_on(day):
            problems.append(_("The organization's registration is not valid on this day."))
        if not staff:
            if day > booking_window_end(today, policy):
                problems.append(_("Booking for this day has not opened yet."))
            holding = Booking.objects.filter(organization=organization, status__in=HOLDING_STATUSES)
            if exclude_pk:
                holding = holding.exclude(pk=exclude_pk)
            month_start = day.replace(day=1)
            month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
            if holding.filter(start__date__range=(month_start, month_end)).count() >= (
                policy.max_per_month
            ):
                problems.append(_("The organization has reached its bookings for this month."))
            if holding.filter(start__date=day).count() >= policy.max_per_day:
                problems.append(_("The organization has reached its bookings for this day."))
    if overlapping(
        resource, start, end, buffer_minutes=resource.buffer_minutes, exclude_pk=exclude_pk
    ).exists():
        problems.append(_("This time is already taken."))
    return problems


def fee_for(*, resource, organization, start, end) -> tuple[int, int, str]:
    """(price before reduction, charged, reduction's name) — both amounts are kept."""
    local_start, local_end = _local(start), _local(end)
    slot_price = Price.objects.filter(
        resource=resource,
        unit="slot",
        slot__starts=local_start.time(),
        slot__ends=local_end.time(),
    ).first()
    if slot_price is not None:
        list_price = slot_price.amount
    else:
        hourly = Price.objects.filter(resource=resource, unit="hour").first()
        hours = math.ceil((end - start).total_seconds() / 3600)
        list_price = hourly.amount * hours if hourly else 0
    discount = None
    if organization is not None and organization.is_valid_on(local_start.date()):
        discount = Discount.objects.filter(for_registered=True).order_by("-percent_off").first()
    if discount is None:
        return list_price, list_price, ""
    charged = list_price * (100 - discount.percent_off) // 100
    return list_price, charged, discount.name


def _lock(resource) -> None:
    # Lock every resource the booking blocks, always in the same order, so two bookings of a
    # part and of the whole wait for each other instead of both passing the check.
    list(
        Resource.objects.select_for_update()
        .filter(pk__in=related_resource_ids(resource))
        .order_by("pk")
    )


def booking_create(
    *,
    resource,
    organization,
    start,
    end,
    purpose,
    by,
    attendees=0,
    staff=False,
    series=None,
    lock=True,
    is_block=False,
    with_booking=None,
) -> Booking:
    """Book ``resource`` for ``organization`` (or block it, by staff).

    Side effects: the booking (仮予約 when the resource needs approval, else 確定) with its
    first BookingEvent; when 確定, after the commit, the confirmation task (利用承認書 and
    mail). Raises BookingError listing every rule it breaks, or "already taken" when another
    booking won the race (the lock, or on PostgreSQL the exclusion constraint).
    ``lock=False`` exists only to prove in a test that the database constraint holds alone.
    """
    try:
        with transaction.atomic():
            if lock:
                _lock(resource)
            problems = problems_for(
                resource=resource,
                organization=organization,
                start=start,
                end=end,
                attendees=attendees,
                staff=staff or is_block,
            )
            if problems:
                raise BookingError(" ".join(problems))
            list_price, charged, discount = (
                (0, 0, "")
                if is_block
                else fee_for(resource=resource, organization=organization, start=start, end=end)
            )
            status = (
                BookingStatus.TENTATIVE
                if resource.needs_approval and not staff
                else BookingStatus.CONFIRMED
            )
            booking = Booking.objects.create(
                resource=resource,
                organization=organization,
                start=start,
                end=end,
                status=status,
                purpose=purpose,
                attendees=attendees,
                series=series,
                list_price=list_price,
                charged=charged,
                discount_name=discount,
                booked_by=by,
                is_block=is_block,
                with_booking=with_booking,
            )
            BookingEvent.objects.create(booking=booking, new_status=status, changed_by=by)
            if status == BookingStatus.CONFIRMED and organization is not None:
                _queue_confirmation(booking)
            return booking
    except IntegrityError:
        raise BookingError(_("This time is already taken.")) from None


def cancel_deadline(booking) -> dt.datetime:
    policy = BookingPolicy.current()
    day = _local(booking.start).date() - dt.timedelta(days=policy.cancel_days_before - 1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


@transaction.atomic
def booking_cancel(*, booking, by, reason: str = "", staff=False) -> Booking:
    """取消. An organization cancels until the deadline (default: the end of the previous
    day); staff at any time. Side effects: a BookingEvent; after the commit, the freed time is
    offered to the first in line on its waitlist (facilities.waitlist.offer_next, e-mail)."""
    if not staff and timezone.now() >= cancel_deadline(booking):
        raise BookingError(_("The cancellation deadline has passed. Contact the center."))
    booking = transition(
        instance=booking,
        to=BookingStatus.CANCELLED,
        transitions=BOOKING_TRANSITIONS,
        history_model=BookingEvent,
        history_fk="booking",
        by=by,
        reason=reason,
    )
    from facilities import waitlist  # waitlist imports this module

    # Equipment booked with a room goes with it.
    freed = [booking]
    for item in booking.equipment.filter(status__in=HOLDING_STATUSES):
        freed.append(
            transition(
                instance=item,
                to=BookingStatus.CANCELLED,
                transitions=BOOKING_TRANSITIONS,
                history_model=BookingEvent,
                history_fk="booking",
                by=by,
                reason=reason,
            )
        )
    # robust: the cancellation stands even if offering fails; the beat sweep catches up.
    for item in freed:
        transaction.on_commit(
            lambda item=item: waitlist.offer_next(
                resource=item.resource, start=item.start, end=item.end
            ),
            robust=True,
        )
    return booking


def _queue_confirmation(booking) -> None:
    # Imported here: tasks sit above services (they call them), never the other way at load.
    from facilities.tasks_documents import task_send_booking_confirmation

    # robust: in eager mode the task runs right here, after the commit; a failure is logged
    # and must not turn a booking that stands into an error page.
    transaction.on_commit(
        lambda: task_send_booking_confirmation.delay(booking_id=booking.pk), robust=True
    )


@transaction.atomic
def booking_move_status(*, booking, to, by, reason: str = "") -> Booking:
    """Staff approve (仮予約 → 確定), check in (利用済) or record a no-show (無断キャンセル).
    Side effects: a BookingEvent; on 確定, after the commit, the task that makes the 利用承認書
    and mails it to the organization's managers."""
    booking = transition(
        instance=booking,
        to=to,
        transitions=BOOKING_TRANSITIONS,
        history_model=BookingEvent,
        history_fk="booking",
        by=by,
        reason=reason,
    )
    if to == BookingStatus.CONFIRMED and booking.organization_id is not None:
        _queue_confirmation(booking)
    return booking


def no_show_count(organization) -> int:
    return Booking.objects.filter(organization=organization, status=BookingStatus.NO_SHOW).count()


@transaction.atomic
def booking_create_with_equipment(
    *, resource, organization, start, end, purpose, by, attendees=0, staff=False, equipment=()
) -> Booking:
    """A room and the equipment that goes with it, all or nothing: each equipment booking
    passes every rule of its own resource and points at the room's booking."""
    booking = booking_create(
        resource=resource,
        organization=organization,
        start=start,
        end=end,
        purpose=purpose,
        by=by,
        attendees=attendees,
        staff=staff,
    )
    for item in equipment:
        try:
            booking_create(
                resource=item,
                organization=organization,
                start=start,
                end=end,
                purpose=purpose,
                by=by,
                staff=staff,
                with_booking=booking,
            )
        except BookingError as error:
            raise BookingError(f"{item.display_name}: {error.message}") from None
    return booking
