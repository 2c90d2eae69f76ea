"""Applications, the waitlist and its offers, cancellation, approval and session reminders.

Seats: the seats of pending, confirmed and offered applications never add up to more than the
event's capacity. Every write that takes or frees seats runs under a lock of the event's row
(SELECT … FOR UPDATE; SQLite serialises write transactions anyway), so the last seat goes to
one applicant only. The waitlist is first come, first offered: a freed seat is offered to the
first in line (a group's offer holds its N seats) for the event's ``offer_hours``; the beat
sweep passes unclaimed offers on, claiming each with a conditional update so that a second run
finds nothing. Every mail is an outbox row written in the same transaction (kyodo.mail).
"""

import datetime as dt
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.enums import (
    APPLICATION_TRANSITIONS,
    SEAT_HOLDING,
    ApplicationStatus,
)
from events.models import Answer, Application, ApplicationEvent, Event, Session, SessionReminder
from events.services import EventError
from kyodo.dates import wareki_until
from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, queue_notice
from kyodo.workflow import transition


def _lock(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def seats_taken(event: Event) -> int:
    return (
        Application.objects.filter(event=event, status__in=SEAT_HOLDING).aggregate(n=Sum("seats"))[
            "n"
        ]
        or 0
    )


def seats_left(event: Event) -> int:
    return max(event.capacity - seats_taken(event), 0)


def cancel_deadline(event: Event) -> dt.datetime | None:
    """The first moment an applicant may no longer cancel online: the start of the day
    ``cancel_days_before`` days before the first session (Tokyo time); None without sessions."""
    first = (
        Session.objects.filter(event=event, is_cancelled=False).order_by("date", "starts").first()
    )
    if first is None:
        return None
    day = first.date - dt.timedelta(days=event.cancel_days_before - 1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _move(application, to, *, by, reason="", **extra) -> Application:
    return transition(
        instance=application,
        to=to,
        transitions=APPLICATION_TRANSITIONS,
        history_model=ApplicationEvent,
        history_fk="application",
        by=by,
        reason=reason,
        extra_fields=extra or None,
    )


def _notify(application, *, purpose, subject, paragraphs, facts=()):
    recipient = application.user if application.user_id else application.email
    queue_notice(
        [recipient],
        purpose=purpose,
        subject=subject,
        paragraphs=paragraphs,
        facts=[
            (gettext_lazy("Event"), localized_lazy(application.event, "title")),
            (gettext_lazy("Seats"), str(application.seats)),
            *facts,
        ],
        action_url=absolute_url(application.get_absolute_url()),
        action_label=gettext_lazy("Your application"),
    )


_RECEIVED = {
    ApplicationStatus.CONFIRMED: (
        gettext_lazy("Your application is confirmed"),
        gettext_lazy(
            "Thank you for applying. Your seats are reserved; we look forward to seeing you."
        ),
    ),
    ApplicationStatus.PENDING: (
        gettext_lazy("We received your application"),
        gettext_lazy(
            "Thank you for applying. The center checks each application of this event and "
            "tells you by e-mail when it is confirmed."
        ),
    ),
    ApplicationStatus.WAITLISTED: (
        gettext_lazy("You are on the waitlist"),
        gettext_lazy(
            "The event is full, so you are on the waitlist. When a seat frees, we offer it to "
            "those waiting in the order they applied, by e-mail."
        ),
    ),
}


@transaction.atomic
def application_create(
    *,
    event: Event,
    name: str,
    name_kana: str,
    email: str,
    phone: str = "",
    seats: int = 1,
    user=None,
    organization=None,
    answers=(),
    now: dt.datetime | None = None,
) -> Application:
    """Apply for ``event`` (every session of it). Confirmed when seats are left and nobody is
    waiting (pending when the event needs approval), else on the waitlist.

    Side effects: the Application, its first ApplicationEvent, its Answer rows, a mail to the
    applicant. Raises EventError outside the application window, for more seats than the
    event has, or when the person or group already applied."""
    now = now or timezone.now()
    event = _lock(event)
    if not event.applications_are_open(now):
        raise EventError(_("Applications for this event are not open."))
    if seats < 1 or seats > event.capacity:
        raise EventError(
            _("Apply for 1 to %(n)d seats.") % {"n": event.capacity},
        )
    waiting = Application.objects.filter(event=event, status=ApplicationStatus.WAITLISTED).exists()
    if not waiting and seats <= event.capacity - seats_taken(event):
        status = ApplicationStatus.PENDING if event.needs_approval else ApplicationStatus.CONFIRMED
    else:
        status = ApplicationStatus.WAITLISTED
    try:
        with transaction.atomic():
            application = Application.objects.create(
                event=event,
                user=user,
                organization=organization,
                name=name.strip(),
                name_kana=name_kana.strip(),
                email=email.strip().lower(),
                phone=phone.strip(),
                seats=seats,
                status=status,
                token=secrets.token_urlsafe(32),
                consent_at=now,
            )
    except IntegrityError:
        raise EventError(
            _("You have already applied for this event: see your application.")
        ) from None
    ApplicationEvent.objects.create(application=application, new_status=status, changed_by=user)
    Answer.objects.bulk_create(
        [Answer(application=application, question=q, value=v) for q, v in answers]
    )
    subject, paragraph = _RECEIVED[status]
    _notify(
        application,
        purpose="events.application_received",
        subject=subject,
        paragraphs=[paragraph],
    )
    return application


def _offer_next(event: Event, *, now: dt.datetime) -> list[Application]:
    """Offer freed seats to the first in line, as long as their seats fit (the event is
    locked by the caller). Side effects: each offered application moved, a mail each."""
    offered = []
    free = event.capacity - seats_taken(event)
    for waiting in Application.objects.filter(
        event=event, status=ApplicationStatus.WAITLISTED
    ).order_by("created_at", "pk"):
        if waiting.seats > free:
            break  # first come, first offered: nobody jumps the queue
        expires = now + dt.timedelta(hours=event.offer_hours)
        _move(
            waiting,
            ApplicationStatus.OFFERED,
            by=None,
            offered_at=now,
            offer_expires_at=expires,
        )
        _notify(
            waiting,
            purpose="events.offer",
            subject=gettext_lazy("A seat is free for you"),
            paragraphs=[
                gettext_lazy(
                    "A seat of the event you are waiting for is free and held for you. Take it "
                    "on your application page before the time below; after it, the seat goes "
                    "to the next in line."
                )
            ],
            facts=[(gettext_lazy("Held until"), f"{timezone.localtime(expires):%Y-%m-%d %H:%M}")],
        )
        free -= waiting.seats
        offered.append(waiting)
    return offered


@transaction.atomic
def offer_next(*, event: Event, now: dt.datetime | None = None) -> list[Application]:
    """Offer the free seats of ``event`` to the waitlist (see _offer_next)."""
    return _offer_next(_lock(event), now=now or timezone.now())


@transaction.atomic
def application_cancel(
    *, application: Application, by, staff: bool = False, now: dt.datetime | None = None
) -> Application:
    """取消 by the applicant until the event's cancel deadline, by staff at any time.
    Side effects: an ApplicationEvent, a mail; the freed seats offered to the waitlist."""
    now = now or timezone.now()
    event = _lock(application.event)
    application.refresh_from_db()
    deadline = cancel_deadline(event)
    if not staff and deadline is not None and now >= deadline:
        raise EventError(
            _("Cancelling online was possible %(until)s. Contact the center.")
            % {"until": wareki_until(timezone.localtime(deadline).date() - dt.timedelta(days=1))}
        )
    held = application.status in SEAT_HOLDING
    _move(application, ApplicationStatus.CANCELLED, by=by)
    _notify(
        application,
        purpose="events.application_cancelled",
        subject=gettext_lazy("Your application is cancelled"),
        paragraphs=[gettext_lazy("Your application was cancelled. You may apply again.")],
    )
    if held:
        _offer_next(event, now=now)
    return application


@transaction.atomic
def application_approve(*, application: Application, by) -> Application:
    """Staff approve a pending application. Side effects: an ApplicationEvent, a mail."""
    _lock(application.event)
    application.refresh_from_db()
    _move(application, ApplicationStatus.CONFIRMED, by=by)
    subject, paragraph = _RECEIVED[ApplicationStatus.CONFIRMED]
    _notify(
        application, purpose="events.application_approved", subject=subject, paragraphs=[paragraph]
    )
    return application


@transaction.atomic
def application_decline(*, application: Application, by, reason: str) -> Application:
    """Staff decline a pending application with a reason. Side effects: an ApplicationEvent,
    a mail with the reason; the freed seats offered to the waitlist."""
    if not reason.strip():
        raise EventError(_("Write the reason; it is sent to the applicant."))
    event = _lock(application.event)
    application.refresh_from_db()
    _move(application, ApplicationStatus.DECLINED, by=by, reason=reason)
    _notify(
        application,
        purpose="events.application_declined",
        subject=gettext_lazy("Your application was not accepted"),
        paragraphs=[gettext_lazy("The center could not accept your application."), reason],
    )
    _offer_next(event, now=timezone.now())
    return application


@transaction.atomic
def application_promote(*, application: Application, by) -> Application:
    """Staff take someone from the waitlist (in or out of order) while seats are free.
    Side effects: an ApplicationEvent, the confirmation mail."""
    event = _lock(application.event)
    application.refresh_from_db()
    if application.status != ApplicationStatus.WAITLISTED:
        raise EventError(_("Only an application on the waitlist can be promoted."))
    if application.seats > event.capacity - seats_taken(event):
        raise EventError(_("No seats are free: raise the capacity or wait for a cancellation."))
    _move(application, ApplicationStatus.CONFIRMED, by=by, reason=_("Promoted by the center"))
    subject, paragraph = _RECEIVED[ApplicationStatus.CONFIRMED]
    _notify(
        application, purpose="events.application_promoted", subject=subject, paragraphs=[paragraph]
    )
    return application


@transaction.atomic
def offer_accept(*, application: Application, by=None, now: dt.datetime | None = None):
    """The applicant takes the seats offered, before the offer expires. Side effects: an
    ApplicationEvent, the confirmation mail."""
    now = now or timezone.now()
    _lock(application.event)
    application.refresh_from_db()
    if application.status != ApplicationStatus.OFFERED or (
        application.offer_expires_at and now >= application.offer_expires_at
    ):
        raise EventError(_("This offer is no longer open."))
    _move(application, ApplicationStatus.CONFIRMED, by=by)
    subject, paragraph = _RECEIVED[ApplicationStatus.CONFIRMED]
    _notify(application, purpose="events.offer_accepted", subject=subject, paragraphs=[paragraph])
    return application


def offers_expire(*, now: dt.datetime | None = None) -> int:
    """The beat sweep: every offer past its time expires and its seats go to the next in line.
    Each offer is claimed with a conditional update, so a second run (or a concurrent one)
    passes none on twice. Returns how many expired."""
    now = now or timezone.now()
    expired = 0
    due = Application.objects.filter(
        status=ApplicationStatus.OFFERED, offer_expires_at__lte=now
    ).values_list("pk", "event_id")
    for pk, event_id in list(due):
        with transaction.atomic():
            event = Event.objects.select_for_update().get(pk=event_id)
            claimed = Application.objects.filter(
                pk=pk, status=ApplicationStatus.OFFERED, offer_expires_at__lte=now
            ).update(status=ApplicationStatus.EXPIRED)
            if not claimed:
                continue
            application = Application.objects.get(pk=pk)
            ApplicationEvent.objects.create(
                application=application,
                old_status=ApplicationStatus.OFFERED,
                new_status=ApplicationStatus.EXPIRED,
            )
            _notify(
                application,
                purpose="events.offer_expired",
                subject=gettext_lazy("The seat offered to you has gone to the next in line"),
                paragraphs=[
                    gettext_lazy(
                        "The seat held for you was not taken in time and is offered to the "
                        "next in line. You may apply again."
                    )
                ],
            )
            _offer_next(event, now=now)
            expired += 1
    return expired


def reminders_send(*, today: dt.date | None = None) -> int:
    """The daily sweep: a reminder to every confirmed applicant of each session held tomorrow.
    A row per application, session and date is made once (unique) and claimed once before its
    mail goes out; a session moved to another date is due again on its new eve. Returns how
    many were sent."""
    today = today or timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    sessions = Session.objects.filter(
        date=tomorrow, is_cancelled=False, event__is_published=True
    ).select_related("event", "resource")
    for session in sessions:
        SessionReminder.objects.bulk_create(
            [
                SessionReminder(application_id=pk, session=session, date=tomorrow)
                for pk in Application.objects.filter(
                    event_id=session.event_id, status=ApplicationStatus.CONFIRMED
                ).values_list("pk", flat=True)
            ],
            ignore_conflicts=True,
        )
    sent = 0
    due = SessionReminder.objects.filter(
        date=tomorrow, sent_at__isnull=True, session__date=tomorrow, session__is_cancelled=False
    ).select_related("application__event", "application__user", "session__resource")
    for reminder in due:
        with transaction.atomic():
            claimed = SessionReminder.objects.filter(pk=reminder.pk, sent_at__isnull=True).update(
                sent_at=timezone.now()
            )
            if not claimed or reminder.application.status != ApplicationStatus.CONFIRMED:
                continue
            session = reminder.session
            _notify(
                reminder.application,
                purpose="events.session_reminder",
                subject=gettext_lazy("Tomorrow: your event"),
                paragraphs=[gettext_lazy("A reminder of tomorrow's session of your event.")],
                facts=[
                    (
                        gettext_lazy("Time"),
                        f"{session.date:%Y-%m-%d} {session.starts:%H:%M}–{session.ends:%H:%M}",
                    ),
                    (gettext_lazy("Place"), session.place_name),
                ],
            )
            sent += 1
    return sent


RETENTION_DAYS = 365


def applications_forget(*, today: dt.date | None = None) -> int:
    """The retention run the consent promises: a year after an event's last day, the personal
    data of its applications goes — name, フリガナ, e-mail, phone, the answers, the earlier
    versions in the history, the mails this pillar sent to the applicant about it (mail log
    and outbox, from the application to the event's end), and the admin log's names. Seats,
    status and dates stay for the figures. A second run finds nothing. Returns how many
    applications were cleared."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Q

    from kyodo.models import OutboxMail, SentMail

    today = today or timezone.localdate()
    limit = today - dt.timedelta(days=RETENTION_DAYS)
    due = Application.objects.filter(
        forgotten_at__isnull=True, event__last_day__lt=limit
    ).select_related("event")
    tokyo = timezone.get_current_timezone()
    content_type = ContentType.objects.get_for_model(Application)
    cleared = 0
    for application in due:
        with transaction.atomic():
            claimed = Application.objects.filter(pk=application.pk, forgotten_at__isnull=True)
            until = dt.datetime.combine(
                application.event.last_day + dt.timedelta(days=1), dt.time.min, tzinfo=tokyo
            )
            if application.email:
                to = Q(to__iexact=application.email, purpose__startswith="events.")
                SentMail.objects.filter(
                    to, sent_at__gte=application.created_at, sent_at__lt=until
                ).delete()
                OutboxMail.objects.filter(
                    to, created_at__gte=application.created_at, created_at__lt=until
                ).delete()
            if not claimed.update(
                forgotten_at=timezone.now(),
                name="",
                name_kana="",
                email=f"forgotten-{application.pk}@example.invalid",
                phone="",
            ):
                continue
            Answer.objects.filter(application_id=application.pk).delete()
            Application.history.filter(id=application.pk).delete()
            LogEntry.objects.filter(
                content_type=content_type, object_id=str(application.pk)
            ).update(object_repr=f"#{application.pk}", change_message="")
            cleared += 1
    return cleared
