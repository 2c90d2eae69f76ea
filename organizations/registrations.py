"""What this app adds to the others' registries (navigation, マイページ, documents, demo)."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.documents import register_document_kind
from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home
from organizations.certificates import CERTIFICATE_KIND, certificate_context


def _mypage_context(request):
    from accounts.rules import is_center_staff
    from organizations.acting import acting_organization
    from organizations.selectors import invitations_waiting_for, request_memberships

    memberships = request_memberships(request)
    invitations = list(invitations_waiting_for(request.user))
    # Center staff register no organization of their own on their マイページ (they review the
    # applications in the section above); the section shows only what they belong to.
    staff = is_center_staff(request.user)
    if staff and not memberships and not invitations:
        return None
    acting = acting_organization(request)
    return {
        "memberships": memberships,
        "invitations": invitations,
        "acting_for": acting.pk if acting else None,
        "may_register": not staff,
    }


def _staff_context(request):
    from accounts.rules import is_center_staff
    from organizations.selectors import applications_to_review, pending_changes

    if not is_center_staff(request.user):
        return None
    return {
        "applications": applications_to_review().count(),
        "changes": pending_changes().count(),
    }


navigation.register(
    navigation.NavItem(
        key="directory",
        label=_("Group directory"),
        url_name="organizations:directory",
        order=45,
    )
)
register_section(
    MyPageSection(
        key="organizations",
        title=_("My organizations"),
        template="organizations/mypage_section.html",
        context=_mypage_context,
        order=10,
    )
)
register_section(
    MyPageSection(
        key="staff-organizations",
        title=_("Registrations to review"),
        template="organizations/mypage_staff_section.html",
        context=_staff_context,
        order=5,
    )
)
register_document_kind(CERTIFICATE_KIND, certificate_context)


def _seed(stdout):
    from organizations.demo import seed_organizations

    return seed_organizations(stdout)


register_seeder(10, "organizations", _seed)


def _staff_work(request):
    from django.urls import reverse

    from accounts.rules import is_center_staff
    from organizations.enums import ApplicationStatus, ChangeStatus
    from organizations.models import Application, ProfileChange

    if not is_center_staff(request.user):
        return None
    url = reverse("organizations:review_list")
    return [
        WorkLine(
            _("Registrations and renewals to review"),
            Application.objects.filter(status=ApplicationStatus.SUBMITTED).count(),
            url,
        ),
        WorkLine(
            _("Changes of details to approve"),
            ProfileChange.objects.filter(status=ChangeStatus.PENDING).count(),
            url,
        ),
    ]


register_staff_home(
    StaffHomeProvider(
        key="organizations", title=_("Registered organizations"), lines=_staff_work, order=10
    )
)


def _api():
    from api.registry import register_endpoint
    from organizations.api import OrganizationViewSet

    register_endpoint("organizations", OrganizationViewSet, "organization")


_api()
