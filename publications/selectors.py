"""Reads of 情報, with who may see what built in: the public sees published news and grant
listings; staff also see drafts, scheduled news and suggestions (so they can preview them)."""

import datetime as dt

from django.db.models import Prefetch, Q
from django.utils import timezone

from organizations.models import ActivityField
from publications.enums import GrantStatus, IssueStatus
from publications.models import GrantListing, Issue, NewsItem
from publications.rules import can_manage_publications

CLOSING_SOON_DAYS = 14
# Long columns a list does not show.
_NEWS_LIST_DEFER = ("body", "search_key")


def _published_news(now: dt.datetime | None = None):
    now = now or timezone.now()
    return NewsItem.objects.filter(publish_at__lte=now).filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now)
    )


def news_list(*, category: str = "", now=None):
    """Published news, pinned first, newest first."""
    items = _published_news(now).defer(*_NEWS_LIST_DEFER)
    if category:
        items = items.filter(category=category)
    return items.order_by("-pinned", "-publish_at", "-pk")


def news_visible_to(user):
    """The items whose page ``user`` may open: published ones; staff also drafts, scheduled
    and expired ones."""
    if can_manage_publications(user):
        return NewsItem.objects.all()
    return _published_news()


def news_for_home(*, latest: int = 5, now=None) -> dict:
    """The pinned items and the latest others, in two queries."""
    published = _published_news(now).defer(*_NEWS_LIST_DEFER)
    pinned = list(published.filter(pinned=True).order_by("-publish_at", "-pk")[:3])
    latest_items = list(published.filter(pinned=False).order_by("-publish_at", "-pk")[:latest])
    return {"pinned": pinned, "latest": latest_items}


def _with_fields(listings):
    return listings.prefetch_related(
        Prefetch("activity_fields", queryset=ActivityField.objects.order_by("number"))
    ).defer("search_key")


def grants_open(*, field: int | None = None, amount: int | None = None, today=None):
    """Published calls whose deadline has not passed, the nearest deadline first. ``amount``:
    only calls that may give at least that much (or do not say)."""
    today = today or timezone.localdate()
    listings = GrantListing.objects.filter(status=GrantStatus.PUBLISHED, deadline__gte=today)
    if field:
        listings = listings.filter(activity_fields__number=field)
    if amount:
        listings = listings.filter(Q(amount_max__isnull=True) | Q(amount_max__gte=amount))
    return _with_fields(listings.order_by("deadline", "pk"))


def grants_archive(*, today=None):
    """Published calls whose deadline has passed, the latest first."""
    today = today or timezone.localdate()
    listings = GrantListing.objects.filter(status=GrantStatus.PUBLISHED, deadline__lt=today)
    return _with_fields(listings.order_by("-deadline", "-pk"))


def grants_visible_to(user):
    if can_manage_publications(user):
        return _with_fields(GrantListing.objects.all())
    return _with_fields(GrantListing.objects.filter(status=GrantStatus.PUBLISHED))


def grant_suggestions():
    """What groups suggested and staff have not checked, the oldest first."""
    return _with_fields(
        GrantListing.objects.filter(status=GrantStatus.SUGGESTED)
        .select_related("suggested_for", "suggested_by")
        .order_by("created_at", "pk")
    )


def mark_closing_soon(listings, *, today=None) -> list:
    """The listings with ``days_left`` and ``closing_soon`` (within CLOSING_SOON_DAYS)."""
    today = today or timezone.localdate()
    listings = list(listings)
    for listing in listings:
        listing.days_left = (listing.deadline - today).days
        listing.closing_soon = 0 <= listing.days_left <= CLOSING_SOON_DAYS
    return listings


def issues_sent():
    """The newsletter's web archive: issues sent (or being sent), the latest first."""
    return Issue.objects.exclude(status=IssueStatus.DRAFT).defer("body").order_by("-number")


def issues_visible_to(user):
    if can_manage_publications(user):
        return Issue.objects.all()
    return Issue.objects.exclude(status=IssueStatus.DRAFT)


def subscriber_counts() -> dict:
    """Subscribers by status and, of the active ones, by topic (one query)."""
    from publications.enums import SubscriberStatus, Topic
    from publications.models import Subscriber

    counts = {status: 0 for status in SubscriberStatus.values}
    by_topic = {topic: 0 for topic in Topic.values}
    for status, topics in Subscriber.objects.values_list("status", "topics"):
        counts[status] += 1
        if status == SubscriberStatus.ACTIVE:
            for topic in topics or []:
                if topic in by_topic:
                    by_topic[topic] += 1
    return {
        "by_status": [(SubscriberStatus(s).label, n) for s, n in counts.items()],
        "by_topic": [(Topic(t).label, n) for t, n in by_topic.items()],
    }
