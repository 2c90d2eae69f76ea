"""The staff's CSV of organizations, shared by the staff list and the admin action."""

import csv

from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Excel opens a CSV as Shift_JIS unless it starts with a byte order mark.
BOM = "\ufeff"

# A cell starting with one of these is run as a formula by spreadsheet programs; the values
# come from applicants, so such a cell is written as text (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(_FORMULA_STARTS) else text


def organization_csv_header() -> list[str]:
    return [
        _("Registration number"),
        _("Organization name"),
        _("Furigana"),
        _("Type"),
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
    language = get_language() or "ja"
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
            "、".join(field.label(language) for field in organization.activity_fields.all()),
        ]


def write_organization_csv(organizations, out) -> None:
    """Write the BOM, the header in the current language and the rows to ``out``."""
    out.write(BOM)
    writer = csv.writer(out)  # "\r\n" line ends, as Excel expects
    writer.writerow(organization_csv_header())
    for row in organization_csv_rows(organizations):
        writer.writerow([_cell(value) for value in row])


def organization_csv_response(organizations) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"organizations-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_organization_csv(organizations, response)
    return response
