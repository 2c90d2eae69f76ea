"""What events add to other apps' registries: navigation, the home page and demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.home import HomeSection, register_home_section
from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home
from organizations.sections import StaffSection, register_staff_section

navigation.register(
    navigation.NavItem(
        key="events", label=_("Courses & events"), url_name="events:event_list", order=30
    )
)

HOME_LIMIT = 5


def _home_events(request):
    from events.selectors import upcoming_events

    events = list(upcoming_events()[:HOME_LIMIT])
    return {"events": events} if events else None


register_home_section(
    HomeSection(
        key="events",
        title=_("Upcoming courses and events"),
        template="events/home_section.html",
        context=_home_events,
        order=20,
    )
)


SECTION_LIMIT = 20


def _my_applications(request):
    from events.selectors import applications_of_user

    applications = list(applications_of_user(request.user)[:SECTION_LIMIT])
    return {"applications": applications} if applications else None


register_section(
    MyPageSection(
        key="events",
        title=_("Courses & events"),
        template="events/mypage_section.html",
        context=_my_applications,
        order=25,
    )
)


def _organization_events(organization, request):
    from events.models import Event
    from events.selectors import applications_of_organization

    return {
        "applications": list(applications_of_organization(organization)[:SECTION_LIMIT]),
        "cohosted": list(
            Event.objects.filter(cohost_organization=organization).order_by("-first_day")[
                :SECTION_LIMIT
            ]
        ),
    }


register_staff_section(
    StaffSection(
        key="events",
        title=_("Courses & events"),
        template="events/organization_section.html",
        context=_organization_events,
        order=25,
    )
)


def _seed(stdout):
    from events.demo import seed_events

    return seed_events(stdout)


register_seeder(40, "events", _seed)


# --- the staff home, the open-data page and the newsletter (other floors' registries) ---------


def _staff_work(request):
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    from events.enums import ApplicationStatus
    from events.models import Application, Session
    from events.rules import can_manage_events

    if not can_manage_events(request.user):
        return None
    url = reverse("events_staff:event_list")
    counts = Application.objects.aggregate(
        pending=Count("pk", filter=Q(status=ApplicationStatus.PENDING))
    )
    return [
        WorkLine(_("Applications waiting for approval"), counts["pending"], url),
        WorkLine(
            _("Event sessions today"),
            Session.objects.filter(date=timezone.localdate(), is_cancelled=False).count(),
            url,
        ),
    ]


register_staff_home(
    StaffHomeProvider(key="events", title=_("Courses & events"), lines=_staff_work, order=40)
)


def _opendata():
    from kyodo.opendata import OpenDataSet, register_dataset

    register_dataset(
        OpenDataSet(
            key="event_list",
            title=_("List of events (イベント一覧)"),
            description=_(
                "The center's courses, events and fairs: dates and times, place, fee, "
                "capacity, how and until when to apply, and each event's page."
            ),
            url_name="events:open_data",
            order=10,
        )
    )


_opendata()


def _upcoming_events_block(since) -> str:
    """The newsletter's block of courses and events still open (the publications pillar's
    registry; rendered when staff save an issue)."""
    from django.template.loader import render_to_string

    from events.selectors import upcoming_events
    from kyodo.mail import absolute_url

    events = list(upcoming_events()[:HOME_LIMIT])
    if not events:
        return ""
    links = [(event.title, absolute_url(event.get_absolute_url())) for event in events]
    return render_to_string(
        "publications/newsletter_block.html",
        {"title": _("Upcoming courses and events"), "links": links},
    )


def _newsletter():
    from django.apps import apps

    if not apps.is_installed("publications"):
        return
    from publications.blocks import NewsletterBlock, register_block

    register_block(
        NewsletterBlock(
            key="events",
            title=_("Upcoming courses and events"),
            render=_upcoming_events_block,
            order=20,
        )
    )


_newsletter()
