"""What the subsidy adds to other apps' registries: navigation, マイページ (the organization's
applications), the organization's 360 page and the demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home
from organizations.sections import StaffSection, register_staff_section

navigation.register(
    navigation.NavItem(key="subsidies", label=_("Subsidies"), url_name="subsidies:index", order=60)
)

SECTION_LIMIT = 20


def _my_applications(request):
    from subsidies.selectors import applications_of_user

    applications = list(applications_of_user(request.user)[:SECTION_LIMIT])
    return {"applications": applications} if applications else None


def _organization_applications(organization, request):
    from subsidies.selectors import applications_of_organization

    return {"applications": list(applications_of_organization(organization)[:50])}


register_section(
    MyPageSection(
        key="subsidies",
        title=_("Subsidy applications"),
        template="subsidies/mypage_section.html",
        context=_my_applications,
        order=26,
    )
)


def _staff_link(request):
    from subsidies.rules import can_manage_subsidies

    return {} if can_manage_subsidies(request.user) else None


register_section(
    MyPageSection(
        key="staff-subsidies",
        title=_("Subsidies"),
        template="subsidies/mypage_staff_section.html",
        context=_staff_link,
        order=8,
    )
)
register_staff_section(
    StaffSection(
        key="subsidies",
        title=_("Subsidy applications"),
        template="subsidies/organization_section.html",
        context=_organization_applications,
        order=31,
    )
)


def _seed(stdout):
    from subsidies.demo import seed_subsidies

    return seed_subsidies(stdout)


register_seeder(45, "subsidies", _seed)


def _staff_work(request):
    from django.urls import reverse

    from subsidies.enums import ApplicationStatus
    from subsidies.models import AdvancePayment, Application
    from subsidies.rules import can_manage_subsidies

    if not can_manage_subsidies(request.user):
        return None
    url = reverse("subsidies_staff:programmes")
    return [
        WorkLine(
            _("Subsidy applications waiting for a decision"),
            Application.objects.filter(
                status=ApplicationStatus.SUBMITTED, decision__isnull=True
            ).count(),
            url,
        ),
        WorkLine(
            _("Advance payments requested and not yet paid"),
            AdvancePayment.objects.filter(paid_on__isnull=True).count(),
            url,
        ),
    ]


register_staff_home(
    StaffHomeProvider(key="subsidies", title=_("Subsidies"), lines=_staff_work, order=60)
)
