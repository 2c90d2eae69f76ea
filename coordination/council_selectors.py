"""Reads of the council's pages. The public reads listed meetings, their public materials and
their published minutes only (``public_*``); members and staff read everything."""

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone

from coordination.enums import MinutesStatus
from coordination.models import CouncilMember, Material, Meeting, Minutes


def current_members(*, on: dt.date):
    """Members whose term covers ``on`` and whose account still holds the council role."""
    from accounts.roles import Role

    return (
        CouncilMember.objects.filter(term_start__lte=on, term_end__gte=on)
        .filter(user__is_active=True, user__groups__name=Role.COUNCIL_MEMBER)
        .select_related("user")
        .order_by("category", "pk")
    )


def _public_materials():
    return Material.objects.filter(is_public=True).order_by("uploaded_at", "pk")


def public_meetings():
    return Meeting.objects.filter(is_public=True)


def public_upcoming(now=None):
    now = now or timezone.now()
    return public_meetings().filter(ends_at__gte=now).order_by("starts_at", "pk")


def public_past(now=None):
    now = now or timezone.now()
    return (
        public_meetings()
        .filter(ends_at__lt=now)
        .select_related("minutes")
        .order_by("-starts_at", "-pk")
    )


def public_meeting(pk):
    return (
        public_meetings()
        .prefetch_related(Prefetch("materials", queryset=_public_materials(), to_attr="shown"))
        .filter(pk=pk)
        .first()
    )


def published_minutes(meeting):
    return Minutes.objects.filter(meeting=meeting, status=MinutesStatus.PUBLISHED).first()


def material(pk):
    return Material.objects.select_related("meeting").filter(pk=pk).first()


def member_meetings():
    return Meeting.objects.select_related("minutes").order_by("-starts_at", "-pk")


def member_meeting(pk):
    return (
        Meeting.objects.select_related("minutes")
        .prefetch_related(
            Prefetch(
                "materials",
                queryset=Material.objects.order_by("uploaded_at", "pk"),
                to_attr="shown",
            )
        )
        .filter(pk=pk)
        .first()
    )


def minutes_comments(minutes):
    return minutes.comments.select_related("author")


def visible_minutes_for_members(meeting):
    """Members read the minutes once staff send them for their check (not the staff's draft)."""
    minutes = minutes_or_none(meeting)
    if minutes is None or minutes.status == MinutesStatus.DRAFT:
        return None
    return minutes


def _has_minutes(meeting) -> bool:
    try:
        meeting.minutes  # noqa: B018 -- select_related'd
    except Minutes.DoesNotExist:
        return False
    return True


def minutes_or_none(meeting):
    return meeting.minutes if _has_minutes(meeting) else None


def meetings_for_feed(now=None):
    """Listed meetings from a year back on, for the iCal feed."""
    now = now or timezone.now()
    return (
        public_meetings()
        .filter(Q(starts_at__gte=now - dt.timedelta(days=365)))
        .order_by("starts_at", "pk")
    )
