"""The organization's own pages: apply, the detail page with its timeline, 変更届,
publication choices, renewal, documents and the certificate."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyodo import downloads
from kyodo.actions import run_service
from kyodo.exceptions import DomainError
from organizations import selectors, services
from organizations.enums import (
    APPROVAL_FIELDS,
    ApplicationStatus,
    MemberRole,
    RegistrationStatus,
)
from organizations.forms import (
    ApplicationForm,
    DocumentForm,
    NoteForm,
    OrganizationProfileForm,
    PublicationForm,
)
from organizations.rules import (
    can_manage_organization,
    can_view_organization,
    role_in,
)
from organizations.views.common import organization_or_404


@login_required
def apply(request):
    form = ApplicationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            organization = services.organization_apply(
                user=request.user,
                data=form.profile_data(),
                activity_fields=form.cleaned_data["activity_fields"],
                documents=form.documents(),
                note=form.cleaned_data["note"],
                active_in_ward=form.cleaned_data["active_in_ward"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Your application was sent. The center will review it and write to you.")
            )
            return redirect(organization)
    return render(request, "organizations/apply.html", {"form": form})


@login_required
def detail(request, pk):
    organization = organization_or_404(request, pk, can_view_organization)
    application = selectors.open_application(organization)
    today = timezone.localdate()
    renewal_opens = services.renewal_window_opens(organization)
    can_renew = (
        can_manage_organization(request.user, organization)
        and application is None
        and (
            organization.status == RegistrationStatus.EXPIRED
            or (
                organization.status == RegistrationStatus.REGISTERED
                and renewal_opens
                and today >= renewal_opens
            )
        )
    )
    certificate = (
        organization.certificates.select_related("document").first()
        if organization.status == RegistrationStatus.REGISTERED
        else None
    )
    return render(
        request,
        "organizations/detail.html",
        {
            "organization": organization,
            "role_label": MemberRole(role).label
            if (role := role_in(request.user, organization))
            else "",
            "can_manage": can_manage_organization(request.user, organization),
            "application": application,
            "returned": application is not None
            and application.status == ApplicationStatus.RETURNED,
            "pending_change": selectors.pending_change(organization),
            "documents": organization.documents.select_related("uploaded_by"),
            "fields": organization.activity_fields.order_by("number"),
            "timeline": selectors.timeline(organization),
            "can_renew": can_renew,
            "renewal_opens": renewal_opens,
            "certificate": certificate,
            "document_form": DocumentForm(),
            "note_form": NoteForm(),
        },
    )


@login_required
def edit(request, pk):
    organization = organization_or_404(request, pk, can_manage_organization)
    pending = selectors.pending_change(organization)
    form = OrganizationProfileForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            change = services.profile_update(
                organization=organization,
                by=request.user,
                data=form.profile_data(),
                activity_fields=form.cleaned_data["activity_fields"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            if change is not None:
                messages.info(
                    request,
                    _(
                        "Contact details were saved. The change of name, type, representative or "
                        "corporate number waits for the center's approval."
                    ),
                )
            else:
                messages.success(request, _("The details were saved."))
            return redirect(organization)
    # Form instance values were overwritten by the bound form; read the saved row again.
    organization.refresh_from_db()
    return render(
        request,
        "organizations/edit.html",
        {
            "organization": organization,
            "form": form,
            "pending_change": pending,
            "approval_fields": [
                form.fields[name].label for name in APPROVAL_FIELDS if name in form.fields
            ],
        },
    )


@login_required
def publication(request, pk):
    organization = organization_or_404(request, pk, can_manage_organization)
    form = PublicationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        services.publication_update(
            organization=organization,
            by=request.user,
            is_listed=form.cleaned_data["is_listed"],
            public_fields=form.cleaned_data["public_fields"],
        )
        messages.success(request, _("The directory settings were saved."))
        return redirect(organization)
    return render(
        request, "organizations/publication.html", {"organization": organization, "form": form}
    )


def _note(request) -> str:
    form = NoteForm(request.POST)
    return form.cleaned_data["note"] if form.is_valid() else ""


def _open_application_or_404(organization):
    application = selectors.open_application(organization)
    if application is None:
        raise Http404
    return application


@require_POST
@login_required
def resubmit(request, pk):
    organization = organization_or_404(request, pk, can_manage_organization)
    application = _open_application_or_404(organization)
    note = _note(request)
    run_service(
        request,
        lambda: services.application_resubmit(application=application, by=request.user, note=note),
        success=_("The application was sent again."),
    )
    return redirect(organization)


@require_POST
@login_required
def withdraw(request, pk):
    organization = organization_or_404(request, pk, can_manage_organization)
    application = _open_application_or_404(organization)
    run_service(
        request,
        lambda: services.application_withdraw(application=application, by=request.user),
        success=_("The application was withdrawn."),
    )
    return redirect(organization)


@require_POST
@login_required
def renew(request, pk):
    organization = organization_or_404(request, pk, can_manage_organization)
    note = _note(request)
    run_service(
        request,
        lambda: services.renewal_apply(organization=organization, by=request.user, note=note),
        success=_("Your renewal application was sent."),
    )
    return redirect(organization)


@require_POST
@login_required
def document_upload(request, pk):
    organization = organization_or_404(request, pk, can_manage_organization)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        services.document_add(
            organization=organization,
            by=request.user,
            kind=form.cleaned_data["kind"],
            upload=form.cleaned_data["file"],
        )
        messages.success(request, _("The document was uploaded."))
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    return redirect(organization)


@login_required
def document_download(request, pk, document_pk):
    organization = organization_or_404(request, pk, can_view_organization)
    document = get_object_or_404(organization.documents, pk=document_pk)
    return downloads.file_download(document.file, filename=document.original_name)


@require_POST
@login_required
def document_delete(request, pk, document_pk):
    organization = organization_or_404(request, pk, can_manage_organization)
    document = get_object_or_404(organization.documents, pk=document_pk)
    services.document_delete(document=document, by=request.user)
    messages.success(request, _("The document was removed."))
    return redirect(organization)


@login_required
def certificate_download(request, pk):
    organization = organization_or_404(request, pk, can_view_organization)
    certificate = organization.certificates.select_related("document").first()
    return downloads.document_download(certificate.document if certificate else None)
