"""What events add to other apps' registries: navigation, the home page and demo data."""

from django.utils.translation import gettext_lazy as _

from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.home import HomeSection, register_home_section

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


def _seed(stdout):
    from events.demo import seed_events

    return seed_events(stdout)


register_seeder(40, "events", _seed)
