"""Reads of the events app. The public sees published events only; staff see all (the staff
selectors take the staff check from the view's rules)."""

import calendar
import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, Q, Sum
from django.utils import timezone

from events.enums import SEAT_HOLDING
from events.models import Event, Session


def _with_seats(events):
    return events.annotate(
        seats_taken=Sum("applications__seats", filter=Q(applications__status__in=SEAT_HOLDING))
    )


def _sessions_prefetch():
    return Prefetch(
        "sessions",
        queryset=Session.objects.filter(is_cancelled=False).select_related("resource"),
        to_attr="active_sessions",
    )


def published_events():
    return _with_seats(
        Event.objects.filter(is_published=True, first_day__isnull=False)
        .select_related("cohost_organization")
        .prefetch_related(_sessions_prefetch())
    )


def upcoming_events(*, kind: str | None = None, today: dt.date | None = None):
    """Events whose last day is today or later, soonest first."""
    today = today or timezone.localdate()
    events = published_events().filter(last_day__gte=today).order_by("first_day", "pk")
    return events.filter(kind=kind) if kind else events


def past_events(*, kind: str | None = None, today: dt.date | None = None):
    """The archive: events that are over, latest first."""
    today = today or timezone.localdate()
    events = published_events().filter(last_day__lt=today).order_by("-last_day", "-pk")
    return events.filter(kind=kind) if kind else events


def event_for_public(pk: int) -> Event:
    """A published event with its sessions (cancelled ones too, marked). Raises
    Event.DoesNotExist for an unpublished one: outsiders get 404."""
    return (
        _with_seats(Event.objects.filter(is_published=True))
        .select_related("cohost_organization")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("resource"),
                to_attr="all_sessions",
            )
        )
        .get(pk=pk)
    )


@dataclass
class CalendarDay:
    date: dt.date
    in_month: bool
    sessions: list


def month_calendar(month: dt.date, *, kind: str | None = None) -> list[list[CalendarDay]]:
    """The weeks (Monday first) of ``month``, each day with the sessions of published events
    held on it: one query for the whole month."""
    weeks = calendar.Calendar(firstweekday=0).monthdatescalendar(month.year, month.month)
    first, last = weeks[0][0], weeks[-1][-1]
    sessions = (
        Session.objects.filter(
            event__is_published=True, is_cancelled=False, date__range=(first, last)
        )
        .select_related("event", "resource")
        .order_by("date", "starts", "pk")
    )
    if kind:
        sessions = sessions.filter(event__kind=kind)
    by_day: dict[dt.date, list] = {}
    for session in sessions:
        by_day.setdefault(session.date, []).append(session)
    return [
        [CalendarDay(day, day.month == month.month, by_day.get(day, [])) for day in week]
        for week in weeks
    ]


def feed_sessions(*, since: dt.date):
    """Every session of a published event from ``since`` on, for the public iCal feed."""
    return (
        Session.objects.filter(event__is_published=True, date__gte=since)
        .select_related("event", "resource")
        .order_by("date", "starts", "pk")
    )


def staff_events(*, kind: str | None = None, show: str = "upcoming"):
    """Every event, published or not, for the staff list."""
    events = _with_seats(Event.objects.select_related("cohost_organization")).prefetch_related(
        _sessions_prefetch()
    )
    today = timezone.localdate()
    if show == "past":
        events = events.filter(last_day__lt=today).order_by("-last_day", "-pk")
    elif show == "upcoming":
        events = events.exclude(last_day__lt=today).order_by("first_day", "pk")
    else:
        events = events.order_by("-pk")
    return events.filter(kind=kind) if kind else events


def staff_event(pk: int) -> Event:
    return (
        Event.objects.select_related("cohost_organization", "created_by")
        .prefetch_related(
            Prefetch(
                "sessions",
                queryset=Session.objects.select_related("resource", "room_hold"),
                to_attr="all_sessions",
            )
        )
        .get(pk=pk)
    )


def application_by_token(token: str):
    """The applicant's own application, by the secret of their link, with what the page
    shows. Raises Application.DoesNotExist for an unknown token."""
    from events.models import Answer, Application

    application = (
        Application.objects.select_related("event", "organization", "user")
        .prefetch_related(
            Prefetch(
                "event__sessions",
                queryset=Session.objects.select_related("resource"),
                to_attr="all_sessions",
            ),
            Prefetch(
                "answers",
                queryset=Answer.objects.select_related("question").order_by(
                    "question__order", "question__pk"
                ),
            ),
        )
        .get(token=token)
    )
    from kyodo.questions import display_value

    application.shown_answers = [
        (answer.question, display_value(answer.question, answer.value))
        for answer in application.answers.all()
    ]
    return application


def applications_of_user(user):
    """A person's own applications and those of the groups they belong to, newest first."""
    from django.db.models import Q

    from events.models import Application

    return (
        Application.objects.filter(Q(user=user) | Q(organization__memberships__user=user))
        .distinct()
        .select_related("event", "organization")
        .order_by("-created_at", "-pk")
    )


def applications_of_organization(organization):
    from events.models import Application

    return (
        Application.objects.filter(organization=organization)
        .select_related("event")
        .order_by("-created_at", "-pk")
    )


def staff_applications(event, *, status: str | None = None):
    from events.models import Application

    applications = Application.objects.filter(event=event).select_related("organization", "user")
    if status:
        applications = applications.filter(status=status)
    return applications.order_by("created_at", "pk")


def open_data_events():
    """Every published event with a session, oldest first (the open data set)."""
    return (
        Event.objects.filter(is_published=True, first_day__isnull=False)
        .select_related("cohost_organization")
        .prefetch_related(_sessions_prefetch())
        .order_by("first_day", "pk")
    )
