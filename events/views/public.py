"""Public pages of the catalogue: anyone may look; only published events exist here."""

import datetime as dt

from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from events import ical, opendata, selectors
from events.enums import EventKind
from events.forms import EventFilterForm
from events.models import Event
from kyodo.bounds import parse_date
from kyodo.exports import csv_download

PAGE_SIZE = 20
# The public feed: what is coming, and the last month for those who look back.
FEED_PAST_DAYS = 31


def _kind(request) -> str:
    kind = request.GET.get("kind", "")
    return kind if kind in EventKind.values else ""


def _listing(request, events, *, archive: bool):
    kind = _kind(request)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/event_list.html",
        {
            "page_obj": page,
            "events": page.object_list,
            "archive": archive,
            "filter_form": EventFilterForm(initial={"kind": kind}),
            "kind": kind,
        },
    )


def event_list(request):
    """Upcoming events, soonest first (?kind=, ?page=)."""
    return _listing(request, selectors.upcoming_events(kind=_kind(request)), archive=False)


def event_archive(request):
    """Past events stay visible as an archive, latest first."""
    return _listing(request, selectors.past_events(kind=_kind(request)), archive=True)


def _month(request) -> dt.date:
    today = timezone.localdate()
    value = request.GET.get("month", "")
    day = parse_date(f"{value}-01", None) if len(value) == 7 else None
    return (day or today).replace(day=1)


def event_calendar(request):
    """A month of sessions (?month=YYYY-MM, ?kind=)."""
    month = _month(request)
    kind = _kind(request)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    weeks = selectors.month_calendar(month, kind=kind or None)
    return render(
        request,
        "events/event_calendar.html",
        {
            "month": month,
            "weeks": weeks,
            "weekdays": [day.date for day in weeks[0]],
            "previous": previous,
            "following": following,
            "filter_form": EventFilterForm(initial={"kind": kind}),
            "kind": kind,
        },
    )


def _event_or_404(pk) -> Event:
    try:
        return selectors.event_for_public(pk)
    except Event.DoesNotExist:
        raise Http404 from None


def event_detail(request, pk):
    event = _event_or_404(pk)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "sessions": event.all_sessions,
            "today": timezone.localdate(),
            "is_open": event.applications_are_open(),
        },
    )


def _ics_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def event_ics(request, pk):
    """The event's sessions for a calendar application."""
    event = _event_or_404(pk)
    for session in event.all_sessions:
        session.event = event
    return _ics_response(
        ical.sessions_ics(event.all_sessions, name=event.display_name), f"event-{event.pk}.ics"
    )


def feed(request):
    """The public iCal feed of every published event (a calendar subscribes to it)."""
    since = timezone.localdate() - dt.timedelta(days=FEED_PAST_DAYS)
    content = ical.sessions_ics(selectors.feed_sessions(since=since), name=_("Courses & events"))
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    return response


def open_data(request):
    """「イベント一覧」 at a stable URL: every published event, one row each."""
    response, write = csv_download("event-list.csv")
    write(opendata.HEADER)
    for row in opendata.rows(selectors.open_data_events()):
        write(row)
    return response
