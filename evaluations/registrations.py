"""What evaluations add to other apps' registries: navigation, マイページ (the evaluations a
person takes part in; staff's link) and the demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home

navigation.register(
    navigation.NavItem(
        key="evaluations",
        label=_("Project evaluations"),
        url_name="evaluations:index",
        order=55,
    )
)

SECTION_LIMIT = 20


def _my_evaluations(request):
    from evaluations.selectors import evaluations_visible_to

    if not request.user.is_authenticated:
        return None
    evaluations = list(
        evaluations_visible_to(request.user).order_by("-project_year__fiscal_year", "pk")[
            :SECTION_LIMIT
        ]
    )
    return {"evaluations": evaluations} if evaluations else None


def _staff_link(request):
    from evaluations.rules import can_manage_evaluations

    return {} if can_manage_evaluations(request.user) else None


register_section(
    MyPageSection(
        key="evaluations",
        title=_("Project evaluations"),
        template="evaluations/mypage_section.html",
        context=_my_evaluations,
        order=26,
    )
)
register_section(
    MyPageSection(
        key="staff-evaluations",
        title=_("Project evaluations"),
        template="evaluations/mypage_staff_section.html",
        context=_staff_link,
        order=8,
    )
)


def _seed(stdout):
    from evaluations.demo import seed_evaluations

    return seed_evaluations(stdout)


register_seeder(50, "evaluations", _seed)


def _verdict_source(project_year) -> str:
    """The proposals pillar asks where a year's verdict is given: with its evaluation, once
    one is started for that year (then never typed on the project page)."""
    from django.urls import reverse

    from evaluations.models import Evaluation

    evaluation = Evaluation.objects.filter(project_year=project_year).only("pk").first()
    if evaluation is None:
        return ""
    return reverse("evaluations_staff:detail", kwargs={"pk": evaluation.pk})


def _register_verdict_source():
    from proposals.projects import register_verdict_source

    register_verdict_source(_verdict_source)


_register_verdict_source()


def _staff_work(request):
    from django.db.models import Count, Q
    from django.urls import reverse

    from evaluations.enums import Status, TargetSheetStatus
    from evaluations.models import Evaluation
    from evaluations.rules import can_manage_evaluations

    if not can_manage_evaluations(request.user):
        return None
    counts = Evaluation.objects.aggregate(
        targets=Count(
            "pk", filter=Q(status=Status.TARGETS, targets__status=TargetSheetStatus.DRAFT)
        ),
        verdict=Count("pk", filter=Q(status=Status.COUNCIL)),
    )
    url = reverse("evaluations_staff:index")
    return [
        WorkLine(_("Evaluation targets being agreed"), counts["targets"], url),
        WorkLine(_("Evaluations at the council's turn (verdict to give)"), counts["verdict"], url),
    ]


register_staff_home(
    StaffHomeProvider(
        key="evaluations", title=_("Project evaluations"), lines=_staff_work, order=55
    )
)
