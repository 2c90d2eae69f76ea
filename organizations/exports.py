"""The staff's CSV of organizations, shared by the staff list and the admin action."""

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kyodo.exports import csv_download


def organization_csv_header() -> list[str]:
    return [
        _("Registration number"),
        _("Organization name"),
        _("Furigana"),
        pgettext("organization", "Type"),
        _("Status"),
        _("Valid until"),
        _("Representative"),
        _("Phone"),
        _("E-mail"),
        _("Activity fields"),
    ]


def organization_csv_rows(organizations):
    """One row per organization; ``organizations`` is a queryset (activity fields are
    prefetched here, so the export runs a constant number of queries)."""
    for organization in organizations.prefetch_related("activity_fields"):
        yield [
            organization.registration_number or "",
            organization.name,
            organization.name_kana,
            organization.get_org_type_display(),
            organization.get_status_display(),
            f"{organization.valid_until:%Y-%m-%d}" if organization.valid_until else "",
            organization.representative_name,
            organization.phone,
            organization.email,
            "、".join(field.display_name for field in organization.activity_fields.all()),
        ]


def organization_csv_response(organizations) -> HttpResponse:
    response, write = csv_download(f"organizations-{timezone.localdate():%Y%m%d}.csv")
    write(organization_csv_header())
    for row in organization_csv_rows(organizations):
        write(row)
    return response
