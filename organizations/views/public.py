"""The public directory (団体紹介): listed, valid organizations and what they chose to publish."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy as _

from organizations import selectors
from organizations.enums import PUBLISHABLE_FIELDS
from organizations.forms import DirectoryFilterForm
from organizations.models import Organization

PAGE_SIZE = 20

# PUBLISHABLE_FIELDS names model fields, except "address", the Organization.address property.
_PROPERTY_LABELS = {"address": _("Address")}


def _label_activity_fields(organizations):
    # Read the prefetched fields here, so no query is added per organization.
    for organization in organizations:
        organization.field_labels = [
            field.display_name for field in organization.activity_fields.all()
        ]


def published_details(organization):
    """(name, label, value) of the details the organization chose to show, in the order of
    PUBLISHABLE_FIELDS; names outside that list are never shown, whatever public_fields holds."""
    chosen = set(organization.public_fields or ())
    details = []
    for name in PUBLISHABLE_FIELDS:
        if name not in chosen:
            continue
        value = getattr(organization, name)
        if value in (None, ""):
            continue
        label = _PROPERTY_LABELS.get(name) or Organization._meta.get_field(name).verbose_name
        details.append({"name": name, "label": label, "value": value})
    return details


def directory(request):
    form = DirectoryFilterForm(request.GET)
    # Every filter is optional; a wrong value (an unknown field) is shown as an error on the
    # form while the valid ones still apply.
    form.is_valid()
    filters = form.cleaned_data
    organizations = selectors.directory(
        query=filters.get("q") or "",
        field=filters.get("field"),
        org_type=filters.get("org_type") or "",
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    _label_activity_fields(page.object_list)
    return render(
        request,
        "organizations/directory.html",
        {
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(
                page.number, on_each_side=1, on_ends=1
            ),
            "is_filtered": any(filters.get(name) for name in ("q", "field", "org_type")),
        },
    )


def directory_detail(request, pk):
    # Through the directory selector: an unlisted, expired or pending organization is a 404
    # here for everyone, its own members and staff included (they have their own pages).
    organization = get_object_or_404(selectors.directory(), pk=pk)
    _label_activity_fields([organization])
    return render(
        request,
        "organizations/directory_detail.html",
        {"organization": organization, "details": published_details(organization)},
    )
