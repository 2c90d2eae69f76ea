"""The private iCal feed of an organization's bookings.

The feed's URL holds a random 256-bit token (secrets.token_urlsafe(32)) kept in the database:
nobody can guess it or derive one from another, and revoking the row closes the URL at once,
which a signature alone (no row) could not do. Calendar applications fetch it without a
session, so the token is the only key; a manager hands it to their calendar and revokes it
when it leaks or someone leaves.
"""

import datetime as dt
import secrets

import icalendar
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from facilities.enums import HOLDING_STATUSES, BookingStatus
from facilities.models import Booking, CalendarFeed
from kyodo.localized import localized
from kyodo.mail import absolute_url

FEED_PAST_DAYS = 30
# Used bookings stay in the calendar after check-in; cancelled ones drop out of it.
FEED_STATUSES = (*HOLDING_STATUSES, BookingStatus.USED)


@transaction.atomic
def feed_create(*, organization, by) -> CalendarFeed:
    """A new feed with a fresh secret token. Side effects: the CalendarFeed row."""
    return CalendarFeed.objects.create(
        organization=organization, token=secrets.token_urlsafe(32), created_by=by
    )


@transaction.atomic
def feed_revoke(*, feed: CalendarFeed, by) -> CalendarFeed:
    """Close the feed's URL for good (a revoked feed is never reopened: make a new one).
    Side effects: revoked_at and revoked_by (a repeat keeps the first)."""
    CalendarFeed.objects.filter(pk=feed.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by
    )
    feed.refresh_from_db()
    return feed


def active_feeds(organization):
    return CalendarFeed.objects.filter(organization=organization, revoked_at__isnull=True)


def feed_url(feed: CalendarFeed) -> str:
    """The absolute URL a calendar application subscribes to."""
    return absolute_url(reverse("facilities_feeds:feed", args=[feed.token]))


def feed_ics(feed: CalendarFeed) -> bytes:
    """The organization's bookings from FEED_PAST_DAYS ago on, as an iCalendar document."""
    from kyodo.selectors import center_profile

    center = center_profile()
    location = (
        f"{center.display_name} 〒{center.postal_code} {localized(center, 'address')}".strip()
    )
    organization = feed.organization
    bookings = (
        Booking.objects.filter(
            organization=organization,
            status__in=FEED_STATUSES,
            end__gte=timezone.now() - dt.timedelta(days=FEED_PAST_DAYS),
        )
        .select_related("resource")
        .order_by("start", "pk")
    )
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//kyodo//facilities//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{organization.name} 施設予約")
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    stamp = timezone.now()
    for booking in bookings:
        event = icalendar.Event()
        event.add("uid", f"booking-{booking.pk}@kyodo")
        event.add("dtstamp", stamp)
        # localtime() gives Asia/Tokyo datetimes: written with TZID and a VTIMEZONE.
        event.add("dtstart", timezone.localtime(booking.start))
        event.add("dtend", timezone.localtime(booking.end))
        event.add("summary", booking.resource.display_name)
        event.add("location", location)
        event.add("description", booking.purpose)
        event.add(
            "status", "TENTATIVE" if booking.status == BookingStatus.TENTATIVE else "CONFIRMED"
        )
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
