"""The organization's own subsidy applications: start one for an open programme (eligibility
checked, each failing condition named), write the 事業計画書 and 収支予算書 with files, see the
computed amounts and why, submit with the declaration, withdraw.

Every member (any role) and center staff may look and download the files; the 代表管理者 and
管理者 write, submit and withdraw (a メンバー gets 403). Anyone else gets 404: the selector only
finds applications of the user's own organizations."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kyodo.actions import run_service
from kyodo.downloads import document_download, file_download
from kyodo.exceptions import DomainError
from organizations.selectors import valid_organizations_managed_by
from subsidies import advances, eligibility, rules, selectors, services
from subsidies.enums import APPLICATION_TRANSITIONS, EDITABLE_STATUSES, ApplicationStatus
from subsidies.forms import (
    PLAN_FIELDS,
    AdvanceForm,
    ApplicationForm,
    ApplicationStartForm,
    AttachmentForm,
    BudgetFormSet,
    SubmitForm,
    WithdrawForm,
    budget_initial,
)
from subsidies.models import AdvancePayment, Application, Decision

PAGE_SIZE = 20


def _require_manager(request, application) -> None:
    if not rules.can_act_for_application(request.user, application):
        raise PermissionDenied


def _detail_url(application, anchor="") -> str:
    return reverse("subsidies:detail", args=[application.pk]) + (f"#{anchor}" if anchor else "")


def _withdrawable(application) -> bool:
    return ApplicationStatus.WITHDRAWN in APPLICATION_TRANSITIONS.get(application.status, set())


def released_decision(application) -> Decision | None:
    """The decision once the programme's decisions are released; nothing before."""
    if not application.programme.decisions_released:
        return None
    return Decision.objects.filter(application=application, released_at__isnull=False).first()


def _timeline(application) -> list[dict]:
    """The status moves, oldest first, with their labels (the reason only of a withdrawal,
    which is the organization's own)."""
    labels = dict(ApplicationStatus.choices)
    return [
        {
            "changed_at": event.changed_at,
            "label": labels.get(event.new_status, event.new_status),
            "reason": event.reason if event.new_status == ApplicationStatus.WITHDRAWN else "",
        }
        for event in application.events.order_by("changed_at", "pk")
        if event.old_status != event.new_status
    ]


@login_required
def mine(request):
    applications = selectors.applications_of_user(request.user)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    organizations = valid_organizations_managed_by(request.user)
    return render(
        request,
        "subsidies/org_mine.html",
        {
            "page_obj": page,
            "open_programmes": list(selectors.programmes_open_for_applications())
            if organizations.exists()
            else [],
        },
    )


@login_required
def create(request, pk):
    """Start a draft: the organization chosen must meet every condition the portal checks;
    the page names each one that fails."""
    programme = selectors.published_programme(pk)
    organizations = valid_organizations_managed_by(request.user)
    if not organizations.exists():
        raise PermissionDenied
    if not services.is_programme_open(programme):
        messages.error(request, _("This programme is not open for applications."))
        return redirect("subsidies:programme", pk=programme.pk)
    today = timezone.localdate()
    checks = [
        {"organization": o, "failures": eligibility.failures(o, programme, on=today)}
        for o in organizations
    ]
    eligible_ids = [c["organization"].pk for c in checks if not c["failures"]]
    form = ApplicationStartForm(
        request.POST or None, organizations=organizations.filter(pk__in=eligible_ids)
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = services.application_create(
                programme=programme,
                organization=form.cleaned_data["organization"],
                by=request.user,
                title=form.cleaned_data["title"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The draft was created. Write the application and save it as you go.")
            )
            return redirect("subsidies:edit", pk=application.pk)
    return render(
        request,
        "subsidies/org_create.html",
        {
            "programme": programme,
            "form": form,
            "checks": checks,
            "any_eligible": bool(eligible_ids),
        },
    )


@login_required
def detail(request, pk):
    application = selectors.application_for_member(request.user, pk)
    lines = list(selectors.budget_lines(application))
    editable = application.status in EDITABLE_STATUSES
    version = application.submitted_version
    decision = released_decision(application)
    return render(
        request,
        "subsidies/org_detail.html",
        {
            "application": application,
            "programme": application.programme,
            "lines": lines,
            "figures": services.amounts(application, lines),
            "can_manage": rules.can_act_for_application(request.user, application),
            "can_edit": rules.can_edit_application(request.user, application),
            "is_open": services.is_open_for_changes(application),
            "missing": services.missing_for_submission(application, lines) if editable else [],
            "attachments": list(selectors.current_attachments(application)),
            "attachment_form": AttachmentForm(),
            "version": version,
            "decision": decision,
            "advance": AdvancePayment.objects.filter(application=application).first(),
            "advance_form": AdvanceForm(),
            "can_ask_advance": decision is not None
            and decision.is_grant
            and application.status == ApplicationStatus.GRANTED
            and application.programme.advance_payment_allowed
            and rules.can_act_for_application(request.user, application),
            "events": _timeline(application),
            "can_withdraw": _withdrawable(application)
            and rules.can_act_for_application(request.user, application),
            "sections": [
                (Application._meta.get_field(name).verbose_name, getattr(application, name))
                for name in ("purpose", "need", "content", "schedule", "effects", "indicators")
            ],
        },
    )


@login_required
def edit(request, pk):
    application = selectors.application_for_member(request.user, pk)
    _require_manager(request, application)
    if request.method != "POST" and not services.is_open_for_changes(application):
        messages.info(request, _("This application can no longer be changed."))
        return redirect("subsidies:detail", pk=application.pk)
    data = request.POST if request.method == "POST" else None
    categories = application.programme.categories.all()
    lines = list(selectors.budget_lines(application))
    form = ApplicationForm(
        data,
        cases=selectors.cases_to_link(request.user, application.organization),
        initial=model_to_dict(application, fields=PLAN_FIELDS),
    )
    formset = BudgetFormSet(
        data,
        prefix="budget",
        initial=budget_initial(lines),
        form_kwargs={"categories": categories},
    )
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            try:
                services.application_update(
                    application=application,
                    by=request.user,
                    data=form.cleaned_data,
                    budget_lines=formset.lines(),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The draft was saved."))
                if "close" in request.POST:
                    return redirect("subsidies:detail", pk=application.pk)
                return redirect(reverse("subsidies:edit", args=[application.pk]) + "#budget")
        else:
            form.add_error(None, _("Nothing was saved yet: correct the marked fields."))
    return render(
        request,
        "subsidies/org_edit.html",
        {
            "application": application,
            "programme": application.programme,
            "form": form,
            "formset": formset,
            "categories": list(categories),
            "figures": services.amounts(application, lines),
        },
    )


@require_POST
@login_required
def attachment_add(request, pk):
    application = selectors.application_for_member(request.user, pk)
    _require_manager(request, application)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_detail_url(application, "attachments"))
    run_service(
        request,
        lambda: services.attachment_add(
            application=application,
            by=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        ),
        success=_("The file was attached."),
    )
    return redirect(_detail_url(application, "attachments"))


@require_POST
@login_required
def attachment_remove(request, pk, attachment_pk):
    application = selectors.application_for_member(request.user, pk)
    _require_manager(request, application)
    attachment = selectors.attachment_of(application, attachment_pk)
    if attachment.removed_at is not None:
        return redirect(_detail_url(application, "attachments"))
    run_service(
        request,
        lambda: services.attachment_remove(attachment=attachment, by=request.user),
        success=_("The file was removed from the application."),
    )
    return redirect(_detail_url(application, "attachments"))


@never_cache
@login_required
def attachment_download(request, pk, attachment_pk):
    """A file of the application, to its members and staff."""
    application = selectors.application_for_member(request.user, pk)
    return file_download(selectors.attachment_of(application, attachment_pk).file)


@login_required
def submit(request, pk):
    """GET: the amounts, what is missing and the declaration; POST: submit."""
    application = selectors.application_for_member(request.user, pk)
    _require_manager(request, application)
    form = SubmitForm(request.POST if request.method == "POST" else None)
    submitted = (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.application_submit(
                application=application,
                by=request.user,
                declarations=form.cleaned_data["declarations"],
            ),
            success=_("The application was submitted. The center has sent you a confirmation."),
        )
    )
    if submitted:
        return redirect("subsidies:detail", pk=application.pk)
    lines = list(selectors.budget_lines(application))
    editable = application.status in EDITABLE_STATUSES
    return render(
        request,
        "subsidies/org_submit.html",
        {
            "application": application,
            "programme": application.programme,
            "form": form,
            "editable": editable,
            "is_open": services.is_open_for_changes(application),
            "missing": services.missing_for_submission(application, lines) if editable else [],
            "failures": eligibility.failures(
                application.organization, application.programme, on=timezone.localdate()
            )
            if editable
            else [],
            "figures": services.amounts(application, lines),
        },
    )


@login_required
def withdraw(request, pk):
    """GET: confirm with an optional reason; POST: withdraw."""
    application = selectors.application_for_member(request.user, pk)
    _require_manager(request, application)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        run_service(
            request,
            lambda: services.application_withdraw(
                application=application, by=request.user, reason=form.cleaned_data["reason"]
            ),
            success=_("The application was withdrawn."),
        )
        return redirect("subsidies:detail", pk=application.pk)
    return render(
        request,
        "subsidies/org_withdraw.html",
        {"application": application, "form": form, "withdrawable": _withdrawable(application)},
    )


@never_cache
@login_required
def letter(request, pk):
    """The 交付決定通知書 (or 不交付決定通知書), to members and staff, once released and ready."""
    application = selectors.application_for_member(request.user, pk)
    decision = released_decision(application)
    return document_download(decision.letter if decision else None)


@require_POST
@login_required
def advance_request(request, pk):
    """The group asks for a 概算払 (managers; the service checks the rest)."""
    application = selectors.application_for_member(request.user, pk)
    _require_manager(request, application)
    form = AdvanceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        run_service(
            request,
            lambda: advances.advance_request(
                application=application, by=request.user, amount=form.cleaned_data["amount"]
            ),
            success=_("The advance was asked for. The center records its payment."),
        )
    return redirect(_detail_url(application, "advance"))
