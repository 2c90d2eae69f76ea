"""Staff writes of the facilities app: the counter (check-in, no-show, printer counts), the
no-show rule, and moving or cancelling a booking with a message to the group.

Mails are put in the outbox (kyodo.mail) in the same transaction, so nothing is sent for a
rolled-back change and nothing is lost for a committed one.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Count, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from facilities.enums import HOLDING_STATUSES, BookingStatus, ResourceKind
from facilities.models import Booking, BookingEvent, BookingPolicy, PrinterUsage
from facilities.services import (
    BookingError,
    _lock,
    booking_cancel,
    booking_move_status,
    fee_for,
    no_show_count,
    problems_for,
)
from kyodo.localized import localized_lazy
from kyodo.mail import mail_enqueue
from kyodo.text import stored_text
from organizations.enums import RegistrationStatus
from organizations.selectors import managers_of
from organizations.services import organization_suspend

# --- printers --------------------------------------------------------------------------------


def printer_usage_problems(*, resource, organization, masters, sheets, booking=None) -> list[str]:
    """What stops a printer count from being recorded (empty: it can be). The admin's form
    asks this too, so it shows the same messages as the counter."""
    problems = []
    if resource.kind != ResourceKind.PRINTER:
        problems.append(_("Counts are recorded for printers only."))
    if masters < 0 or sheets < 0:
        problems.append(_("Counts cannot be negative."))
    elif masters == 0 and sheets == 0:
        problems.append(_("Enter the masters or the sheets used."))
    if booking is not None and (
        booking.resource_id != resource.pk or booking.organization_id != organization.pk
    ):
        problems.append(_("The booking is for another printer or organization."))
    return problems


@transaction.atomic
def printer_usage_record(
    *, resource, organization, used_on: dt.date, masters: int, sheets: int, by, booking=None
) -> PrinterUsage:
    """Record printer use after the fact, priced by the printer's current prices.

    Side effects: one PrinterUsage (and its simple-history audit row)."""
    problems = printer_usage_problems(
        resource=resource,
        organization=organization,
        masters=masters,
        sheets=sheets,
        booking=booking,
    )
    if problems:
        raise BookingError(" ".join(problems))
    # The amount is fixed when recorded: a later change of prices does not rewrite the past.
    amount = masters * resource.price_per_master + sheets * resource.price_per_sheet
    return PrinterUsage.objects.create(
        resource=resource,
        organization=organization,
        used_on=used_on,
        masters=masters,
        sheets=sheets,
        amount=amount,
        booking=booking,
        recorded_by=by,
    )


def month_range(month: dt.date) -> tuple[dt.date, dt.date]:
    first = month.replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    return first, following - dt.timedelta(days=1)


def printer_monthly_totals(*, month: dt.date):
    """Per organization for the month of ``month``: uses, masters, sheets and amount, in one
    aggregated query (rows are dicts, by the organization's reading)."""
    first, last = month_range(month)
    return (
        PrinterUsage.objects.filter(used_on__range=(first, last))
        .values(
            "organization_id",
            "organization__name",
            "organization__name_kana",
            "organization__registration_number",
        )
        .annotate(
            uses=Count("pk"),
            masters=Sum("masters"),
            sheets=Sum("sheets"),
            amount=Sum("amount"),
        )
        .order_by("organization__name_kana", "organization_id")
    )


# --- the counter -----------------------------------------------------------------------------


@transaction.atomic
def booking_check_in(*, booking, by) -> Booking:
    """利用済: the group came. Also corrects a wrong no-show.

    Side effects: a BookingEvent."""
    if timezone.localtime(booking.start).date() > timezone.localdate():
        raise BookingError(_("A booking is checked in on its day, not before."))
    return booking_move_status(booking=booking, to=BookingStatus.USED, by=by)


@transaction.atomic
def booking_no_show(*, booking, by, reason: str = "") -> Booking:
    """無断キャンセル, and the no-show rule: when the organization reaches the policy's
    ``no_show_limit`` its registration is suspended.

    Side effects: a BookingEvent; at the limit an OrganizationEvent and a mail to the
    organization's managers (organization_suspend)."""
    if timezone.now() < booking.start:
        raise BookingError(_("A no-show is recorded only once the booking has begun."))
    booking_move_status(booking=booking, to=BookingStatus.NO_SHOW, by=by, reason=reason)
    organization = booking.organization
    if organization is None or organization.status != RegistrationStatus.REGISTERED:
        return booking
    count = no_show_count(organization)
    limit = BookingPolicy.current().no_show_limit
    if limit and count >= limit:
        # DOMAIN.md: after N no-shows a group is suspended *from booking*. The registration
        # has a single suspension, which also stops applying; staff lift it on the
        # organization's page (organization_reinstate) once it is talked through.
        organization_suspend(
            organization=organization,
            by=by,
            reason=stored_text(
                gettext_lazy(
                    "%(count)d no-shows (the limit is %(limit)d): booking rooms and "
                    "equipment is suspended."
                ),
                count=count,
                limit=limit,
            ),
        )
    return booking


# --- moving and cancelling -------------------------------------------------------------------


def _when(start, end) -> str:
    start, end = timezone.localtime(start), timezone.localtime(end)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _notify_managers(booking, *, purpose, subject, paragraphs, facts, message):
    """Put the "notice" mail to each manager of the booking's organization in the outbox, sent
    after the commit. Texts are lazy so each mail is rendered in its recipient's language."""
    if booking.organization is None:
        return
    for user in managers_of(booking.organization):
        mail_enqueue(
            to=user.email,
            template="notice",
            user=user,
            context={
                "subject": subject,
                "paragraphs": paragraphs,
                "facts": facts,
                "reason": message,
            },
            purpose=purpose,
        )


def _require_message(booking, message: str) -> None:
    if booking.organization_id and not message.strip():
        raise BookingError(_("Write a message to the organization; it is sent by e-mail."))


def booking_move(*, booking, start, end, by, message: str) -> Booking:
    """Staff move a booking to another time on the same resource. The new time passes the
    same rules as a staff booking, checked under the same lock as booking_create; the fee is
    worked out again for the new time, and the day-before reminder is due again.

    Side effects: the booking's new time (and its simple-history row), a BookingEvent with the
    old and new time and the message, a mail with the message to the organization's managers;
    after the commit the old time is offered to its waitlist (facilities.waitlist.offer_next).
    """
    _require_message(booking, message)
    try:
        with transaction.atomic():
            _lock(booking.resource)
            # Read the booking again under the lock: it may have been cancelled meanwhile.
            current = Booking.objects.select_related("resource", "organization").get(pk=booking.pk)
            if current.status not in HOLDING_STATUSES:
                raise BookingError(_("Only a provisional or confirmed booking can be moved."))
            problems = problems_for(
                resource=current.resource,
                organization=current.organization,
                start=start,
                end=end,
                attendees=current.attendees,
                staff=True,
                exclude_pk=current.pk,
            )
            if problems:
                raise BookingError(" ".join(problems))
            # Equipment booked with the room moves with it, under the same rules.
            children = list(
                current.equipment.filter(status__in=HOLDING_STATUSES).select_related("resource")
            )
            for child in children:
                _lock(child.resource)
                child_problems = problems_for(
                    resource=child.resource,
                    organization=child.organization,
                    start=start,
                    end=end,
                    staff=True,
                    exclude_pk=child.pk,
                )
                if child_problems:
                    raise BookingError(f"{child.resource.display_name}: {' '.join(child_problems)}")
            for child in children:
                Booking.objects.filter(pk=child.pk).update(start=start, end=end, reminded_at=None)
            before = _when(current.start, current.end)
            old_start, old_end = current.start, current.end
            current.start, current.end = start, end
            if not current.is_block:
                current.list_price, current.charged, current.discount_name = fee_for(
                    resource=current.resource,
                    organization=current.organization,
                    start=start,
                    end=end,
                )
            current.reminded_at = None
            # The 利用承認書 states the time: a moved booking gets a new one (the old document
            # stays as a record) and a new confirmation.
            current.approval_letter = None
            current.confirmation_sent_at = None
            current.save(
                update_fields=[
                    "start",
                    "end",
                    "list_price",
                    "charged",
                    "discount_name",
                    "reminded_at",
                    "approval_letter",
                    "confirmation_sent_at",
                ]
            )
            if current.status == BookingStatus.CONFIRMED and current.organization_id:
                from facilities.reminders import booking_confirmation_send

                booking_confirmation_send(booking=current)
            after = _when(start, end)
            BookingEvent.objects.create(
                booking=current,
                old_status=current.status,
                new_status=current.status,
                changed_by=by,
                reason=f"{before} → {after}\n{message}".strip(),
            )
            _notify_managers(
                current,
                purpose="facilities.booking_moved",
                subject=gettext_lazy("Your booking was moved by the center"),
                paragraphs=[
                    gettext_lazy(
                        "The center moved your booking to another time. The message from "
                        "the center is below; contact us if the new time does not suit you."
                    )
                ],
                facts=[
                    (gettext_lazy("Resource"), localized_lazy(current.resource)),
                    (gettext_lazy("New time"), after),
                    (gettext_lazy("Previous time"), before),
                ],
                message=message,
            )
            from facilities import waitlist  # waitlist imports facilities.services

            # The old time is free now: offer it to the first in line, as a cancellation does
            # (robust: the move stands even if offering fails; the beat sweep catches up).
            transaction.on_commit(
                lambda: waitlist.offer_next(
                    resource=current.resource, start=old_start, end=old_end
                ),
                robust=True,
            )
    except IntegrityError:
        # PostgreSQL's exclusion constraint: another booking won the time.
        raise BookingError(_("This time is already taken.")) from None
    booking.refresh_from_db()
    return current


@transaction.atomic
def booking_cancel_by_staff(*, booking, by, message: str) -> Booking:
    """取消 by staff, at any time, with a message to the group.

    Side effects: a BookingEvent with the message, a mail to the organization's managers."""
    _require_message(booking, message)
    booking_cancel(booking=booking, by=by, reason=message, staff=True)
    _notify_managers(
        booking,
        purpose="facilities.booking_cancelled_by_staff",
        subject=gettext_lazy("Your booking was cancelled by the center"),
        paragraphs=[
            gettext_lazy("The center cancelled your booking. The message from the center is below.")
        ],
        facts=[
            (gettext_lazy("Resource"), localized_lazy(booking.resource)),
            (gettext_lazy("Time"), _when(booking.start, booking.end)),
        ],
        message=message,
    )
    return booking
