"""The chair's and staff's dashboard of a stage (every proposal with the totals of its
reviews, ranked, against the adoption line), its CSV, the chair's conflict-of-interest
declaration from the dashboard, and the round's conflict declarations.

Only the chair of the round and center staff reach these pages; anyone else gets 404. A row
the viewer may not see (a conflict, no declaration of "no conflict" yet, or their own review
still pending while the round hides scores: selectors.stage_results) shows no numbers and
says why, on the page, in the CSV and in the summary PDF alike. The chair declares for a
proposal right on its row; staff see every row and do not declare.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kyodo.actions import run_service
from kyodo.exports import csv_download
from proposals import reviews, rules, scoring, selectors
from proposals.enums import StageStatus
from proposals.forms_review import DeclarationForm
from proposals.models import Review, Round, Stage
from proposals.pdfs import hidden_reason

# The orders of ?sort=; hidden rows always come last, whatever the order, so that their
# place in the list gives nothing away.
SORTS = ("rank", "number", "mean", "median", "missing")
DEFAULT_SORT = "rank"
# A call can have hundreds of proposals: the ranking is computed over all of them, the page
# renders one page of rows (the CSV and the summary PDF have them all).
PAGE_SIZE = 50


@dataclass
class Row:
    result: scoring.ProposalResult
    hidden_reason: str
    line: object  # the round's adoption line
    declarable: bool = False  # the viewer (the chair) may declare for it on the dashboard

    def __getattr__(self, name):
        return getattr(self.result, name)

    @property
    def mean_1(self):
        return scoring.rounded(self.result.mean)

    @property
    def median_1(self):
        return scoring.rounded(self.result.median)

    @property
    def lowest_1(self):
        return scoring.rounded(self.result.lowest)

    @property
    def highest_1(self):
        return scoring.rounded(self.result.highest)

    @property
    def stdev_1(self):
        stdev = self.result.stdev
        return None if stdev is None else scoring.rounded(stdev)

    @property
    def reaches_line(self):
        """True / False, or None before any submitted review; compared on the mean as shown
        (one decimal: scoring.ProposalResult.above_line), so 49.96 shows 50.0 and reaches 50."""
        return self.result.above_line(self.line)

    @property
    def undeclared(self) -> bool:
        return self.result.hidden and self.result.hidden_because == "undeclared"


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    shown = [r for r in rows if not r.hidden]
    hidden = sorted((r for r in rows if r.hidden), key=lambda r: r.proposal.number or 0)

    def number(row):
        return row.proposal.number or 0

    if sort == "number":
        shown.sort(key=number)
    elif sort in ("mean", "median"):
        # Highest first on the value as shown (as the ranking); proposals without a submitted
        # review last.
        def value(row):
            return getattr(row, f"{sort}_1")

        shown.sort(key=lambda r: (value(r) is None, -(value(r) or 0), number(r)))
    elif sort == "missing":
        shown.sort(key=lambda r: (-r.missing, number(r)))
    return shown + hidden


def _declarable(stage, user, undeclared: list) -> set[int]:
    """Of the proposals the chair has not declared for, those they can declare for now (the
    rules of reviews.declaration_refusal, read for all rows in one query)."""
    if not undeclared or not rules.is_chair(user, stage.round) or rules.can_manage_proposals(user):
        return set()
    if stage.status == StageStatus.PREPARING or stage.round.decisions_released:
        return set()
    ids = {p.pk for p in undeclared}
    closed_reviews = set(
        Review.objects.filter(
            reviewer=user, proposal_id__in=ids, stage__status=StageStatus.CLOSED
        ).values_list("proposal_id", flat=True)
    )
    return ids - closed_reviews


def _rows(stage, user, *, with_forms: bool = False) -> list[Row]:
    results = selectors.stage_results(stage, user)
    line = stage.round.adoption_line
    undeclared = [r.proposal for r in results if r.hidden and r.hidden_because == "undeclared"]
    declarable = _declarable(stage, user, undeclared) if with_forms else set()
    return [
        Row(
            result=result,
            hidden_reason=hidden_reason(result),
            line=line,
            declarable=result.proposal.pk in declarable,
        )
        for result in results
    ]


def _with_line(rows: list[Row]) -> list[tuple[str, Row | None]]:
    """The ranking with the adoption line as a row of its own, after the last proposal that
    reaches it."""
    if not rows:
        return []
    position = 0
    for index, row in enumerate(rows):
        if not row.hidden and row.reaches_line:
            position = index + 1
    items = [("row", row) for row in rows]
    items.insert(position, ("line", None))
    return items


@never_cache
@login_required
def dashboard(request, pk):
    stage = selectors.dashboard_stage(request.user, pk)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    rows = _sorted(_rows(stage, request.user, with_forms=True), sort)
    items = _with_line(rows) if sort == DEFAULT_SORT else [("row", row) for row in rows]
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    round_ = stage.round
    return render(
        request,
        "proposals/dashboard.html",
        {
            "stage": stage,
            "round": round_,
            "stages": list(round_.stages.all()),
            "rows": rows,
            "items": page.object_list,
            "page_obj": page,
            "sort": sort,
            "show_presentation": stage.number == 2,
            "column_count": 13 if stage.number == 2 else 12,
            "can_manage": rules.can_manage_proposals(request.user),
            "reviewed_count": sum(1 for row in rows if not row.hidden and row.count),
            "reaching_count": sum(1 for row in rows if not row.hidden and row.reaches_line),
        },
    )


def _blank_if_hidden(row: Row, value):
    return "" if row.hidden or value is None else value


@never_cache
@login_required
def dashboard_csv(request, pk):
    stage = selectors.dashboard_stage(request.user, pk)
    rows = _sorted(_rows(stage, request.user), DEFAULT_SORT)
    response, write = csv_download(f"proposal-scores-{stage.round.fiscal_year}-{stage.number}.csv")
    header = [
        _("Rank"),
        _("Number"),
        pgettext("proposal", "Title"),
        _("Organization"),
        _("Submitted reviews"),
        _("Mean (of 100)"),
        _("Median (of 100)"),
        _("Lowest"),
        _("Highest"),
        _("Standard deviation"),
        _("Reviews missing"),
        _("Conflicts"),
        _("Drafts"),
        _("Re-opened"),
        _("Reaches the adoption line"),
    ]
    if stage.number == 2:
        header.append(_("Presentation"))
    header.append(_("Not shown because"))
    write(header)
    for row in rows:
        reaches = row.reaches_line
        line = [
            _blank_if_hidden(row, row.rank),
            row.proposal.reference,
            row.proposal.title,
            row.proposal.organization.name,
            _blank_if_hidden(row, row.count),
            _blank_if_hidden(row, row.mean_1),
            _blank_if_hidden(row, row.median_1),
            _blank_if_hidden(row, row.lowest_1),
            _blank_if_hidden(row, row.highest_1),
            _blank_if_hidden(row, row.stdev_1),
            _blank_if_hidden(row, row.missing),
            _blank_if_hidden(row, row.conflicts),
            _blank_if_hidden(row, row.drafts),
            _blank_if_hidden(row, row.reopened),
            _blank_if_hidden(row, None if reaches is None else (_("yes") if reaches else _("no"))),
        ]
        if stage.number == 2:
            starts_at = row.presentation.starts_at if row.presentation else None
            line.append(
                timezone.localtime(starts_at).strftime("%Y-%m-%d %H:%M") if starts_at else ""
            )
        line.append(row.hidden_reason)
        write(line)
    return response


@require_POST
@login_required
def chair_declare(request, pk, proposal_pk):
    """The chair declares, from the dashboard, whether they have a conflict of interest with
    a proposal of the stage: with "no conflict" its numbers are shown to them. Staff see every
    row anyway and do not declare; anyone but the chair gets 404."""
    stage = get_object_or_404(Stage.objects.select_related("round"), pk=pk)
    if not rules.is_chair(request.user, stage.round) or rules.can_manage_proposals(request.user):
        raise Http404
    proposal = get_object_or_404(selectors.stage_proposals(stage), pk=proposal_pk)
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you have a conflict of interest."))
        return redirect("proposals_review:dashboard", pk=stage.pk)
    kwargs = form.service_kwargs()
    run_service(
        request,
        lambda: reviews.conflict_declare(
            proposal=proposal, stage=stage, reviewer=request.user, **kwargs
        ),
        success=(
            _("Your conflict of interest with %(reference)s is recorded: its scores stay hidden.")
            if kwargs["has_conflict"]
            else _("Your declaration is recorded: the scores of %(reference)s are shown now.")
        )
        % {"reference": proposal.reference},
    )
    return redirect("proposals_review:dashboard", pk=stage.pk)


@never_cache
@login_required
def declarations(request, pk):
    round_ = Round.objects.filter(pk=pk).first()
    if round_ is None or not rules.can_view_dashboard(request.user, round_):
        raise Http404
    page = Paginator(selectors.round_declared(round_), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [selectors.declaration_row(declaration) for declaration in page.object_list]
    automatic = selectors.round_automatic_exclusions(round_)
    for row in [*rows, *automatic]:
        row["proposal"].round = round_  # its reference reads the round: no query per row
    return render(
        request,
        "proposals/declarations.html",
        {
            "round": round_,
            "stages": list(round_.stages.all()),
            "rows": rows,
            "page_obj": page,
            "automatic": automatic,
            "can_manage": rules.can_manage_proposals(request.user),
        },
    )
