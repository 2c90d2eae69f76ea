"""Pages of the 協働事業評価: the public results per 年度, and for those taking part — the
group, the department's official, the council members, staff — the evaluations they see,
the targets, the results with their files, their own check sheet and the summary.

Reads go through selectors (outsiders get 404); who may do what is in rules; writes go
through services, which check again."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from evaluations import rules, selectors, services
from evaluations.enums import SCALE, Side, TargetKind
from evaluations.forms import (
    BeneficiaryReasonForm,
    EvidenceForm,
    ResultsForm,
    SheetForm,
    TargetFormSet,
)
from evaluations.models import ResultEvidence
from evaluations.targets import target_rows
from kyodo.actions import run_service
from kyodo.downloads import document_download, file_download

PAGE_SIZE = 20


# --- the public ---------------------------------------------------------------------------------


def index(request):
    page = Paginator(selectors.published_reports(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluations/public_index.html", {"page": page})


def report(request, pk):
    report_ = selectors.published_report(pk)
    summaries = selectors.summaries_for(selectors.report_evaluations(report_.fiscal_year))
    return render(
        request,
        "evaluations/public_report.html",
        {"report": report_, "summaries": summaries, "scale": SCALE},
    )


def report_pdf(request, pk):
    return document_download(selectors.published_report(pk).document)


# --- those taking part --------------------------------------------------------------------------


@login_required
def mine(request):
    evaluations = selectors.evaluations_visible_to(request.user).order_by(
        "-project_year__fiscal_year", "pk"
    )
    page = Paginator(evaluations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "evaluations/mine.html", {"page": page})


def _targets_context(evaluation):
    rows = target_rows(evaluation.targets.targets.all())
    return {
        "target_groups": [(kind.label, [r for r in rows if r.kind == kind]) for kind in TargetKind],
    }


@never_cache
@login_required
def detail(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    user = request.user
    side = rules.side_of(user, evaluation)
    context = {
        "evaluation": evaluation,
        "proposal": evaluation.project_year.project.proposal,
        "side": side,
        "recused": rules.is_assigned_member(user, evaluation)
        and rules.is_recused(user, evaluation),
        "can_edit_targets": rules.can_edit_targets(user, evaluation),
        "can_enter_results": rules.can_enter_results(user, evaluation),
        "can_write_sheet": rules.can_write_sheet(user, evaluation),
        "can_see_summary": rules.can_see_summary(user, evaluation),
        "can_download": rules.can_download_evidence(user, evaluation),
        "evidence": list(selectors.evidence_of(evaluation)),
        "sheets": selectors.sheets_seen_by(user, evaluation),
        # The council members' names beside their scores: for staff only.
        "show_authors": rules.can_manage_evaluations(user),
        **_targets_context(evaluation),
    }
    if context["recused"]:
        context["sheets"], context["evidence"], context["can_download"] = [], [], False
    return render(request, "evaluations/detail.html", context)


def _formset_initial(evaluation):
    return [
        {
            "kind": t.kind,
            "title": t.title,
            "indicator": t.indicator,
            "target_value": t.target_value,
            "unit": t.unit,
        }
        for t in evaluation.targets.targets.all()
    ]


@never_cache
@login_required
def targets(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    if not rules.can_edit_targets(request.user, evaluation):
        raise PermissionDenied
    if request.method == "POST":
        formset = TargetFormSet(request.POST, prefix="targets")
        reason = BeneficiaryReasonForm(request.POST)
        if formset.is_valid() and reason.is_valid():
            rows = [f.cleaned_data for f in formset if f.cleaned_data]
            if run_service(
                request,
                lambda: services.evaluation_targets_save(
                    evaluation=evaluation,
                    by=request.user,
                    rows=rows,
                    beneficiary_unmeasured_reason=reason.cleaned_data["reason"],
                ),
                success=_("The targets were saved."),
            ):
                return redirect("evaluations:detail", pk=evaluation.pk)
    else:
        formset = TargetFormSet(initial=_formset_initial(evaluation), prefix="targets")
        reason = BeneficiaryReasonForm(
            initial={"reason": evaluation.targets.beneficiary_unmeasured_reason}
        )
    return render(
        request,
        "evaluations/targets_form.html",
        {"evaluation": evaluation, "formset": formset, "reason_form": reason},
    )


@never_cache
@login_required
def results(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    if not rules.can_enter_results(request.user, evaluation):
        raise PermissionDenied
    form = ResultsForm(request.POST or None, targets=evaluation.targets.targets.all())
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.evaluation_results_save(
                evaluation=evaluation, by=request.user, results=form.results()
            ),
            success=_("The results were saved."),
        )
    ):
        return redirect("evaluations:detail", pk=evaluation.pk)
    return render(
        request,
        "evaluations/results_form.html",
        {
            "evaluation": evaluation,
            "form": form,
            "evidence_form": EvidenceForm(),
            "evidence": list(selectors.evidence_of(evaluation)),
        },
    )


@require_POST
@login_required
def evidence_add(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    if not rules.can_enter_results(request.user, evaluation):
        raise PermissionDenied
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "evaluations/results_form.html",
            {
                "evaluation": evaluation,
                "form": ResultsForm(targets=evaluation.targets.targets.all()),
                "evidence_form": form,
                "evidence": list(selectors.evidence_of(evaluation)),
            },
            status=400,
        )
    run_service(
        request,
        lambda: services.evaluation_evidence_add(
            evaluation=evaluation, by=request.user, upload=form.cleaned_data["file"]
        ),
        success=_("The file was added."),
    )
    return redirect("evaluations:results", pk=evaluation.pk)


@require_POST
@login_required
def evidence_remove(request, pk, evidence_pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    evidence = get_object_or_404(ResultEvidence, pk=evidence_pk, sheet_id=evaluation.targets_id)
    if not rules.can_enter_results(request.user, evaluation):
        raise PermissionDenied
    run_service(
        request,
        lambda: services.evaluation_evidence_remove(
            evaluation=evaluation, by=request.user, evidence=evidence
        ),
        success=_("The file was removed."),
    )
    return redirect("evaluations:results", pk=evaluation.pk)


@never_cache
@login_required
def evidence(request, pk, evidence_pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    if not rules.can_download_evidence(request.user, evaluation) or (
        rules.is_assigned_member(request.user, evaluation)
        and rules.is_recused(request.user, evaluation)
    ):
        raise PermissionDenied
    item = get_object_or_404(ResultEvidence, pk=evidence_pk, sheet_id=evaluation.targets_id)
    return file_download(item.file, filename=item.name)


@never_cache
@login_required
def sheet(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    if not rules.can_write_sheet(request.user, evaluation):
        raise PermissionDenied
    side = rules.side_of(request.user, evaluation)
    own = selectors.own_sheet(evaluation, request.user, side)
    items = selectors.items_of(evaluation)
    form = SheetForm(request.POST or None, items=items, sheet=own)
    if request.method == "POST" and form.is_valid():
        submit = "submit" in request.POST
        if run_service(
            request,
            lambda: services.sheet_save(
                evaluation=evaluation,
                by=request.user,
                scores=form.scores(),
                went_well=form.cleaned_data["went_well"],
                issues=form.cleaned_data["issues"],
                improvements=form.cleaned_data["improvements"],
                submit=submit,
            ),
            success=_("Your check sheet was submitted.") if submit else _("Your draft was saved."),
        ):
            return redirect("evaluations:detail", pk=evaluation.pk)
    return render(
        request,
        "evaluations/sheet_form.html",
        {
            "evaluation": evaluation,
            "side_label": Side(side).label,
            "form": form,
            "earlier": selectors.sheets_seen_by(request.user, evaluation),
            **_targets_context(evaluation),
        },
    )


@never_cache
@login_required
def summary(request, pk):
    evaluation = selectors.evaluation_for(request.user, pk)
    if not rules.can_see_summary(request.user, evaluation):
        raise PermissionDenied
    return render(
        request,
        "evaluations/summary.html",
        {"evaluation": evaluation, "summary": selectors.summary_of(evaluation)},
    )
