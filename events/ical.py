"""Events as iCalendar: one event's sessions (its .ics) and the public feed of all events."""

import icalendar
from django.utils import timezone

from kyodo.localized import localized
from kyodo.mail import absolute_url


def _location(session, center) -> str:
    if session.resource_id:
        return (
            f"{center.display_name} {session.resource.display_name} "
            f"〒{center.postal_code} {localized(center, 'address')}"
        ).strip()
    return f"{localized(session, 'place')} {session.address}".strip()


def sessions_ics(sessions, *, name: str) -> bytes:
    """``sessions`` (with event and resource) as an iCalendar document named ``name``."""
    from kyodo.selectors import center_profile

    center = center_profile()
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//kyodo//events//JA")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Asia/Tokyo")
    stamp = timezone.now()
    for session in sessions:
        item = icalendar.Event()
        item.add("uid", f"event-session-{session.pk}@kyodo")
        item.add("dtstamp", stamp)
        item.add("dtstart", timezone.localtime(session.start))
        item.add("dtend", timezone.localtime(session.end))
        item.add("summary", session.event.display_name)
        item.add("location", _location(session, center))
        item.add("url", absolute_url(session.event.get_absolute_url()))
        item.add("status", "CANCELLED" if session.is_cancelled else "CONFIRMED")
        calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
