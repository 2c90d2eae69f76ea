"""Adopted collaboration proposals in the read-only API: what the calls' public results pages
show, once the decisions are released — never a draft, a rejected proposal or a score."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from api.base import PublicReadOnlyViewSet
from proposals import selectors
from proposals.enums import ProposalKind, ProposalStatus
from proposals.models import Proposal


class AdoptedProposalSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True, help_text="Fiscal year and number.")
    fiscal_year = serializers.IntegerField(
        source="round.fiscal_year", read_only=True, help_text="The call's fiscal year (年度)."
    )
    kind = serializers.ChoiceField(choices=ProposalKind.choices)
    status = serializers.ChoiceField(
        choices=[
            (ProposalStatus.ADOPTED, ProposalStatus.ADOPTED.label),
            (ProposalStatus.ADOPTED_WITH_CONDITIONS, ProposalStatus.ADOPTED_WITH_CONDITIONS.label),
        ]
    )
    organization = serializers.CharField(source="organization.name", read_only=True)
    theme = serializers.SerializerMethodField()
    theme_en = serializers.SerializerMethodField()
    results_url = serializers.SerializerMethodField(help_text="The call's results page.")

    class Meta:
        model = Proposal
        fields = [
            "id",
            "reference",
            "fiscal_year",
            "title",
            "kind",
            "status",
            "organization",
            "theme",
            "theme_en",
            "results_url",
        ]

    def get_theme(self, proposal) -> str:
        return proposal.theme.title if proposal.theme else ""

    def get_theme_en(self, proposal) -> str:
        return proposal.theme.title_en if proposal.theme else ""

    def get_results_url(self, proposal) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("proposals:results", kwargs={"pk": proposal.round_id})
        )


class AdoptedFilter(serializers.Serializer):
    fiscal_year = serializers.IntegerField(
        required=False, min_value=2000, max_value=2199, help_text="The call's fiscal year."
    )


@extend_schema_view(
    list=extend_schema(summary="Adopted collaboration proposals", parameters=[AdoptedFilter]),
    retrieve=extend_schema(summary="One adopted collaboration proposal"),
)
class AdoptedProposalViewSet(PublicReadOnlyViewSet):
    serializer_class = AdoptedProposalSerializer

    def get_queryset(self):
        if self.action != "list":
            return selectors.adopted_proposals()
        filters = AdoptedFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.adopted_proposals(fiscal_year=filters.validated_data.get("fiscal_year"))
