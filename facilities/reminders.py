"""E-mails about a booking: the confirmation with its 利用承認書, and the reminder the day before.

Why the confirmation task renders the letter itself: rendering is normally the job of kyodo's
render task, queued after the commit, and the mail must carry the finished PDF. Rather than
chain two tasks (or poll until the document is ready), the confirmation task issues the letter
and, if it is still pending, renders it in-process with kyodo's own document_render — the
same service the render task calls. document_render acts only on a pending document and
stores the file with a compare-and-set, so when the queued render task runs too, whichever
finishes first keeps its file and the other stores nothing. The letter stays downloadable
from the GeneratedDocument, and the mail never waits on another worker.
"""

import datetime as dt
import logging

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from facilities.documents import approval_letter_issue
from facilities.enums import BookingStatus
from facilities.models import Booking
from kyodo.documents import document_context
from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, send_mail
from kyodo.models import DocumentStatus
from kyodo.services import document_render
from organizations.selectors import managers_of

logger = logging.getLogger(__name__)


def _when(booking) -> str:
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    return f"{start:%Y-%m-%d %H:%M}–{end:%H:%M}"


def _facts(booking) -> list:
    return [
        (gettext_lazy("Organization"), booking.organization.name),
        (gettext_lazy("Facility"), localized_lazy(booking.resource)),
        (gettext_lazy("When"), _when(booking)),
        (gettext_lazy("Purpose"), booking.purpose),
    ]


def _letter_url(booking) -> str:
    return absolute_url(reverse("facilities_feeds:approval_letter", args=[booking.pk]))


def _letter_bytes(booking) -> tuple[str, bytes] | None:
    """(file name, PDF) of the booking's 利用承認書, issued and rendered if need be; None when
    rendering failed (the document says why; staff can retry it in the admin)."""
    document = approval_letter_issue(booking=booking)
    if document.status == DocumentStatus.PENDING:
        document = document_render(document=document, context=document_context(document))
    if document.status != DocumentStatus.READY or not document.file:
        logger.error("Approval letter of booking %s is %s", booking.pk, document.status)
        return None
    with document.file.open("rb") as handle:
        return document.filename, handle.read()


def booking_confirmation_send(*, booking) -> int:
    """Tell the organization's managers that ``booking`` is confirmed, with the 利用承認書
    attached (a link instead when the PDF could not be made). Returns the number of mails.

    Only a booking still confirmed is announced (it may have been cancelled before the task
    ran). A failed send is recorded in SentMail and not raised: the booking stands, and the
    letter can be downloaded from マイページ. Side effects: the letter (GeneratedDocument and
    file), one mail per manager."""
    if booking.status != BookingStatus.CONFIRMED or booking.organization_id is None:
        return 0
    claimed = Booking.objects.filter(
        pk=booking.pk, status=BookingStatus.CONFIRMED, confirmation_sent_at=None
    ).update(confirmation_sent_at=timezone.now())
    if not claimed:
        return 0  # announced already (a redelivered task, or a second confirmation)
    letter = _letter_bytes(booking)
    attachments = [(letter[0], letter[1], "application/pdf")] if letter else []
    paragraphs = [
        gettext_lazy("Your booking is confirmed."),
        gettext_lazy("The approval letter is attached. Please show it at the reception.")
        if letter
        else gettext_lazy("You can download the approval letter from the link below."),
    ]
    sent = 0
    for user in managers_of(booking.organization):
        send_mail(
            to=user.email,
            template="notice",
            user=user,
            purpose="facilities.booking_confirmed",
            context={
                "subject": gettext_lazy("Your booking is confirmed"),
                "paragraphs": paragraphs,
                "facts": _facts(booking),
                "action_url": _letter_url(booking),
                "action_label": gettext_lazy("Download the approval letter"),
            },
            attachments=attachments,
            fail_silently=True,
        )
        sent += 1
    return sent


def _due_for_reminder(now: dt.datetime):
    """Confirmed bookings of organizations, not reminded, starting from ``now`` to the end of
    tomorrow (Tokyo). The lower bound is ``now`` rather than tomorrow's midnight so that a
    sweep run late (broker down at 18:00, caught up after midnight) still reminds of the
    bookings that have not begun."""
    tomorrow = timezone.localtime(now).date() + dt.timedelta(days=1)
    until = timezone.make_aware(dt.datetime.combine(tomorrow + dt.timedelta(days=1), dt.time.min))
    return (
        Booking.objects.filter(
            status=BookingStatus.CONFIRMED,
            organization__isnull=False,
            reminded_at__isnull=True,
            start__gte=now,
            start__lt=until,
        )
        .select_related("resource", "organization")
        .order_by("start", "pk")
    )


def booking_reminders_send(*, now: dt.datetime | None = None) -> int:
    """Mail the managers of each confirmed booking starting tomorrow, once. Returns how many
    bookings were reminded.

    Each booking is claimed with a conditional update of reminded_at BEFORE its mails go out,
    so a second sweep, a parallel one, or a redelivered task skips it; a failed send gives
    the claim back for the next sweep. A worker that dies between the claim and the send
    loses that one reminder rather than risk sending it twice. Side effects: reminded_at, one
    mail per manager."""
    now = now or timezone.now()
    reminded = 0
    for booking in _due_for_reminder(now):
        claimed = Booking.objects.filter(
            pk=booking.pk, reminded_at=None, status=BookingStatus.CONFIRMED
        ).update(reminded_at=now)
        if not claimed:
            continue
        try:
            for user in managers_of(booking.organization):
                send_mail(
                    to=user.email,
                    template="notice",
                    user=user,
                    purpose="facilities.booking_reminder",
                    context={
                        "subject": gettext_lazy("Reminder: your booking tomorrow"),
                        "paragraphs": [
                            gettext_lazy(
                                "This is a reminder of your organization's booking. If you no "
                                "longer need it, please cancel it from My page so that others "
                                "can use it."
                            )
                        ],
                        "facts": _facts(booking),
                        "action_url": _letter_url(booking),
                        "action_label": gettext_lazy("Download the approval letter"),
                    },
                )
        except Exception:
            logger.exception("Reminder of booking %s failed; the next sweep retries", booking.pk)
            Booking.objects.filter(pk=booking.pk, reminded_at=now).update(reminded_at=None)
            continue
        reminded += 1
    return reminded
