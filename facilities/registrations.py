"""What facilities add to other apps' registries: navigation and マイページ."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home

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


def _staff_work(request):
    import datetime as dt

    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    from accounts.rules import is_center_staff
    from facilities.enums import BookingStatus
    from facilities.models import Booking

    if not is_center_staff(request.user):
        return None
    now = timezone.now()
    today = timezone.localdate()
    day_start = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    counts = Booking.objects.filter(end__gt=now).aggregate(
        tentative=Count("pk", filter=Q(status=BookingStatus.TENTATIVE)),
        today=Count(
            "pk",
            filter=Q(start__lt=day_start + dt.timedelta(days=1))
            & ~Q(status=BookingStatus.CANCELLED),
        ),
    )
    return [
        WorkLine(
            _("Provisional bookings to approve"),
            counts["tentative"],
            reverse("facilities_staff:booking_list") + f"?status={BookingStatus.TENTATIVE}",
        ),
        WorkLine(
            _("Bookings still to come today"), counts["today"], reverse("facilities_staff:counter")
        ),
    ]


register_staff_home(
    StaffHomeProvider(key="facilities", title=_("Room booking"), lines=_staff_work, order=30)
)


def _api():
    from api.registry import register_endpoint
    from facilities.api import ResourceViewSet

    register_endpoint("resources", ResourceViewSet, "resource")


_api()


def _opendata():
    from kyodo.opendata import OpenDataSet, register_dataset

    register_dataset(
        OpenDataSet(
            key="public_facilities",
            title=_("List of public facilities (公共施設一覧)"),
            description=_(
                "The center's rooms: name, address, phone, the days and hours they can be "
                "used, closures, capacity and the page to book them."
            ),
            url_name="facilities:opendata_public_facilities",
            order=20,
        )
    )


_opendata()
