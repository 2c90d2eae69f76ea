"""Staff pages of the 協働事業評価 (/staff/evaluations/…): start an evaluation for a project
year, confirm the targets, assign council members, open the turns with their due dates,
record the verdict, publish a 年度's results. Templates and their items are in the admin."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from evaluations import rules, selectors, services
from evaluations.forms import AssignForm, OpenForm, VerdictForm
from evaluations.models import Evaluation, EvaluationEvent, EvaluationReport
from evaluations.targets import missing_for_confirmation
from kyodo.actions import run_service, visible_only_to
from kyodo.bounds import parse_int

PAGE_SIZE = 30
staff_only = visible_only_to(rules.can_manage_evaluations)


@never_cache
@staff_only
def index(request):
    year = parse_int(request.GET.get("year"), maximum=2199)
    evaluations = selectors.staff_evaluations(year)
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    to_start = Paginator(selectors.project_years_to_evaluate(), PAGE_SIZE).get_page(
        request.GET.get("start_page")
    )
    years = sorted(
        set(Evaluation.objects.values_list("project_year__fiscal_year", flat=True)), reverse=True
    )
    reports = {r.fiscal_year: r for r in EvaluationReport.objects.filter(fiscal_year__in=years)}
    return render(
        request,
        "evaluations/staff_index.html",
        {
            "page": page,
            "to_start": to_start,
            "year": year,
            "years": [(y, reports.get(y)) for y in years],
        },
    )


@require_POST
@staff_only
def create(request, pk):
    from proposals.models import ProjectYear

    project_year = ProjectYear.objects.select_related("project__proposal").filter(pk=pk).first()
    if project_year is None:
        raise Http404
    done = run_service(
        request,
        lambda: services.evaluation_create(project_year=project_year, by=request.user),
        success=_("The evaluation was started; the targets are prefilled from the proposal."),
    )
    if done:
        return redirect("evaluations_staff:detail", pk=project_year.evaluation.pk)
    return redirect("evaluations_staff:index")


def _evaluation(pk) -> Evaluation:
    evaluation = selectors.staff_evaluations().filter(pk=pk).first()
    if evaluation is None:
        raise Http404
    return evaluation


@never_cache
@staff_only
def detail(request, pk):
    evaluation = _evaluation(pk)
    return render(
        request,
        "evaluations/staff_detail.html",
        {
            "evaluation": evaluation,
            "proposal": evaluation.project_year.project.proposal,
            "missing": missing_for_confirmation(evaluation.targets),
            "assignments": list(evaluation.assignments.select_related("member")),
            "events": list(
                EvaluationEvent.objects.filter(evaluation=evaluation).select_related("changed_by")
            ),
            "open_form": OpenForm(),
            "assign_form": AssignForm(),
            "verdict_form": VerdictForm(),
        },
    )


ACTIONS = {
    "confirm": (None, lambda e, by, d: services.evaluation_targets_confirm(evaluation=e, by=by)),
    "open": (
        OpenForm,
        lambda e, by, d: services.evaluation_open(
            evaluation=e,
            by=by,
            self_due=d["self_due"],
            department_due=d["department_due"],
            council_due=d["council_due"],
        ),
    ),
    "assign": (
        AssignForm,
        lambda e, by, d: services.council_assign(evaluation=e, member=d["member"], by=by),
    ),
    "verdict": (
        VerdictForm,
        lambda e, by, d: services.verdict_record(
            evaluation=e, by=by, verdict=d["verdict"], text=d["text"], on=d["on"]
        ),
    ),
}


@require_POST
@staff_only
def action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    evaluation = _evaluation(pk)
    form_class, call = ACTIONS[action]
    data = {}
    if form_class is not None:
        form = form_class(request.POST)
        if not form.is_valid():
            return render(
                request,
                "evaluations/staff_detail.html",
                {
                    "evaluation": evaluation,
                    "proposal": evaluation.project_year.project.proposal,
                    "missing": missing_for_confirmation(evaluation.targets),
                    "assignments": list(evaluation.assignments.select_related("member")),
                    "events": list(evaluation.events.select_related("changed_by")),
                    "open_form": form if action == "open" else OpenForm(),
                    "assign_form": form if action == "assign" else AssignForm(),
                    "verdict_form": form if action == "verdict" else VerdictForm(),
                },
                status=400,
            )
        data = form.cleaned_data
    run_service(
        request,
        lambda: call(evaluation, request.user, data),
        success=_("Done: the evaluation is updated."),
    )
    return redirect("evaluations_staff:detail", pk=evaluation.pk)


@require_POST
@staff_only
def publish(request, year):
    run_service(
        request,
        lambda: services.report_publish(fiscal_year=year, by=request.user),
        success=_("The results of the fiscal year are published; the PDF is being made."),
    )
    return redirect("evaluations_staff:index")
