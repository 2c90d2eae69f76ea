"""What proposals add to other apps' registries: navigation, マイページ (the organization's
proposals; a reviewer's work), the organization's 360 page and the demo data."""

from django.utils.translation import gettext_lazy as _

from accounts.mypage import MyPageSection, register_section
from accounts.rules import register_mfa_requirement
from kyodo import navigation
from kyodo.demo import register_seeder
from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home
from organizations.sections import StaffSection, register_staff_section

navigation.register(
    navigation.NavItem(
        key="proposals", label=_("Collaboration proposals"), url_name="proposals:index", order=50
    )
)

SECTION_LIMIT = 20


def _my_proposals(request):
    from organizations.selectors import request_memberships
    from proposals.models import Proposal

    organization_ids = [m.organization_id for m in request_memberships(request)]
    if not organization_ids:
        return None
    proposals = list(
        Proposal.objects.filter(organization_id__in=organization_ids)
        .select_related("round", "organization")
        .order_by("-round__fiscal_year", "-pk")[:SECTION_LIMIT]
    )
    return {"proposals": proposals} if proposals else None


def _my_reviews(request):
    from proposals.selectors import chaired_rounds, opinions_to_give, stages_for_reviewer

    stages = list(stages_for_reviewer(request.user)[:SECTION_LIMIT])
    opinions = list(opinions_to_give(request.user)[:SECTION_LIMIT])
    chaired = list(chaired_rounds(request.user)[:SECTION_LIMIT])
    if not (stages or opinions or chaired):
        return None
    return {"stages": stages, "opinions": opinions, "chaired": chaired}


def _staff_link(request):
    from proposals.rules import can_manage_proposals

    return {} if can_manage_proposals(request.user) else None


def _organization_proposals(organization, request):
    from proposals.selectors import proposals_of_organization

    return {"proposals": list(proposals_of_organization(organization)[:50])}


register_section(
    MyPageSection(
        key="proposals",
        title=_("Collaboration proposals"),
        template="proposals/mypage_section.html",
        context=_my_proposals,
        order=25,
    )
)
register_section(
    MyPageSection(
        key="proposal-reviews",
        title=_("Proposals to review"),
        template="proposals/mypage_review_section.html",
        context=_my_reviews,
        order=5,
    )
)
register_section(
    MyPageSection(
        key="staff-proposals",
        title=_("Collaboration proposals"),
        template="proposals/mypage_staff_section.html",
        context=_staff_link,
        order=7,
    )
)
register_staff_section(
    StaffSection(
        key="proposals",
        title=_("Collaboration proposals"),
        template="proposals/organization_section.html",
        context=_organization_proposals,
        order=30,
    )
)


def _seed(stdout):
    from proposals.demo import seed_proposals

    return seed_proposals(stdout)


register_seeder(40, "proposals", _seed)


def _chairs_a_review(user) -> bool:
    """The chair of a call's review sees every reviewer's scores: two-factor log-in too."""
    from proposals.models import Round

    return Round.objects.filter(chair=user).exists()


register_mfa_requirement(_chairs_a_review)


def _staff_work(request):
    from django.urls import reverse

    from proposals.enums import ProposalStatus
    from proposals.models import Decision, Proposal
    from proposals.rules import can_manage_proposals

    if not can_manage_proposals(request.user):
        return None
    url = reverse("proposals_staff:rounds")
    return [
        WorkLine(
            _("Submitted proposals to check"),
            Proposal.objects.filter(status=ProposalStatus.SUBMITTED).count(),
            url,
        ),
        WorkLine(
            _("Decisions prepared and not yet released"),
            Decision.objects.filter(released_at__isnull=True).count(),
            url,
        ),
    ]


register_staff_home(
    StaffHomeProvider(
        key="proposals", title=_("Collaboration proposals"), lines=_staff_work, order=50
    )
)


def _api():
    from api.registry import register_endpoint
    from proposals.api import AdoptedProposalViewSet

    register_endpoint("adopted-proposals", AdoptedProposalViewSet, "adopted-proposal")


_api()
