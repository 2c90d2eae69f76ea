"""The PDFs of 協働事業提案 rendered on demand (views/pdf.py): the proposal as submitted, the
review packet, a reviewer's score sheet and a stage's summary table. Each function builds the
template's context from what the view has already fetched and checked; ``pdf_response``
wraps the bytes. (The decision letter is a generated document: proposals/letters.py.)

They render synchronously inside the request: they show live data (a draft score sheet, the
dashboard as it is now) and a page renders in well under a second, so storing them as
GeneratedDocuments would only add a stale copy. The exception is the summary: a stage of
hundreds of proposals takes seconds, so it is a GeneratedDocument made on request
(proposals/summaries.py) from the context built here.
"""

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import gettext

from kyodo.pdf import render_pdf
from kyodo.selectors import center_profile
from proposals import scoring, selectors
from proposals.enums import ReviewStatus
from proposals.models import Presentation, Proposal, Review, Stage


def render(template_name: str, context: dict) -> bytes:
    """The PDF in the reader's language (labels; the data stays as entered)."""
    return render_pdf(template_name, context, language=translation.get_language() or "ja")


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    """Shown in the browser, never kept by a shared cache: these hold unpublished scores."""
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(False, filename)
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _common(**context) -> dict:
    return {"center": center_profile(), "issued_at": timezone.localtime(), **context}


# --- the proposal as submitted (the organization) ---------------------------------------------


def submitted_context(proposal: Proposal) -> dict:
    """``proposal.submitted_version`` must be set (the view gives 404 otherwise)."""
    version = proposal.submitted_version
    return _common(
        proposal=proposal,
        round=proposal.round,
        view=selectors.version_view(version),
    )


def submitted_filename(proposal: Proposal) -> str:
    return f"proposal-{proposal.reference}-v{proposal.submitted_version.number}.pdf"


# --- the review packet (reviewers, the chair, staff) ------------------------------------------


def packet_context(stage: Stage, proposal: Proposal) -> dict:
    """The frozen version, the department's opinion once given, and the criteria."""
    round_ = stage.round
    return _common(
        stage=stage,
        round=round_,
        proposal=proposal,
        view=selectors.version_view(proposal.submitted_version),
        opinion=selectors.given_opinion(proposal),
        presentation=Presentation.objects.filter(stage=stage, proposal=proposal).first(),
        criteria=selectors.criteria_of(round_),
    )


def packet_filename(stage: Stage, proposal: Proposal) -> str:
    return f"review-packet-{proposal.reference}-stage{stage.number}.pdf"


# --- a reviewer's own score sheet -------------------------------------------------------------


def score_sheet_context(stage: Stage, proposal: Proposal, reviewer) -> dict:
    """The reviewer's review with each criterion's points and comment, its total out of 100;
    a blank sheet (points to circle on paper) when they have not started one."""
    round_ = stage.round
    criteria = selectors.criteria_of(round_)
    review = (
        Review.objects.filter(stage=stage, proposal=proposal, reviewer=reviewer)
        .prefetch_related("scores")
        .first()
    )
    scores = {s.criterion_id: s for s in review.scores.all()} if review else {}
    lines = [
        {
            "criterion": criterion,
            "points": getattr(scores.get(criterion.pk), "points", None),
            "comment": getattr(scores.get(criterion.pk), "comment", ""),
        }
        for criterion in criteria
    ]
    total = selectors.review_total(review, criteria, round_.max_points) if review else None
    if review is None:
        status, dated = None, None
    elif review.status == ReviewStatus.SUBMITTED:
        status, dated = review.get_status_display(), review.submitted_at
    else:
        status, dated = review.get_status_display(), review.updated_at
    return _common(
        stage=stage,
        round=round_,
        proposal=proposal,
        reviewer=reviewer,
        review=review,
        lines=lines,
        scale=list(range(round_.max_points + 1)),
        total=scoring.rounded(total),
        status_label=status,
        dated=dated,
        is_submitted=review is not None and review.status == ReviewStatus.SUBMITTED,
    )


def score_sheet_filename(stage: Stage, proposal: Proposal) -> str:
    return f"score-sheet-{proposal.reference}-stage{stage.number}.pdf"


# --- the stage's summary table (the chair, staff) ---------------------------------------------


def hidden_reason(result: scoring.ProposalResult) -> str:
    """Why the numbers of a line are not shown to the viewer (selectors.stage_results'
    ``hidden_because``), in the same words on the dashboard, in its CSV and in the summary."""
    if not result.hidden:
        return ""
    if result.hidden_because == "conflict":
        return gettext("You have a conflict of interest with this proposal.")
    if result.hidden_because == "undeclared":
        return gettext("Declare first whether you have a conflict of interest with this proposal.")
    return gettext("Submit your own review of it first.")


def summary_rows(stage: Stage, viewer) -> list[dict]:
    """The dashboard's lines (selectors.stage_results), rounded for print; a line hidden
    from this viewer carries no numbers, only the reason."""
    line = stage.round.adoption_line
    rows = []
    for result in selectors.stage_results(stage, viewer):
        # Its reference reads the round: give it the stage's, not a query per line.
        result.proposal.round = stage.round
        row = {
            "proposal": result.proposal,
            "hidden": result.hidden,
            "hidden_reason": hidden_reason(result),
        }
        if not result.hidden:
            row.update(
                rank=result.rank,
                count=result.count,
                mean=scoring.rounded(result.mean),
                median=scoring.rounded(result.median),
                lowest=scoring.rounded(result.lowest),
                highest=scoring.rounded(result.highest),
                missing=result.missing,
                conflicts=result.conflicts,
                drafts=result.drafts,
                reopened=result.reopened,
                above_line=result.above_line(line),
            )
        rows.append(row)
    return rows


def summary_context(stage: Stage, viewer) -> dict:
    rows = summary_rows(stage, viewer)
    return _common(
        stage=stage,
        round=stage.round,
        rows=rows,
        adoption_line=scoring.rounded(stage.round.adoption_line),
        hidden_count=sum(1 for row in rows if row["hidden"]),
    )


def summary_filename(stage: Stage) -> str:
    return f"review-summary-{stage.round.fiscal_year}-stage{stage.number}.pdf"
