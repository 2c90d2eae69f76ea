"""The CSV of consultation cases, shared by the staff list and the admin action.

No request text and no notes: an export is not logged as a reading, so it carries only what
lists show (a 要配慮 case's title masked too)."""

from django.utils import timezone
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

from kyodo.exports import csv_download


def case_csv_header() -> list[str]:
    return [
        _("Case number"),
        _("Opened on"),
        _("Closed on"),
        pgettext("consultation", "Title"),
        _("Status"),
        _("Channel"),
        _("Categories"),
        _("Staff in charge"),
        _("Organization"),
        _("Type of organization"),
        _("Entries"),
        _("Sensitive"),
    ]


def case_csv_row(case) -> list:
    language = get_language() or "ja"
    separator = ", " if language.startswith("en") else "、"
    return [
        case.number,
        f"{case.opened_on:%Y-%m-%d}",
        f"{case.closed_on:%Y-%m-%d}" if case.closed_on else "",
        case.list_title,
        case.get_status_display(),
        case.get_channel_display(),
        separator.join(c.display_name for c in case.categories.all()),
        str(case.assigned_to) if case.assigned_to else "",
        case.organization.name if case.organization else "",
        case.organization_type,
        getattr(case, "entry_count", ""),
        _("Yes") if case.is_sensitive else "",
    ]


def case_csv_response(cases):
    response, write = csv_download(f"consultations-{timezone.localdate():%Y%m%d}.csv")
    write(case_csv_header())
    for case in cases:
        write(case_csv_row(case))
    return response
