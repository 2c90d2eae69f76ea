"""Center-held blocks: the center holds a room for its own use (a course's session, ward use)
under the same lock and the same PostgreSQL exclusion constraint as every booking, so a room is
never given to the center and a group at once.

Other pillars call these (events blocks the room of a session); facilities never imports them
(DESIGN.md: pillar on pillar, downward only). A hold is a Booking with ``is_block`` and no
organization: it shows as taken in the availability calendars and is offered to the waitlist
when it is freed or moved. The center's own use is not bound to the online booking rules
(slots, the booking window, limits); it only may not overlap another booking.
"""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.enums import HOLDING_STATUSES, BookingStatus
from facilities.models import Booking, BookingEvent
from facilities.services import BookingError, _lock, booking_cancel, overlapping


def _problems(resource, start, end, *, exclude_pk=None) -> list[str]:
    problems = []
    if start >= end:
        problems.append(_("The end must come after the start."))
    if not resource.is_active:
        problems.append(
            _("%(resource)s is out of use at the moment: choose another resource.")
            % {"resource": resource.display_name}
        )
    if overlapping(
        resource, start, end, buffer_minutes=resource.buffer_minutes, exclude_pk=exclude_pk
    ).exists():
        problems.append(_("This time is already taken."))
    return problems


def hold_create(*, resource, start, end, purpose: str, by) -> Booking:
    """Hold ``resource`` from ``start`` to ``end`` for the center.

    Side effects: a confirmed blocking Booking and its first BookingEvent. Raises BookingError
    when the time overlaps a booking or another hold (the check under the lock, or on
    PostgreSQL the exclusion constraint)."""
    try:
        with transaction.atomic():
            _lock(resource)
            problems = _problems(resource, start, end)
            if problems:
                raise BookingError(" ".join(problems))
            booking = Booking.objects.create(
                resource=resource,
                organization=None,
                is_block=True,
                start=start,
                end=end,
                status=BookingStatus.CONFIRMED,
                purpose=purpose[:200],
                booked_by=by,
            )
            BookingEvent.objects.create(
                booking=booking, new_status=BookingStatus.CONFIRMED, changed_by=by
            )
            return booking
    except IntegrityError:
        raise BookingError(_("This time is already taken.")) from None


def hold_move(*, booking: Booking, start, end, by, purpose: str | None = None) -> Booking:
    """Move a hold to another time on the same resource.

    Side effects: the new time (and its simple-history row), a BookingEvent naming the old
    and new time; after the commit the old time is offered to its waitlist. Raises
    BookingError when the new time is taken or the hold no longer holds."""
    try:
        with transaction.atomic():
            _lock(booking.resource)
            current = Booking.objects.select_related("resource").get(pk=booking.pk)
            if not current.is_block or current.status not in HOLDING_STATUSES:
                raise BookingError(_("Only a held room can be moved this way."))
            if (current.start, current.end) == (start, end) and purpose is None:
                return current
            problems = _problems(current.resource, start, end, exclude_pk=current.pk)
            if problems:
                raise BookingError(" ".join(problems))
            old_start, old_end = current.start, current.end
            current.start, current.end = start, end
            if purpose is not None:
                current.purpose = purpose[:200]
            current.save(update_fields=["start", "end", "purpose"])
            before = f"{timezone.localtime(old_start):%Y-%m-%d %H:%M}"
            after = f"{timezone.localtime(start):%Y-%m-%d %H:%M}"
            BookingEvent.objects.create(
                booking=current,
                old_status=current.status,
                new_status=current.status,
                changed_by=by,
                reason=f"{before} → {after}",
            )
            from facilities import waitlist  # waitlist imports facilities.services

            transaction.on_commit(
                lambda: waitlist.offer_next(
                    resource=current.resource, start=old_start, end=old_end
                ),
                robust=True,
            )
    except IntegrityError:
        raise BookingError(_("This time is already taken.")) from None
    return current


@transaction.atomic
def hold_release(*, booking: Booking, by, reason: str = "") -> Booking:
    """Free a hold (a second call changes nothing). Side effects: the booking cancelled with
    a BookingEvent; after the commit the time is offered to its waitlist."""
    current = Booking.objects.select_for_update().get(pk=booking.pk)
    if not current.is_block:
        raise BookingError(_("Only a held room can be released this way."))
    if current.status not in HOLDING_STATUSES:
        return current
    return booking_cancel(booking=current, by=by, reason=reason, staff=True)
