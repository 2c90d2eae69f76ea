"""Reads of the kyodo app."""

import datetime as dt

from django.utils import timezone

from kyodo.dates import center_day, center_days
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
