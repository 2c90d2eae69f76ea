"""What evaluations add to other apps' registries: navigation, マイページ (the evaluations a
person takes part in; staff's link) and the demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from kyodo import navigation
from kyodo.demo import register_seeder

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
