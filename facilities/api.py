"""Rooms and equipment in the read-only API, with their free/busy times: when a resource is
taken, never by whom or for what."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import (
    extend_schema,
    extend_schema_field,
    extend_schema_view,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from api.base import PublicReadOnlyViewSet
from facilities import selectors
from facilities.enums import ResourceKind
from facilities.models import Resource
from kyodo.bounds import EARLIEST_DATE, LATEST_DATE

MAX_DAYS = 92


class ResourceSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=ResourceKind.choices)
    part_of = serializers.PrimaryKeyRelatedField(
        source="parent",
        read_only=True,
        allow_null=True,
        help_text="The room this one is a part of, if any.",
    )
    url = serializers.SerializerMethodField(help_text="The resource's page.")

    class Meta:
        model = Resource
        fields = ["id", "name", "name_en", "kind", "capacity", "part_of", "description", "url"]

    def get_url(self, resource) -> str:
        return self.context["request"].build_absolute_uri(
            reverse("facilities:resource_detail", kwargs={"pk": resource.pk})
        )


@extend_schema_field(
    {
        "type": "string",
        "format": "date",
        # The years the portal holds (kyodo.bounds): 1900–2199.
        "pattern": "^(19[0-9]{2}|2[01][0-9]{2})-[0-9]{2}-[0-9]{2}$",
    }
)
class PortalDateField(serializers.DateField):
    pass


class BusyFilter(serializers.Serializer):
    start = PortalDateField(
        required=False, help_text="First day (YYYY-MM-DD, Tokyo time); default today."
    )
    days = serializers.IntegerField(
        required=False, min_value=1, max_value=MAX_DAYS, default=7, help_text="How many days."
    )

    def validate_start(self, value):
        if not EARLIEST_DATE <= value <= LATEST_DATE:
            raise serializers.ValidationError("Outside the dates the portal holds.")
        return value


BusySerializer = inline_serializer(
    "Busy",
    {
        "resource": serializers.IntegerField(),
        "start": serializers.DateField(),
        "days": serializers.IntegerField(),
        "busy": inline_serializer(
            "BusyInterval",
            {"start": serializers.DateTimeField(), "end": serializers.DateTimeField()},
            many=True,
        ),
    },
)


@extend_schema_view(
    list=extend_schema(summary="Rooms, equipment and printers that can be booked"),
    retrieve=extend_schema(summary="One room, piece of equipment or printer"),
)
class ResourceViewSet(PublicReadOnlyViewSet):
    serializer_class = ResourceSerializer
    pagination_class = None  # a handful of rows

    def get_queryset(self):
        return selectors.active_resources()

    @extend_schema(
        summary="When the resource is taken (free/busy), never by whom",
        parameters=[BusyFilter],
        responses=BusySerializer,
    )
    @action(detail=True, methods=["get"])
    def busy(self, request, pk=None):
        resource = self.get_object()
        filters = BusyFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        start = filters.validated_data.get("start") or timezone.localdate()
        days = filters.validated_data["days"]
        if start + dt.timedelta(days=days) > LATEST_DATE:
            raise serializers.ValidationError({"days": "Past the dates the portal holds."})
        return Response(
            {
                "resource": resource.pk,
                "start": start.isoformat(),
                "days": days,
                "busy": [
                    {
                        "start": timezone.localtime(begins).isoformat(),
                        "end": timezone.localtime(ends).isoformat(),
                    }
                    for begins, ends in selectors.busy_intervals(resource, start, days)
                ],
            }
        )
