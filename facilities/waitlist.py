"""キャンセル待ち: organizations wait for a taken time; when it frees, the first in line is
offered it by e-mail with a link valid for a limited time, then the next.

An offer does not hold the time: the slot is free, and whoever books first gets it (the offer
says so). Offers are claimed with a conditional update (waiting → offered) under the
resource's lock, so two cancellations, or a cancellation and the beat sweep, never offer the
same entry twice, and at most one offer for a time is open at once.
"""

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.rules import is_center_staff
from facilities.models import Resource, WaitlistEntry, WaitlistStatus
from facilities.services import (
    _lock,
    booking_create,
    overlapping,
    problems_for,
    related_resource_ids,
)
from kyodo.exceptions import DomainError
from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, mail_enqueue, queue_notice
from organizations.selectors import managers_of

logger = logging.getLogger(__name__)

OPEN_STATUSES = (WaitlistStatus.WAITING, WaitlistStatus.OFFERED)


class WaitlistError(DomainError):
    pass


def offer_hours() -> int:
    return settings.FACILITIES_OFFER_HOURS


def offer_path(entry) -> str:
    # The page belongs to facilities.urls_series ("facilities_series:waitlist_offer"); the
    # path is spelled out so that the e-mail does not depend on how the URLconf is wired.
    return f"/facilities/waitlist/{entry.token}/"


# --- joining and leaving ---------------------------------------------------------------------


@transaction.atomic
def waitlist_join(
    *,
    resource,
    organization,
    start: dt.datetime,
    end: dt.datetime,
    purpose: str,
    attendees: int = 0,
    by,
    staff: bool = False,
) -> WaitlistEntry:
    """Put ``organization`` in line for a time another booking holds.

    Refused (WaitlistError) when the time is free (book it instead), when the organization
    holds it itself, when it breaks another rule (closed, window, validity, …), or when the
    organization already waits for it. Side effects: one WaitlistEntry (waiting); after the
    commit, a mail to the organization's managers saying it is in line (and where).
    """
    if start >= end:
        raise WaitlistError(_("The end must be after the start."))
    holders = overlapping(resource, start, end, buffer_minutes=resource.buffer_minutes)
    if not holders.exists():
        raise WaitlistError(_("This time is free: book it instead of waiting."))
    if holders.filter(organization=organization).exists():
        raise WaitlistError(_("Your organization has already booked this time."))
    taken = _("This time is already taken.")
    problems = [
        problem
        for problem in problems_for(
            resource=resource,
            organization=organization,
            start=start,
            end=end,
            attendees=attendees,
            staff=staff,
        )
        if problem != taken
    ]
    if problems:
        raise WaitlistError(" ".join(problems))
    already = _("Your organization is already waiting for this time.")
    if WaitlistEntry.objects.filter(
        resource=resource,
        organization=organization,
        start=start,
        end=end,
        status__in=OPEN_STATUSES,
    ).exists():
        raise WaitlistError(already)
    try:
        with transaction.atomic():
            entry = WaitlistEntry.objects.create(
                resource=resource,
                organization=organization,
                start=start,
                end=end,
                purpose=purpose,
                attendees=attendees,
                token=secrets.token_urlsafe(32),
                created_by=by,
            )
    except IntegrityError:  # the same entry made in parallel (constraint waitlist_once_per_time)
        raise WaitlistError(already) from None
    _notify_joined(entry, position=waitlist_position(entry))
    return entry


def waitlist_position(entry) -> int:
    """The entry's place in line for its time (1: the first), counting those still waiting
    who joined before it."""
    return (
        WaitlistEntry.objects.filter(
            resource=entry.resource_id,
            start=entry.start,
            end=entry.end,
            status=WaitlistStatus.WAITING,
            created_at__lte=entry.created_at,
        )
        .exclude(pk__gt=entry.pk, created_at=entry.created_at)
        .count()
    )


def _notify_joined(entry, *, position: int) -> None:
    """Tell the organization's managers that it is in line (after the commit; kyodo.mail
    logs a failed send and the entry stands)."""
    start, end = timezone.localtime(entry.start), timezone.localtime(entry.end)
    queue_notice(
        managers_of(entry.organization) or [entry.organization.email],
        purpose="facilities.waitlist_joined",
        subject=gettext_lazy("You are on the waitlist"),
        paragraphs=[
            gettext_lazy(
                "Your organization is waiting for the time below. If it becomes free, the "
                "first in line is offered it by e-mail; the offer is valid for a limited time."
            ),
            gettext_lazy("You can leave the waitlist at any time from the link below."),
        ],
        facts=[
            (gettext_lazy("Organization"), entry.organization.name),
            (gettext_lazy("Resource"), entry.resource.name),
            (gettext_lazy("Date and time"), f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"),
            (gettext_lazy("Place in line"), str(position)),
        ],
        action_url=absolute_url(offer_path(entry)),
        action_label=gettext_lazy("See or leave the waitlist"),
    )


@transaction.atomic
def waitlist_withdraw(*, entry, by) -> WaitlistEntry:
    """Leave the line (or decline an offer). Side effects: the entry becomes withdrawn; when
    it held the offer, the next in line is offered the time (e-mail)."""
    old = entry.status
    if old not in OPEN_STATUSES:
        raise WaitlistError(_("This waitlist entry is no longer open."))
    if not WaitlistEntry.objects.filter(pk=entry.pk, status=old).update(
        status=WaitlistStatus.WITHDRAWN, withdrawn_at=timezone.now(), withdrawn_by=by
    ):
        raise WaitlistError(
            _("Someone else changed this in the meantime. Reload the page and try again.")
        )
    entry.status = WaitlistStatus.WITHDRAWN
    logger.info("Waitlist entry %s withdrawn by %s", entry.pk, getattr(by, "pk", None))
    if old == WaitlistStatus.OFFERED:
        offer_next(resource=entry.resource, start=entry.start, end=entry.end)
    return entry


# --- offers ----------------------------------------------------------------------------------


def _offer_open_for(entry, now) -> bool:
    """Is another offer still open for (a part or the whole of) this time?"""
    return (
        WaitlistEntry.objects.filter(
            resource_id__in=related_resource_ids(entry.resource),
            status=WaitlistStatus.OFFERED,
            offer_expires_at__gt=now,
            start__lt=entry.end,
            end__gt=entry.start,
        )
        .exclude(pk=entry.pk)
        .exists()
    )


def _can_book(entry) -> bool:
    resource = entry.resource
    if overlapping(
        resource, entry.start, entry.end, buffer_minutes=resource.buffer_minutes
    ).exists():
        return False  # cheap answer first: the usual case while a time stays taken
    return not problems_for(
        resource=resource,
        organization=entry.organization,
        start=entry.start,
        end=entry.end,
        attendees=entry.attendees,
    )


@transaction.atomic
def offer_next(*, resource, start: dt.datetime, end: dt.datetime) -> WaitlistEntry | None:
    """Offer a freed time to the first in line who can still book it.

    Candidates wait for ``resource`` (or a part or the whole of it) at an overlapping time,
    first come first. An entry whose organization cannot book now (limits, validity, the time
    taken again) is passed over and keeps its place. Returns the offered entry or None.
    Side effects: the entry becomes offered (valid FACILITIES_OFFER_HOURS hours, default 24)
    with a conditional update, and its organization's managers get an e-mail with the link.
    """
    _lock(resource)  # serialises offers (and bookings) of this time
    now = timezone.now()
    candidates = (
        WaitlistEntry.objects.filter(
            resource_id__in=related_resource_ids(resource),
            status=WaitlistStatus.WAITING,
            start__lt=end,
            end__gt=start,
        )
        .select_related("resource", "organization")
        .order_by("created_at", "pk")
    )
    for entry in candidates:
        if _offer_open_for(entry, now) or not _can_book(entry):
            continue
        expires = now + dt.timedelta(hours=offer_hours())
        claimed = WaitlistEntry.objects.filter(pk=entry.pk, status=WaitlistStatus.WAITING).update(
            status=WaitlistStatus.OFFERED, offered_at=now, offer_expires_at=expires
        )
        if not claimed:  # withdrawn or offered by someone else in the meantime
            continue
        entry.status, entry.offered_at, entry.offer_expires_at = (
            WaitlistStatus.OFFERED,
            now,
            expires,
        )
        _notify_offer(entry)
        return entry
    return None


def _notify_offer(entry) -> None:
    """Queue the offer e-mail to the organization's managers (or its address) after commit.
    Texts are lazy so each is rendered in the recipient's language by kyodo.mail."""
    start, end = timezone.localtime(entry.start), timezone.localtime(entry.end)
    context = {
        "subject": gettext_lazy("A time you are waiting for is free"),
        "paragraphs": [
            gettext_lazy(
                "A time your organization is waiting for has become free. Accept the offer "
                "before it expires; after that it goes to the next in line."
            ),
            gettext_lazy(
                "The time is not held for you: if someone books it first, the offer lapses."
            ),
        ],
        "facts": [
            (gettext_lazy("Organization"), entry.organization.name),
            (gettext_lazy("Resource"), localized_lazy(entry.resource)),
            (gettext_lazy("Date and time"), f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"),
            (
                gettext_lazy("Offer valid until"),
                f"{timezone.localtime(entry.offer_expires_at):%Y-%m-%d %H:%M}",
            ),
        ],
        "action_url": absolute_url(offer_path(entry)),
        "action_label": gettext_lazy("See and accept the offer"),
    }
    recipients = managers_of(entry.organization) or [entry.organization.email]
    for recipient in recipients:
        user = recipient if hasattr(recipient, "email") else None
        address = user.email if user else recipient
        if not address:
            continue

        mail_enqueue(
            to=address,
            template="notice",
            user=user,
            context=context,
            purpose="facilities.waitlist_offer",
        )


@transaction.atomic
def waitlist_accept(*, entry, by, staff: bool = False) -> WaitlistEntry:
    """Book the offered time for the entry's organization.

    Refused (WaitlistError / BookingError) when the entry holds no offer (withdrawn, expired,
    accepted already), the offer's time ran out, or the time was taken again.
    Side effects: a Booking with its BookingEvent (through booking_create); the entry becomes
    accepted and points to the booking.
    """
    entry.refresh_from_db()
    now = timezone.now()
    if entry.status == WaitlistStatus.ACCEPTED:
        raise WaitlistError(_("This offer has already been accepted."))
    if entry.status == WaitlistStatus.WITHDRAWN:
        raise WaitlistError(_("This waitlist entry was withdrawn."))
    if entry.status == WaitlistStatus.WAITING:
        raise WaitlistError(_("This time has not been offered to your organization yet."))
    if entry.status == WaitlistStatus.EXPIRED or entry.offer_expires_at <= now:
        raise WaitlistError(_("This offer has expired."))
    booking = booking_create(
        resource=entry.resource,
        organization=entry.organization,
        start=entry.start,
        end=entry.end,
        purpose=entry.purpose,
        attendees=entry.attendees,
        by=by,
        staff=staff,
    )
    if not WaitlistEntry.objects.filter(
        pk=entry.pk, status=WaitlistStatus.OFFERED, offer_expires_at__gt=now
    ).update(status=WaitlistStatus.ACCEPTED, booking=booking):
        # Raising rolls the booking back with the rest of this transaction.
        raise WaitlistError(
            _("Someone else changed this in the meantime. Reload the page and try again.")
        )
    entry.status, entry.booking = WaitlistStatus.ACCEPTED, booking
    return entry


def waitlist_expire_offers(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The beat sweep: offers past their time become expired and the next in line is offered;
    then any waiting entry whose time is free with no open offer is offered (catching up on
    a cancellation whose hook did not run). Safe to run twice or late: every step is a
    conditional update, so nothing is expired or offered twice.

    Each entry is handled in its own transaction, so one failure does not undo the others.
    Returns {"expired": n, "offered": m}. Side effects: see offer_next.
    """
    now = now or timezone.now()
    expired = offered = 0
    due = WaitlistEntry.objects.filter(
        status=WaitlistStatus.OFFERED, offer_expires_at__lte=now
    ).order_by("offer_expires_at", "pk")
    for entry in due.select_related("resource"):
        with transaction.atomic():
            if not WaitlistEntry.objects.filter(
                pk=entry.pk, status=WaitlistStatus.OFFERED, offer_expires_at__lte=now
            ).update(status=WaitlistStatus.EXPIRED):
                continue  # accepted, withdrawn or expired by another run meanwhile
            expired += 1
            if offer_next(resource=entry.resource, start=entry.start, end=entry.end):
                offered += 1
    waiting_times = list(
        WaitlistEntry.objects.filter(status=WaitlistStatus.WAITING, start__gt=now)
        .values_list("resource_id", "start", "end")
        .distinct()
        .order_by("start", "resource_id", "end")
    )
    resources = Resource.objects.in_bulk({resource_id for resource_id, _s, _e in waiting_times})
    for resource_id, start, end in waiting_times:
        if offer_next(resource=resources[resource_id], start=start, end=end):
            offered += 1
    return {"expired": expired, "offered": offered}


# --- reads (would live in facilities/selectors.py) ------------------------------------------


def open_waitlist_entries_of(organizations):
    """The entries of ``organizations`` still in line or holding an offer, for a time not yet
    begun, soonest first (マイページ and the bookings list)."""
    return (
        WaitlistEntry.objects.filter(
            organization__in=organizations,
            status__in=OPEN_STATUSES,
            start__gt=timezone.now(),
        )
        .select_related("organization", "resource")
        .order_by("start", "pk")
    )


def waitlist_entries_visible_to(user):
    """Entries of the organizations ``user`` belongs to (all for staff)."""
    qs = WaitlistEntry.objects.select_related("organization", "resource", "booking")
    if is_center_staff(user):
        return qs
    if not user.is_authenticated:
        return qs.none()
    return qs.filter(organization__memberships__user=user).distinct()
