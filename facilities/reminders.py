"""E-mails about a booking: the confirmation with its 利用承認書, and the reminder the day before.

Both go through kyodo's outbox (kyodo.mail): the mails are rows written in the transaction that
confirms the booking (or claims the reminder), sent by a worker after the commit. The
confirmation's rows carry the letter (a GeneratedDocument) as their attachment: the worker that
sends the mail renders the letter first if the render task has not yet (kyodo.services'
document_render claims the document with a lease, so it is rendered once), and a mail whose
letter another worker is rendering waits for it. Broker down, a worker killed, the database
gone mid-task: the rows stay, and beat's outbox sweep sends them later.
"""

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from facilities.documents import (
    approval_letter_issue,
    series_approval_letter_issue,
    series_held_bookings,
)
from facilities.enums import BookingStatus
from facilities.models import Booking, Series
from facilities.services import cancel_last_day
from kyodo.dates import wareki_until
from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, mail_enqueue, outbox_send
from kyodo.money import yen
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
        (gettext_lazy("Fee (tax included)"), _fee(booking)),
    ]


def _fee(booking) -> str:
    if booking.discount_name and booking.charged != booking.list_price:
        charged, listed = yen(booking.charged), yen(booking.list_price)
        return f"{charged} ({booking.discount_name}: {listed} → {charged})"
    return yen(booking.charged)


class _DateLine:
    """A series date's fee and last day to cancel, worded when the mail is rendered, i.e.
    in the recipient's language (kyodo.mail renders inside translation.override)."""

    def __init__(self, booking):
        self.booking = booking

    def __str__(self):
        return gettext("%(fee)s — cancel %(until)s") % {
            "fee": _fee(self.booking),
            "until": wareki_until(cancel_last_day(self.booking)),
        }


def _letter_url(booking) -> str:
    return absolute_url(reverse("facilities_feeds:approval_letter", args=[booking.pk]))


def booking_confirmation_send(*, booking) -> int:
    """Tell the organization's managers that ``booking`` is confirmed, with the 利用承認書
    attached. Returns the number of mails put in the outbox.

    Called inside the transaction that confirms the booking, so the mails exist exactly when the
    confirmation does; confirmation_sent_at is claimed with a conditional update, so a second
    call (a re-confirmation, a retried request) queues nothing. Side effects: the letter
    (GeneratedDocument, rendered after the commit), one outbox mail per manager."""
    if booking.status != BookingStatus.CONFIRMED or booking.organization_id is None:
        return 0
    with transaction.atomic():
        claimed = Booking.objects.filter(
            pk=booking.pk, status=BookingStatus.CONFIRMED, confirmation_sent_at=None
        ).update(confirmation_sent_at=timezone.now())
        if not claimed:
            return 0  # announced already
        letter = approval_letter_issue(booking=booking)
        paragraphs = [
            gettext_lazy("Your booking is confirmed."),
            gettext_lazy("The approval letter is attached. Please show it at the reception."),
        ]
        sent = 0
        for user in managers_of(booking.organization):
            mail_enqueue(
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
                attachment=letter,
            )
            sent += 1
    return sent


def series_confirmation_send(*, series) -> int:
    """One mail per manager for a whole series: every confirmed date listed, one 利用承認書
    covering them attached. Returns the number of mails put in the outbox.

    Called inside the transaction that books the series (facilities.series), so the mails
    exist exactly when the bookings do. The series is claimed first (confirmation_sent_at), so
    a second call queues nothing; its confirmed bookings are marked announced too, so no
    per-date confirmation follows. Dates still 仮予約 are confirmed by staff one by one and
    announced then. Side effects: the letter (GeneratedDocument, rendered after the commit),
    one outbox mail per manager carrying it."""
    with transaction.atomic():
        now = timezone.now()
        if not Series.objects.filter(pk=series.pk, confirmation_sent_at=None).update(
            confirmation_sent_at=now
        ):
            return 0
        confirmed = series.bookings.filter(
            status=BookingStatus.CONFIRMED, confirmation_sent_at=None
        )
        if not confirmed.update(confirmation_sent_at=now):
            return 0
        bookings = series_held_bookings(series)
        letter = series_approval_letter_issue(series=series)
        first = bookings[0]
        letter_url = absolute_url(reverse("facilities_series:series_letter", args=[series.pk]))
        sent = 0
        for user in managers_of(series.organization):
            mail_enqueue(
                to=user.email,
                template="notice",
                user=user,
                purpose="facilities.series_confirmed",
                context={
                    "subject": gettext_lazy("Your recurring booking is confirmed"),
                    "paragraphs": [
                        gettext_lazy(
                            "Your recurring booking is confirmed for the dates below, each with "
                            "its fee and the last day to cancel it."
                        ),
                        gettext_lazy(
                            "One approval letter covering every date is attached. Please show "
                            "it at the reception."
                        ),
                    ],
                    "facts": [
                        (gettext_lazy("Organization"), series.organization.name),
                        (gettext_lazy("Facility"), series.resource.name),
                        (gettext_lazy("Rule"), series.description),
                        (gettext_lazy("Purpose"), first.purpose),
                        (
                            gettext_lazy("Fee in total (tax included)"),
                            yen(sum(booking.charged for booking in bookings)),
                        ),
                        *[(_when(booking), _DateLine(booking)) for booking in bookings],
                    ],
                    "action_url": letter_url,
                    "action_label": gettext_lazy("Download the approval letter"),
                },
                attachment=letter,
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

    Each booking is claimed with a conditional update of reminded_at in the same transaction
    that puts its mails in the outbox, so a second sweep, a parallel one, or a redelivered task
    skips it, and a worker that dies after the commit leaves rows the outbox sweep sends. The
    sweep then sends its rows itself (it is a worker already); a failed send stays in the
    outbox and is tried again. Side effects: reminded_at, one outbox mail per manager."""
    now = now or timezone.now()
    reminded = 0
    for booking in _due_for_reminder(now):
        with transaction.atomic():
            claimed = Booking.objects.filter(
                pk=booking.pk, reminded_at=None, status=BookingStatus.CONFIRMED
            ).update(reminded_at=now)
            if not claimed:
                continue
            rows = [
                mail_enqueue(
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
                    publish=False,
                )
                for user in managers_of(booking.organization)
            ]
        for row in rows:
            outbox_send(outbox_id=row.pk)
        reminded += 1
    return reminded
