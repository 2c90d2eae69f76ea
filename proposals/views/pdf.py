"""The PDFs of 協働事業提案, rendered on demand (contexts in proposals/pdfs.py): the proposal
as submitted (its organization's members and staff), the review packet (the reviewers
assigned to it, the chair and staff), a reviewer's own score sheet and a stage's summary
table (the chair and staff; made in the background). Anyone else gets 404."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from proposals import pdfs, selectors, summaries
from proposals.models import Stage
from proposals.rules import can_view_dashboard


def _stage_proposal(stage: Stage, proposal_pk: int):
    proposal = (
        selectors.stage_proposals(stage)
        .select_related("round", "organization", "theme", "submitted_version")
        .filter(pk=proposal_pk)
        .first()
    )
    if proposal is None or proposal.submitted_version is None:
        raise Http404
    return proposal


def _assigned_proposal(request, pk: int, proposal_pk: int):
    """The user's opened stage and a proposal of it they are assigned to, or 404."""
    assignment = selectors.assignment_for(request.user, pk)
    proposal = _stage_proposal(assignment.stage, proposal_pk)
    if not selectors.is_assigned(assignment, proposal):
        raise Http404
    return assignment.stage, proposal


@login_required
@require_GET
def submitted(request, pk):
    proposal = selectors.proposal_for_member(request.user, pk)
    if proposal.submitted_version is None:
        raise Http404
    content = pdfs.render("pdf/proposal_submitted.html", pdfs.submitted_context(proposal))
    return pdfs.pdf_response(content, pdfs.submitted_filename(proposal))


@login_required
@require_GET
def packet(request, pk, proposal_pk):
    """Staff and the chair of the round, for any proposal of the stage; a reviewer for the
    proposals assigned to them. As on the score page, a conflict of interest does not keep a
    reviewer from reading the proposal (only from scoring it and seeing others' scores, which
    the packet does not hold)."""
    stage = get_object_or_404(Stage.objects.select_related("round"), pk=pk)
    if can_view_dashboard(request.user, stage.round):
        proposal = _stage_proposal(stage, proposal_pk)
    else:
        stage, proposal = _assigned_proposal(request, pk, proposal_pk)
    content = pdfs.render("pdf/proposal_packet.html", pdfs.packet_context(stage, proposal))
    return pdfs.pdf_response(content, pdfs.packet_filename(stage, proposal))


@login_required
@require_GET
def score_sheet(request, pk, proposal_pk):
    """The requesting reviewer's own sheet; a reviewer with a conflict does not score."""
    stage, proposal = _assigned_proposal(request, pk, proposal_pk)
    if selectors.is_conflicted(request.user, proposal):
        raise Http404
    context = pdfs.score_sheet_context(stage, proposal, request.user)
    content = pdfs.render("pdf/proposal_score_sheet.html", context)
    return pdfs.pdf_response(content, pdfs.score_sheet_filename(stage, proposal))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def summary(request, pk):
    """The stage's summary PDF is made in the background (proposals/summaries.py): POST asks
    for it, GET shows its progress (htmx polls the status part) and then the download."""
    stage = selectors.dashboard_stage(request.user, pk)
    if request.method == "POST":
        summaries.summary_request(
            stage=stage, by=request.user, language=translation.get_language() or "ja"
        )
        return redirect("proposals_review:summary", pk=stage.pk)
    summary = summaries.latest_summary(stage, request.user)
    template = "proposals/summary_status.html" if request.htmx else "proposals/summary_page.html"
    return render(request, template, {"stage": stage, "round": stage.round, "summary": summary})


@login_required
@require_GET
def summary_pdf(request, pk):
    """The old address of the summary: its page now."""
    stage = selectors.dashboard_stage(request.user, pk)
    return redirect("proposals_review:summary", pk=stage.pk)
