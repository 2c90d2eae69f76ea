"""What events add to other apps' registries: navigation, the home page and demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.home import HomeSection, register_home_section
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
