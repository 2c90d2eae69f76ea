"""Reads of the kyodo app."""

import datetime as dt

from django.utils import timezone
from django.utils.translation import get_language

from kyodo.cache import cached_public
from kyodo.dates import calendar_rows, center_day, center_days
from kyodo.models import (
    AnnualClosure,
    CenterProfile,
    DocumentStatus,
    GeneratedDocument,
    OpeningHours,
)


def center_profile() -> CenterProfile:
    """The center's contact details (the data migration creates the row)."""
    profile = CenterProfile.objects.first()
    if profile is None:  # deleted in the admin: show nothing rather than crash every page
        profile = CenterProfile(name="協働ステーション中央")
    return profile


def opening_hours() -> list[OpeningHours]:
    return list(OpeningHours.objects.order_by("weekday"))


def annual_closures() -> list[AnnualClosure]:
    return list(AnnualClosure.objects.all())


def today_status():
    return center_day(timezone.localdate())


def upcoming_days(days: int = 7):
    today = timezone.localdate()
    return center_days(today, today + dt.timedelta(days=days - 1))


CALENDAR = "calendar"  # kyodo.cache's name for values made from the calendar's rows


def home_calendar() -> dict:
    """The home page's today, next seven days, weekly hours and annual closures, from one
    reading of the calendar's rows (issue 16: the home page read them three times), kept in
    the cache per day and language until staff change a calendar row (kyodo.signals)."""
    today = timezone.localdate()
    return cached_public(
        CALENDAR, f"home:{today.isoformat()}:{get_language()}", lambda: _home_calendar(today)
    )


def _home_calendar(today) -> dict:
    end = today + dt.timedelta(days=6)
    rows = calendar_rows(today, end)
    week = center_days(today, end, rows=rows)
    return {
        "today": week[0],
        "week": week,
        "opening_hours": sorted(rows.hours.values(), key=lambda hours: hours.weekday),
        "annual_closures": rows.annual,
    }


def current_guide(language: str) -> GeneratedDocument | None:
    """The ready guide in ``language`` made from the center's data as it is now, if any."""
    from kyodo.documents import GUIDE_KIND, guide_digest

    return GeneratedDocument.objects.filter(
        kind=GUIDE_KIND,
        language=language,
        status=DocumentStatus.READY,
        source_digest=guide_digest(language),
    ).first()


# Kinds of document anyone may download; other documents go to their requester and staff.
PUBLIC_DOCUMENT_KINDS = {"guide"}


def documents_visible_to(user):
    from django.db.models import Q

    from accounts.rules import is_center_staff

    documents = GeneratedDocument.objects.all()
    if is_center_staff(user):
        return documents
    visible = Q(kind__in=PUBLIC_DOCUMENT_KINDS)
    if user.is_authenticated:
        visible |= Q(requested_by=user)
    return documents.filter(visible)
