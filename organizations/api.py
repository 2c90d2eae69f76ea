"""The public directory in the read-only API: exactly what the directory pages show — listed,
valid organizations, and of their details only those each chose to publish."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from api.base import PublicReadOnlyViewSet
from organizations import selectors
from organizations.enums import OrganizationType
from organizations.models import ActivityField, Organization
from organizations.views.public import published_details


class ActivityFieldSerializer(serializers.ModelSerializer):
    class Meta:
        model = ActivityField
        fields = ["number", "name", "name_en"]


class OrganizationSerializer(serializers.ModelSerializer):
    org_type = serializers.ChoiceField(choices=OrganizationType.choices)
    activity_fields = ActivityFieldSerializer(many=True, read_only=True)
    details = serializers.SerializerMethodField(
        help_text="The details the organization chose to publish, by field name."
    )
    url = serializers.SerializerMethodField(help_text="The organization's directory page.")

    class Meta:
        model = Organization
        fields = [
            "id",
            "name",
            "name_kana",
            "org_type",
            "purpose",
            "activities",
            "activity_fields",
            "details",
            "url",
        ]

    def get_details(self, organization) -> dict[str, str]:
        return {item["name"]: str(item["value"]) for item in published_details(organization)}

    def get_url(self, organization) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("organizations:directory_detail", kwargs={"pk": organization.pk})
        )


class DirectoryFilter(serializers.Serializer):
    q = serializers.CharField(
        required=False, allow_blank=True, max_length=100, help_text="Name, kana-insensitive."
    )
    field = serializers.IntegerField(
        required=False, min_value=1, max_value=20, help_text="Activity field number (1–20)."
    )
    # Empty, as an HTML form sends it, means any type.
    org_type = serializers.ChoiceField(
        choices=OrganizationType.choices, required=False, allow_blank=True
    )


@extend_schema_view(
    list=extend_schema(
        summary="Registered organizations in the public directory",
        parameters=[DirectoryFilter],
    ),
    retrieve=extend_schema(summary="One organization of the public directory"),
)
class OrganizationViewSet(PublicReadOnlyViewSet):
    serializer_class = OrganizationSerializer

    def get_queryset(self):
        if self.action != "list":
            return selectors.directory()
        # A wrong filter is a 400 that says which, not a silently wider list.
        filters = DirectoryFilter(data=self.request.query_params)
        filters.is_valid(raise_exception=True)
        return selectors.directory(
            query=filters.validated_data.get("q", ""),
            field=filters.validated_data.get("field"),
            org_type=filters.validated_data.get("org_type", ""),
        )
