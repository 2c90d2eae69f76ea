"""What consultations add to other apps' registries: navigation, マイページ, the organization's
360 page and the demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home
from organizations.sections import StaffSection, register_staff_section

navigation.register(
    navigation.NavItem(
        key="consultations", label=_("Consultation"), url_name="consultations:ask", order=10
    )
)


def _my_cases(request):
    from consultations.selectors import cases_of_asker

    cases = list(cases_of_asker(request.user)[:20])
    return {"cases": cases} if cases else None


def _staff_dashboard_link(request):
    from consultations.rules import can_handle_cases
    from consultations.selectors import followups_due_for

    if not can_handle_cases(request.user):
        return None
    return {"followups_due": followups_due_for(request.user).count()}


def _organization_cases(organization, request):
    from consultations.selectors import organization_cases

    return {"cases": list(organization_cases(organization)[:50])}


register_section(
    MyPageSection(
        key="consultations",
        title=_("My consultations"),
        template="consultations/mypage_section.html",
        context=_my_cases,
        order=20,
    )
)
register_section(
    MyPageSection(
        key="staff-consultations",
        title=_("Consultations"),
        template="consultations/mypage_staff_section.html",
        context=_staff_dashboard_link,
        order=6,
    )
)
register_staff_section(
    StaffSection(
        key="consultations",
        title=_("Consultations"),
        template="consultations/organization_section.html",
        context=_organization_cases,
        order=20,
    )
)


def _seed(stdout):
    from consultations.demo import seed_consultations

    return seed_consultations(stdout)


register_seeder(20, "consultations", _seed)


def _staff_work(request):
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone

    from consultations.enums import CaseStatus, Channel
    from consultations.models import Case, FollowUp
    from consultations.rules import can_handle_cases

    if not can_handle_cases(request.user):
        return None
    today = timezone.localdate()
    followups = FollowUp.objects.filter(
        assignee=request.user, done_at__isnull=True, due_on__lte=today
    ).aggregate(
        overdue=Count("pk", filter=Q(due_on__lt=today)),
        today=Count("pk", filter=Q(due_on=today)),
    )
    url = reverse("consultations:dashboard")
    return [
        WorkLine(
            _("Online requests not yet taken up"),
            Case.objects.filter(channel=Channel.ONLINE, status=CaseStatus.RECEIVED).count(),
            url,
        ),
        WorkLine(_("My follow-ups due today"), followups["today"], url),
        WorkLine(
            _("My follow-ups overdue"), followups["overdue"], url, urgent=bool(followups["overdue"])
        ),
    ]


register_staff_home(
    StaffHomeProvider(key="consultations", title=_("Consultation"), lines=_staff_work, order=20)
)
