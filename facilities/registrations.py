"""What facilities add to other apps' registries: navigation and マイページ."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder

navigation.register(
    navigation.NavItem(
        key="facilities", label=_("Room booking"), url_name="facilities:resource_list", order=20
    )
)

SECTION_LIMIT = 20


def _my_bookings(request):
    from facilities.selectors import bookings_of_organizations, can_book_for
    from facilities.waitlist import open_waitlist_entries_of
    from organizations.selectors import request_memberships

    memberships = request_memberships(request)
    organizations = [m.organization for m in memberships]
    if not organizations:
        return None
    return {
        "upcoming": list(bookings_of_organizations(organizations, upcoming=True)[:SECTION_LIMIT]),
        "past": list(bookings_of_organizations(organizations, upcoming=False)[:SECTION_LIMIT]),
        "waiting": list(open_waitlist_entries_of(organizations)[:SECTION_LIMIT]),
        # Who may leave a line: a manager of a group that may book (rules.can_book).
        "can_leave": can_book_for(request.user, memberships),
    }


register_section(
    MyPageSection(
        key="facilities",
        title=_("Bookings"),
        template="facilities/mypage_section.html",
        context=_my_bookings,
        order=15,
    )
)


def _seed(stdout):
    from facilities.demo import seed_facilities

    return seed_facilities(stdout)


register_seeder(30, "facilities", _seed)
