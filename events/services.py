"""Writes of the events app. A session in a room of the center holds the room through
facilities.holds (the facilities lock and the exclusion constraint), in the same transaction
as the session: a session and a group's booking can never both have the room."""

import datetime as dt

from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Session
from facilities import holds
from facilities.services import BookingError
from kyodo.exceptions import DomainError


class EventError(DomainError):
    pass


def _aware(date: dt.date, time: dt.time) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, time))


def _hold_purpose(event: Event) -> str:
    return _("Held for the event: %(title)s") % {"title": event.title}


def _refresh_days(event: Event) -> None:
    days = Session.objects.filter(event=event, is_cancelled=False).aggregate(
        first=Min("date"), last=Max("date")
    )
    Event.objects.filter(pk=event.pk).update(first_day=days["first"], last_day=days["last"])
    event.first_day, event.last_day = days["first"], days["last"]


def _check_place(*, resource, place: str) -> None:
    if resource is None and not place.strip():
        raise EventError(_("Choose a room of the center or name the outside place."))
    if resource is not None and place.strip():
        raise EventError(_("A session is either in a room of the center or outside, not both."))


def _hold(*, session: Session, by) -> None:
    try:
        session.room_hold = holds.hold_create(
            resource=session.resource,
            start=session.start,
            end=session.end,
            purpose=_hold_purpose(session.event),
            by=by,
        )
    except BookingError as error:
        raise EventError(
            _("%(room)s cannot be held for this session: %(reason)s")
            % {"room": session.resource.display_name, "reason": error.message}
        ) from None


@transaction.atomic
def session_add(
    *,
    event: Event,
    date: dt.date,
    starts: dt.time,
    ends: dt.time,
    by,
    resource=None,
    place: str = "",
    place_en: str = "",
    address: str = "",
) -> Session:
    """A new session of ``event``. Side effects: in a room of the center, the room held
    (facilities.holds.hold_create: a blocking booking); the event's first and last day.
    Raises EventError when the time is out of order, the place is missing, or the room is
    taken."""
    if starts >= ends:
        raise EventError(_("The end must come after the start."))
    _check_place(resource=resource, place=place)
    session = Session(
        event=event,
        date=date,
        starts=starts,
        ends=ends,
        resource=resource,
        place=place.strip(),
        place_en=place_en.strip(),
        address=address.strip(),
    )
    if resource is not None:
        _hold(session=session, by=by)
    session.save()
    _refresh_days(event)
    return session


@transaction.atomic
def session_change(
    *,
    session: Session,
    date: dt.date,
    starts: dt.time,
    ends: dt.time,
    by,
    resource=None,
    place: str = "",
    place_en: str = "",
    address: str = "",
) -> Session:
    """Move a session to another time or place. Side effects: the room hold moved (same
    room), or released and taken anew (another room or outside); the freed time offered to
    the room's waitlist by facilities; the event's first and last day. Raises EventError
    when the new room is taken (nothing changes then)."""
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    if session.is_cancelled:
        raise EventError(_("A cancelled session cannot be changed."))
    if starts >= ends:
        raise EventError(_("The end must come after the start."))
    _check_place(resource=resource, place=place)
    old_hold = session.room_hold
    session.date, session.starts, session.ends = date, starts, ends
    session.place, session.place_en = place.strip(), place_en.strip()
    session.address = address.strip()
    same_room = (
        resource is not None and old_hold is not None and old_hold.resource_id == resource.pk
    )
    session.resource = resource
    if same_room:
        try:
            session.room_hold = holds.hold_move(
                booking=old_hold, start=session.start, end=session.end, by=by
            )
        except BookingError as error:
            raise EventError(
                _("%(room)s cannot be held for this session: %(reason)s")
                % {"room": resource.display_name, "reason": error.message}
            ) from None
    else:
        if old_hold is not None:
            holds.hold_release(booking=old_hold, by=by, reason=_("The session moved."))
            session.room_hold = None
        if resource is not None:
            _hold(session=session, by=by)
    session.save()
    _refresh_days(session.event)
    return session


@transaction.atomic
def session_cancel(*, session: Session, by) -> Session:
    """Cancel a session (a second call changes nothing). Side effects: the room hold
    released (its time offered to the room's waitlist); the event's first and last day."""
    session = Session.objects.select_for_update().select_related("event").get(pk=session.pk)
    if session.is_cancelled:
        return session
    if session.room_hold is not None:
        holds.hold_release(booking=session.room_hold, by=by, reason=_("The session was cancelled."))
    session.is_cancelled = True
    session.save(update_fields=["is_cancelled"])
    _refresh_days(session.event)
    return session


@transaction.atomic
def event_copy(*, event: Event, weeks: int, by) -> Event:
    """A new, unpublished event from ``event`` (last year's course as a template): its fields,
    its questions, and its sessions ``weeks`` weeks later (rooms held again), the application
    window moved as much. Side effects: the Event, Question and Session rows, the room holds.
    Raises EventError (and copies nothing) when a room is taken on a new date."""
    from events.models import Question

    shift = dt.timedelta(weeks=weeks)
    source = Event.objects.get(pk=event.pk)
    copy = Event.objects.get(pk=event.pk)
    copy.pk = None
    copy.id = None
    copy.is_published = False
    copy.first_day = copy.last_day = None
    copy.applications_open = source.applications_open + shift
    copy.applications_close = source.applications_close + shift
    copy.created_by = by
    copy.save()
    Question.objects.bulk_create(
        [
            Question(
                event=copy,
                text=q.text,
                text_en=q.text_en,
                kind=q.kind,
                choices=q.choices,
                required=q.required,
                order=q.order,
            )
            for q in source.questions.all()
        ]
    )
    for session in source.sessions.filter(is_cancelled=False).select_related("resource"):
        session_add(
            event=copy,
            date=session.date + shift,
            starts=session.starts,
            ends=session.ends,
            resource=session.resource,
            place=session.place,
            place_en=session.place_en,
            address=session.address,
            by=by,
        )
    return copy
