"""Writes of the facilities app. The overlap check runs inside a transaction that locks the
resource (and the whole of a divisible room with its parts), so SQLite and PostgreSQL behave
alike; on PostgreSQL an exclusion constraint also holds it in the database."""

import calendar
import datetime as dt
import math

from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, Q, Subquery
from django.utils import timezone
from django.utils.dates import WEEKDAYS
from django.utils.translation import gettext as _

from facilities.enums import BOOKING_TRANSITIONS, HOLDING_STATUSES, BookingMode, BookingStatus
from facilities.models import (
    Booking,
    BookingEvent,
    BookingPolicy,
    Discount,
    Price,
    Resource,
    ResourceHours,
    TimeSlot,
)
from kyodo.dates import center_day_from, center_day_lookups, wareki_until
from kyodo.exceptions import DomainError
from kyodo.workflow import transition


class BookingError(DomainError):
    pass


def related_resource_ids(resource) -> list[int]:
    """The resource, the whole it is part of, and its own parts: what a booking blocks."""
    return sorted(related_resources(resource).values_list("pk", flat=True))


def related_resources(resource):
    """related_resource_ids as a queryset, to use inside another query (no query of its own)."""
    related = Q(pk=resource.pk) | Q(parent_id=resource.pk)
    if resource.parent_id:
        related |= Q(pk=resource.parent_id)
    return Resource.objects.filter(related)


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
        resource_id__in=related_resources(resource).values("pk"),
        status__in=HOLDING_STATUSES,
        start__lt=end + buffer,
        end__gt=start - buffer,
    )
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def _hhmm(value: dt.time) -> str:
    return f"{value:%H:%M}"


def hours_rule(resource, day: dt.date, hours) -> str:
    """Why a time is outside ``resource``'s hours, with the hours it may be booked in."""
    weekday = WEEKDAYS[day.weekday()]
    if hours is None:
        return _("%(resource)s cannot be booked on %(weekday)s.") % {
            "resource": resource.name,
            "weekday": weekday,
        }
    return _("%(resource)s can be booked on %(weekday)s from %(opens)s to %(closes)s only.") % {
        "resource": resource.name,
        "weekday": weekday,
        "opens": _hhmm(hours.opens),
        "closes": _hhmm(hours.closes),
    }


def time_rules_of(resource, with_room=None):
    """The resource whose hours, slots and length rules a booking of ``resource`` follows:
    equipment booked together with a room follows the room's (unless staff untick
    ``follows_room_hours``), since it is used in the room for the room's time."""
    if with_room is not None and resource.follows_room_hours:
        return with_room
    return resource


def _rules_row(*, resource, timed, local_start, local_end):
    """One query for every row a booking's rules and fee read (the policy, the center's day,
    the resource's hours and slot, its prices, the 減免), as scalar subqueries annotated onto
    the resource: booking_create runs its checks in a handful of queries (issue 16)."""
    day = local_start.date()
    policy = BookingPolicy.objects.order_by("pk")
    hours = ResourceHours.objects.filter(resource=timed, weekday=day.weekday()).order_by(
        "resource", "weekday", "pk"
    )
    slot_price = Price.objects.filter(
        resource=resource,
        unit="slot",
        slot__starts=local_start.time(),
        slot__ends=local_end.time(),
    ).order_by("pk")
    hourly = Price.objects.filter(resource=resource, unit="hour").order_by("pk")
    discount = Discount.objects.filter(for_registered=True).order_by("-percent_off", "pk")
    lookups = {
        f"policy_{field.attname}": Subquery(policy.values(field.attname)[:1])
        for field in BookingPolicy._meta.concrete_fields
    }
    lookups.update(
        hours_id=Subquery(hours.values("pk")[:1]),
        hours_opens=Subquery(hours.values("opens")[:1]),
        hours_closes=Subquery(hours.values("closes")[:1]),
        slot_matches=Exists(
            TimeSlot.objects.filter(
                resource=timed, starts=local_start.time(), ends=local_end.time()
            )
        ),
        price_slot=Subquery(slot_price.values("amount")[:1]),
        price_hour=Subquery(hourly.values("amount")[:1]),
        discount_id=Subquery(discount.values("pk")[:1]),
        discount_name=Subquery(discount.values("name")[:1]),
        discount_percent_off=Subquery(discount.values("percent_off")[:1]),
        **center_day_lookups(day),
    )
    row = Resource.objects.filter(pk=resource.pk).only("pk").annotate(**lookups).get()
    row.booking_policy = (
        BookingPolicy(
            **{
                field.attname: getattr(row, f"policy_{field.attname}")
                for field in BookingPolicy._meta.concrete_fields
            }
        )
        if row.policy_id is not None
        else BookingPolicy()
    )
    row.day_hours = (
        ResourceHours(
            resource=timed, weekday=day.weekday(), opens=row.hours_opens, closes=row.hours_closes
        )
        if row.hours_id is not None
        else None
    )
    row.registered_discount = (
        Discount(pk=row.discount_id, name=row.discount_name, percent_off=row.discount_percent_off)
        if row.discount_id is not None
        else None
    )
    return row


def problems_for(
    *,
    resource,
    organization,
    start,
    end,
    attendees=0,
    staff=False,
    exclude_pk=None,
    today=None,
    with_room=None,
) -> list[str]:
    """Every rule a booking must pass, as messages (empty: bookable). Each message names the
    rule and the values it allows. Staff may book for a group outside the online window and
    limits, never over closures or other bookings. ``with_room``: the room this (equipment)
    booking goes with; its time rules may apply instead (see time_rules_of)."""
    return _check(
        resource=resource,
        organization=organization,
        start=start,
        end=end,
        attendees=attendees,
        staff=staff,
        exclude_pk=exclude_pk,
        today=today,
        with_room=with_room,
    )[0]


def _check(
    *, resource, organization, start, end, attendees, staff, exclude_pk, today, with_room
) -> tuple[list[str], object]:
    """problems_for's messages and the rules row they were checked against (two queries)."""
    problems = []
    today = today or timezone.localdate()
    local_start, local_end = _local(start), _local(end)
    day = local_start.date()
    timed = time_rules_of(resource, with_room)
    rules = _rules_row(resource=resource, timed=timed, local_start=local_start, local_end=local_end)
    policy = rules.booking_policy
    if not resource.is_active:
        problems.append(
            _("%(resource)s is out of use at the moment: choose another resource.")
            % {"resource": resource.name}
        )
    if not staff and not resource.bookable_online:
        problems.append(
            _("%(resource)s is booked at the center's counter, not online.")
            % {"resource": resource.name}
        )
    if local_end.date() != day:
        problems.append(_("A booking starts and ends on the same day."))
    if start < timezone.now():
        problems.append(
            _("This time has passed: book a time from %(now)s on.")
            % {"now": f"{_local(timezone.now()):%Y-%m-%d %H:%M}"}
        )
    status = center_day_from(rules, day)
    if not status.is_open:
        problems.append(
            _("The center is closed on this day (%(reason)s).") % {"reason": status.reason}
        )
    hours = rules.day_hours
    if hours is None or local_start.time() < hours.opens or local_end.time() > hours.closes:
        problems.append(hours_rule(timed, day, hours))
    minutes = (end - start).total_seconds() / 60
    if timed.mode == BookingMode.SLOTS:
        if not rules.slot_matches:
            slots = list(TimeSlot.objects.filter(resource=timed))
            problems.append(
                _("%(resource)s is booked by time slot: %(slots)s.")
                % {
                    "resource": timed.name,
                    "slots": ", ".join(
                        f"{slot.name} {_hhmm(slot.starts)}–{_hhmm(slot.ends)}" for slot in slots
                    ),
                }
            )
    else:
        if local_start.minute % timed.grid_minutes or local_end.minute % timed.grid_minutes:
            problems.append(
                _("%(resource)s starts and ends on the %(n)d-minute grid (e.g. %(example)s).")
                % {
                    "resource": timed.name,
                    "n": timed.grid_minutes,
                    "example": ", ".join(
                        f"{local_start.hour}:{minute:02d}"
                        for minute in range(0, 60, timed.grid_minutes)
                    ),
                }
            )
        if minutes < timed.min_minutes or minutes > timed.max_minutes:
            problems.append(
                _("A booking of %(resource)s lasts from %(min)d to %(max)d minutes.")
                % {"resource": timed.name, "min": timed.min_minutes, "max": timed.max_minutes}
            )
    if resource.capacity and attendees > resource.capacity:
        problems.append(
            _("%(resource)s holds at most %(n)d people.")
            % {"resource": resource.name, "n": resource.capacity}
        )
    counted_limits = False
    if organization is not None:
        if not organization.is_valid_on(day):
            if organization.valid_until:
                problems.append(
                    _(
                        "The organization's registration is valid until %(date)s: renew it "
                        "to book later dates."
                    )
                    % {"date": f"{organization.valid_until:%Y-%m-%d}"}
                )
            else:
                problems.append(
                    _("The organization's registration is not valid yet: bookings open once it is.")
                )
        if not staff:
            window_end = booking_window_end(today, policy)
            if day > window_end:
                problems.append(
                    _(
                        "Booking is open up to %(last)s. Each month opens on day %(day)d, "
                        "%(months)d months ahead."
                    )
                    % {
                        "last": f"{window_end:%Y-%m-%d}",
                        "day": policy.window_opens_day,
                        "months": policy.window_months,
                    }
                )
            counted_limits = True
    # The organization's bookings this month and day, and whatever holds this time: one query.
    buffer = dt.timedelta(minutes=resource.buffer_minutes)
    taken = Q(
        resource_id__in=related_resources(resource).values("pk"),
        status__in=HOLDING_STATUSES,
        start__lt=end + buffer,
        end__gt=start - buffer,
    )
    counts = {"taken": Count("pk", filter=taken)}
    wanted = taken
    if counted_limits:
        holding = Q(organization=organization, status__in=HOLDING_STATUSES)
        month_start = day.replace(day=1)
        month_end = day.replace(day=calendar.monthrange(day.year, day.month)[1])
        in_month = holding & Q(start__date__range=(month_start, month_end))
        on_day = holding & Q(start__date=day)
        counts.update(month=Count("pk", filter=in_month), day=Count("pk", filter=on_day))
        wanted |= in_month
    bookings = Booking.objects.filter(wanted)
    if exclude_pk:
        bookings = bookings.exclude(pk=exclude_pk)
    counted = bookings.aggregate(**counts)
    if counted_limits:
        if counted["month"] >= policy.max_per_month:
            problems.append(
                _("An organization holds at most %(n)d bookings a month; this month is full.")
                % {"n": policy.max_per_month}
            )
        if counted["day"] >= policy.max_per_day:
            problems.append(
                _("An organization holds at most %(n)d bookings a day; this day is full.")
                % {"n": policy.max_per_day}
            )
    if counted["taken"]:
        # Callers (series preview, waitlist) recognise this one message: keep it as it is.
        problems.append(_("This time is already taken."))
    return problems, rules


def reduced(amount: int, percent_off: int) -> int:
    """The amount after a 減免 of ``percent_off`` percent, rounded down to the yen."""
    return amount * (100 - percent_off) // 100


def registered_discount():
    """The 減免 a validly registered organization gets (the largest), or None."""
    return Discount.objects.filter(for_registered=True).order_by("-percent_off").first()


def fee_for(*, resource, organization, start, end) -> tuple[int, int, str]:
    """(price before reduction, charged, reduction's name) — both amounts are kept."""
    local_start, local_end = _local(start), _local(end)
    slot_price = Price.objects.filter(
        resource=resource,
        unit="slot",
        slot__starts=local_start.time(),
        slot__ends=local_end.time(),
    ).first()
    hourly = None
    if slot_price is None:
        hourly = Price.objects.filter(resource=resource, unit="hour").first()
    discount = None
    if organization is not None and organization.is_valid_on(local_start.date()):
        discount = registered_discount()
    return _fee(
        slot_amount=slot_price.amount if slot_price else None,
        hourly_amount=hourly.amount if hourly else None,
        discount=discount,
        organization=organization,
        start=start,
        end=end,
    )


def _fee(*, slot_amount, hourly_amount, discount, organization, start, end):
    if slot_amount is not None:
        list_price = slot_amount
    else:
        hours = math.ceil((end - start).total_seconds() / 3600)
        list_price = hourly_amount * hours if hourly_amount is not None else 0
    if organization is None or not organization.is_valid_on(_local(start).date()):
        discount = None
    if discount is None:
        return list_price, list_price, ""
    return list_price, reduced(list_price, discount.percent_off), discount.name


def _lock(resource) -> list[int]:
    """Lock every resource the booking blocks (the resource, its whole, its parts) in one
    query, always in the same order, so two bookings of a part and of the whole wait for each
    other instead of both passing the check. Returns their ids."""
    return list(
        related_resources(resource).select_for_update().order_by("pk").values_list("pk", flat=True)
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
    first BookingEvent; when 確定 and not part of a ``series``, after the commit, the
    confirmation task (利用承認書 and mail; a series queues one for all its dates). Raises
    BookingError listing every rule it breaks, or "already taken" when another booking won
    the race (the lock, or on PostgreSQL the exclusion constraint).
    ``lock=False`` exists only to prove in a test that the database constraint holds alone.
    """
    try:
        with transaction.atomic():
            if lock:
                _lock(resource)
            problems, rules = _check(
                resource=resource,
                organization=organization,
                start=start,
                end=end,
                attendees=attendees,
                staff=staff or is_block,
                exclude_pk=None,
                today=None,
                with_room=with_booking.resource if with_booking is not None else None,
            )
            if problems:
                raise BookingError(" ".join(problems))
            list_price, charged, discount = (
                (0, 0, "")
                if is_block
                else _fee(
                    slot_amount=rules.price_slot,
                    hourly_amount=rules.price_hour,
                    discount=rules.registered_discount,
                    organization=organization,
                    start=start,
                    end=end,
                )
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
            # A series is announced once for all its dates (facilities.series.series_create).
            if status == BookingStatus.CONFIRMED and organization is not None and series is None:
                _queue_confirmation(booking)
            return booking
    except IntegrityError:
        raise BookingError(_("This time is already taken.")) from None


def cancel_deadline(booking) -> dt.datetime:
    return cancel_deadline_for(booking.start)


def cancel_deadline_for(start: dt.datetime) -> dt.datetime:
    """The first moment an organization may no longer cancel a booking starting at ``start``."""
    policy = BookingPolicy.current()
    day = _local(start).date() - dt.timedelta(days=policy.cancel_days_before - 1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def cancel_last_day(booking) -> dt.date:
    return cancel_last_day_for(booking.start)


def cancel_last_day_for(start: dt.datetime) -> dt.date:
    """The last day an organization may cancel: the deadline is the first moment cancelling
    is refused, so the day before it is the last (the letter: 令和8年12月7日まで)."""
    return _local(cancel_deadline_for(start)).date() - dt.timedelta(days=1)


@transaction.atomic
def booking_cancel(*, booking, by, reason: str = "", staff=False) -> Booking:
    """取消. An organization cancels until the deadline (default: the end of the previous
    day); staff at any time. Side effects: a BookingEvent; after the commit, the freed time is
    offered to the first in line on its waitlist (facilities.waitlist.offer_next, e-mail)."""
    if not staff and timezone.now() >= cancel_deadline(booking):
        raise BookingError(
            _("Cancelling online was possible %(until)s. Contact the center.")
            % {"until": wareki_until(cancel_last_day(booking))}
        )
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
    # Imported here: reminders imports facilities.documents, which imports this module.
    from facilities.reminders import booking_confirmation_send

    # In the booking's transaction: the confirmation mails are outbox rows that exist exactly
    # when the confirmation does, sent after the commit (kyodo.mail).
    booking_confirmation_send(booking=booking)


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
