"""Staff pages of the subsidy (/staff/subsidies/): the programmes with their figures, a
programme's applications by status with the decisions, the decision form per application and
the release of the decisions. Center staff only; anyone else gets 404."""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kyodo.actions import run_service, visible_only_to
from kyodo.exceptions import DomainError
from kyodo.exports import csv_download
from subsidies import advances, decisions, rules, services, staff_selectors
from subsidies.enums import ApplicationStatus, Outcome
from subsidies.forms import AdvancePaidForm, DecisionForm
from subsidies.models import AdvancePayment, Application, Decision, Programme

PAGE_SIZE = 50

staff_only = visible_only_to(rules.can_manage_subsidies)


@staff_only
def programmes(request):
    page = Paginator(staff_selectors.programmes_with_counts(), 20).get_page(request.GET.get("page"))
    return render(request, "subsidies/staff_programmes.html", {"page_obj": page})


@staff_only
def programme(request, pk):
    programme = get_object_or_404(Programme, pk=pk)
    status = request.GET.get("status", "")
    applications = staff_selectors.programme_applications(programme, status=status)
    page = Paginator(applications, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "subsidies/staff_programme.html",
        {
            "programme": programme,
            "page_obj": page,
            "status": status if status in ApplicationStatus.values else "",
            "statuses": ApplicationStatus.choices,
            "undecided": decisions.undecided(programme).count(),
        },
    )


@staff_only
def decide(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("programme", "organization"), pk=pk
    )
    decision = Decision.objects.filter(application=application).first()
    initial = {}
    if decision is not None:
        initial = {
            "outcome": decision.outcome,
            "amount": decision.amount,
            "conditions": decision.conditions,
            "reasons": decision.reasons,
        }
    elif application.requested_amount:
        initial = {"outcome": Outcome.GRANTED, "amount": application.requested_amount}
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            decisions.decision_save(application=application, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The decision was saved. It is released with the others."))
            return redirect("subsidies_staff:programme", pk=application.programme_id)
    return render(
        request,
        "subsidies/staff_decide.html",
        {
            "application": application,
            "programme": application.programme,
            "form": form,
            "figures": services.amounts(application),
            "open": application.status == ApplicationStatus.SUBMITTED
            and not application.programme.decisions_released,
        },
    )


@staff_only
def release(request, pk):
    """GET: what the release does and what is missing; POST: release, once."""
    programme = get_object_or_404(Programme, pk=pk)
    if request.method == "POST":
        run_service(
            request,
            lambda: decisions.decisions_release(programme=programme, by=request.user),
            success=_("The decisions were released; the organizations are being notified."),
        )
        return redirect("subsidies_staff:programme", pk=programme.pk)
    counts = {
        row["outcome"]: row["n"]
        for row in Decision.objects.filter(application__programme=programme)
        .values("outcome")
        .annotate(n=Count("pk"))
    }
    return render(
        request,
        "subsidies/staff_release.html",
        {
            "programme": programme,
            "undecided": decisions.undecided(programme).count(),
            "granted": counts.get(Outcome.GRANTED, 0),
            "not_granted": counts.get(Outcome.NOT_GRANTED, 0),
        },
    )


@require_POST
@staff_only
def advance_paid(request, pk):
    """Record the day a 概算払 was paid, once."""
    advance = get_object_or_404(
        AdvancePayment.objects.select_related(
            "application__organization", "application__programme"
        ),
        application_id=pk,
    )
    form = AdvancePaidForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: advances.advance_record_payment(
                advance=advance, by=request.user, paid_on=form.cleaned_data["paid_on"]
            ),
            success=_("The payment of the advance was recorded."),
        )
    else:
        messages.error(request, _("Give the day the advance was paid."))
    return redirect("subsidies_staff:programme", pk=advance.application.programme_id)


@staff_only
def programme_export(request, pk):
    """The programme's applications as CSV (filtered by status like the page), for the
    center's report to the ward."""
    programme = get_object_or_404(Programme, pk=pk)
    applications = staff_selectors.programme_applications(
        programme, status=request.GET.get("status", "")
    )
    response, write = csv_download(f"subsidy-applications-{programme.fiscal_year}.csv")
    write(
        [
            _("Number"),
            _("Organization"),
            _("Project title"),
            _("Status"),
            _("Requested amount"),
            _("Decision"),
            _("Granted amount"),
            _("Advance payment"),
            _("Paid on"),
        ]
    )
    for application in applications:
        decision = application.decision if _has(application, "decision") else None
        advance = application.advance if _has(application, "advance") else None
        write(
            [
                application.reference,
                application.organization.name,
                application.title,
                application.get_status_display(),
                application.requested_amount or "",
                decision.get_outcome_display() if decision else "",
                (decision.amount or "") if decision else "",
                advance.amount if advance else "",
                advance.paid_on.isoformat() if advance and advance.paid_on else "",
            ]
        )
    return response


def _has(application, name) -> bool:
    """Whether the reverse one-to-one row (fetched with select_related) exists."""
    try:
        getattr(application, name)
    except ObjectDoesNotExist:
        return False
    return True
