"""The figures per 年度 the center reports to the ward: events held, sessions, applications
and participants, by kind. Counted in SQL (one query per figure), whatever the number of rows."""

from django.db.models import Count, Q, Sum

from events.enums import EventKind
from events.models import Application, Event, Session
from kyodo.dates import fiscal_year_range


def year_figures(year: int) -> list[dict]:
    """One row per kind and a total: events held (a session in the 年度), sessions held,
    applications received and participants (confirmed seats)."""
    start, end = fiscal_year_range(year)
    held = Session.objects.filter(is_cancelled=False, date__range=(start, end))
    events = dict(
        held.values("event__kind")
        .annotate(n=Count("event", distinct=True))
        .values_list("event__kind", "n")
    )
    sessions = dict(
        held.values("event__kind").annotate(n=Count("pk")).values_list("event__kind", "n")
    )
    event_ids = Event.objects.filter(sessions__in=held).values("pk")
    applications = Application.objects.filter(event__in=event_ids)
    received = dict(
        applications.values("event__kind").annotate(n=Count("pk")).values_list("event__kind", "n")
    )
    participants = dict(
        applications.values("event__kind")
        .annotate(n=Sum("seats", filter=Q(status="confirmed")))
        .values_list("event__kind", "n")
    )
    rows = []
    for kind in EventKind:
        rows.append(
            {
                "kind": kind.label,
                "events": events.get(kind.value, 0),
                "sessions": sessions.get(kind.value, 0),
                "applications": received.get(kind.value, 0),
                "participants": participants.get(kind.value) or 0,
            }
        )
    rows.append(
        {
            "kind": None,
            **{
                key: sum(row[key] for row in rows)
                for key in ("events", "sessions", "applications", "participants")
            },
        }
    )
    return rows
