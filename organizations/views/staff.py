"""The center staff's pages: the review queue (applications and 変更届), the organization list
with its CSV export, the "360" page of an organization, and suspend / reinstate.

Every view is for center staff only: anyone else gets 404, as if the page did not exist.
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.rules import is_center_staff
from kyodo.actions import run_service, visible_only_to
from kyodo.exceptions import DomainError
from kyodo.workflow import can_transition
from organizations import selectors, services
from organizations.enums import (
    REGISTRATION_TRANSITIONS,
    ApplicationStatus,
    ChangeStatus,
    DocumentKind,
    OrganizationType,
    RegistrationStatus,
)
from organizations.exports import organization_csv_response
from organizations.forms import ReasonForm, StaffFilterForm
from organizations.models import Application, Organization, ProfileChange
from organizations.sections import staff_sections_for

PAGE_SIZE = 50


center_staff_required = visible_only_to(is_center_staff)


# --- helpers ---------------------------------------------------------------------------------


def _field_label(name: str) -> str:
    return str(Organization._meta.get_field(name).verbose_name)


def _display_value(name: str, value) -> str:
    if name == "org_type":
        try:
            return str(OrganizationType(value).label)
        except ValueError:
            return value
    return value


def change_rows(change: ProfileChange) -> list[dict]:
    """A 変更届 as rows of (field, value before, value requested), in the reader's language."""
    return [
        {
            "field": _field_label(name),
            "previous": _display_value(name, change.previous.get(name, "")),
            "requested": _display_value(name, value),
        }
        for name, value in change.changes.items()
    ]


def _profile_context(organization) -> dict:
    """What the profile, members, documents and timeline parts of a staff page show."""
    return {
        "organization": organization,
        "fields": organization.activity_fields.order_by("number"),
        "members": selectors.members_of(organization),
        "documents": organization.documents.select_related("uploaded_by"),
        "timeline": selectors.timeline(organization),
    }


def _filtered_organizations(request):
    form = StaffFilterForm(request.GET or None)
    filters = {}
    if form.is_bound:
        form.is_valid()  # a value that does not validate is left out; the form shows why
        filters = form.cleaned_data
    organizations = selectors.staff_organization_list(
        query=filters.get("q") or "",
        status=filters.get("status") or "",
        org_type=filters.get("org_type") or "",
        field=filters.get("field"),
        expiring=filters.get("expiring"),
    )
    return form, organizations


# --- review ----------------------------------------------------------------------------------


@center_staff_required
def review_list(request):
    changes = selectors.pending_changes().order_by("requested_at", "pk")
    return render(
        request,
        "organizations/staff_review_list.html",
        {
            "applications": selectors.applications_to_review(),
            "changes": [(change, change_rows(change)) for change in changes],
        },
    )


def _decide_application(application, *, action, by, reason) -> str:
    """Run the staff's decision through its service; returns the message for the reviewer."""
    if action == "approve":
        services.application_approve(application=application, by=by)
        return _("The application was approved.")
    if action == "return":
        services.application_return(application=application, by=by, reason=reason)
        return _("The application was returned to the applicant.")
    services.application_reject(application=application, by=by, reason=reason)
    return _("The application was rejected.")


def _application_or_404(pk):
    return get_object_or_404(
        Application.objects.select_related("organization", "submitted_by", "decided_by"), pk=pk
    )


@center_staff_required
def application_review(request, application_pk):
    application = _application_or_404(application_pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ("approve", "return", "reject") or not form.is_valid():
            return HttpResponseBadRequest()
        try:
            done = _decide_application(
                application, action=action, by=request.user, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
            # The service rolled back; show the rows as they are, not as it left them in memory.
            application = _application_or_404(application_pk)
        else:
            messages.success(request, done)
            return redirect("organizations:review_list")
    organization = application.organization
    documents = list(organization.documents.select_related("uploaded_by"))
    # The rules as they stand today, so staff see at once what an application lacks.
    rule_problems = services.check_registration_rules(
        member_count=organization.member_count,
        has_rules_document=any(d.kind == DocumentKind.RULES for d in documents),
        active_in_ward=True,
    )
    return render(
        request,
        "organizations/staff_application_review.html",
        {
            **_profile_context(organization),
            "documents": documents,
            "application": application,
            "can_decide": application.status == ApplicationStatus.SUBMITTED,
            "rule_problems": rule_problems,
            "form": form,
        },
    )


def _change_or_404(pk):
    return get_object_or_404(
        ProfileChange.objects.select_related("organization", "requested_by", "decided_by"), pk=pk
    )


@center_staff_required
def change_review(request, change_pk):
    change = _change_or_404(change_pk)
    form = ReasonForm(request.POST or None)
    if request.method == "POST":
        action = request.POST.get("action", "")
        if action not in ("approve", "reject") or not form.is_valid():
            return HttpResponseBadRequest()
        try:
            services.profile_change_decide(
                change=change,
                by=request.user,
                approve=action == "approve",
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
            change = _change_or_404(change_pk)
        else:
            messages.success(
                request,
                _("The change of details was approved.")
                if action == "approve"
                else _("The change of details was not approved."),
            )
            return redirect("organizations:review_list")
    return render(
        request,
        "organizations/staff_change_review.html",
        {
            **_profile_context(change.organization),
            "change": change,
            "rows": change_rows(change),
            "can_decide": change.status == ChangeStatus.PENDING,
            "form": form,
        },
    )


# --- organizations ---------------------------------------------------------------------------


@center_staff_required
def organization_list(request):
    form, organizations = _filtered_organizations(request)
    # Accounts linked on the portal (the profile's member_count is the declared 会員数).
    organizations = organizations.annotate(
        portal_members=Count("memberships", distinct=True)
    ).prefetch_related(None)
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "organizations/staff_list.html",
        {"form": form, "page_obj": page, "organizations": page.object_list},
    )


@center_staff_required
def organization_export(request):
    _form, organizations = _filtered_organizations(request)
    return organization_csv_response(organizations)


@center_staff_required
def organization_360(request, pk):
    organization = get_object_or_404(Organization.objects.select_related("contact_person"), pk=pk)
    pending = selectors.pending_change(organization)
    return render(
        request,
        "organizations/staff_detail.html",
        {
            **_profile_context(organization),
            "application": selectors.open_application(organization),
            "pending_change": pending,
            "pending_rows": change_rows(pending) if pending else [],
            "certificates": organization.certificates.select_related("document")[:5],
            "can_suspend": can_transition(
                REGISTRATION_TRANSITIONS, organization.status, RegistrationStatus.SUSPENDED
            ),
            "can_reinstate": organization.status == RegistrationStatus.SUSPENDED,
            "reason_form": ReasonForm(),
            "sections": staff_sections_for(organization, request),
        },
    )


@center_staff_required
@require_POST
def suspend(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    run_service(
        request,
        lambda: services.organization_suspend(
            organization=organization, by=request.user, reason=reason
        ),
        success=_("The registration was suspended."),
    )
    return redirect("organizations:staff_detail", pk=organization.pk)


@center_staff_required
@require_POST
def reinstate(request, pk):
    organization = get_object_or_404(Organization, pk=pk)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data.get("reason", "") if form.is_valid() else ""
    run_service(
        request,
        lambda: services.organization_reinstate(
            organization=organization, by=request.user, reason=reason
        ),
        success=_("The registration is active again."),
    )
    return redirect("organizations:staff_detail", pk=organization.pk)
