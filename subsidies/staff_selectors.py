"""Reads of the staff's subsidy pages (center staff only; the views ask the rule)."""

from django.db.models import Count, Q, Sum

from subsidies.enums import ApplicationStatus
from subsidies.models import Application, Programme


def programmes_with_counts():
    """Every programme with its applications counted by status and its sums (one query)."""
    by_status = {
        f"n_{status}": Count("applications", filter=Q(applications__status=status))
        for status in ApplicationStatus.values
    }
    return Programme.objects.annotate(
        **by_status,
        requested_total=Sum(
            "applications__requested_amount",
            filter=~Q(applications__status__in=["draft", "withdrawn"]),
        ),
        granted_total=Sum(
            "applications__decision__amount",
            filter=Q(applications__status=ApplicationStatus.GRANTED),
        ),
    ).order_by("-fiscal_year")


def programme_applications(programme, *, status=""):
    applications = (
        Application.objects.filter(programme=programme)
        .select_related("organization", "programme", "decision", "advance")
        .order_by("number", "pk")
    )
    if status in ApplicationStatus.values:
        applications = applications.filter(status=status)
    return applications
