"""The chair's and staff's dashboard of a stage (every proposal with the totals of its
reviews, ranked, against the adoption line), its CSV, and the round's conflict declarations.

Only the chair of the round and center staff reach these pages; anyone else gets 404. A row
the viewer may not see (a conflict, or their own review still pending while the round hides
scores) shows no numbers and says why, on the page and in the CSV alike.
"""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.exports import csv_download
from organizations.models import Membership
from proposals import rules, scoring, selectors
from proposals.models import ConflictDeclaration, Round

# The orders of ?sort=; hidden rows always come last, whatever the order, so that their
# place in the list gives nothing away.
SORTS = ("rank", "number", "mean", "median", "missing")
DEFAULT_SORT = "rank"


@dataclass
class Row:
    result: scoring.ProposalResult
    hidden_reason: str
    line: object  # the round's adoption line

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
        """True / False, or None before any submitted review."""
        return self.result.above_line(self.line)


def _viewer_conflicts(user, proposals) -> set[int]:
    """Ids of the proposals the viewer has a conflict with (declared, or a member)."""
    ids = [p.pk for p in proposals]
    declared = set(
        ConflictDeclaration.objects.filter(
            reviewer_id=user.pk, proposal_id__in=ids, has_conflict=True
        ).values_list("proposal_id", flat=True)
    )
    organizations = set(
        Membership.objects.filter(
            user_id=user.pk, organization_id__in={p.organization_id for p in proposals}
        ).values_list("organization_id", flat=True)
    )
    return declared | {p.pk for p in proposals if p.organization_id in organizations}


def _sorted(rows: list[Row], sort: str) -> list[Row]:
    shown = [r for r in rows if not r.hidden]
    hidden = sorted((r for r in rows if r.hidden), key=lambda r: r.proposal.number or 0)

    def number(row):
        return row.proposal.number or 0

    if sort == "number":
        shown.sort(key=number)
    elif sort in ("mean", "median"):
        # Highest first; proposals without a submitted review last.
        shown.sort(key=lambda r: (getattr(r, sort) is None, -(getattr(r, sort) or 0), number(r)))
    elif sort == "missing":
        shown.sort(key=lambda r: (-r.missing, number(r)))
    return shown + hidden


def _rows(stage, user) -> list[Row]:
    results = selectors.stage_results(stage, user)
    hidden = [r.proposal for r in results if r.hidden]
    conflicts = _viewer_conflicts(user, hidden) if hidden else set()
    line = stage.round.adoption_line
    rows = []
    for result in results:
        reason = ""
        if result.hidden:
            reason = (
                _("You have a conflict of interest with this proposal.")
                if result.proposal.pk in conflicts
                else _("Submit your own review of it first.")
            )
        rows.append(Row(result=result, hidden_reason=reason, line=line))
    return rows


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


@login_required
def dashboard(request, pk):
    stage = selectors.dashboard_stage(request.user, pk)
    sort = request.GET.get("sort", DEFAULT_SORT)
    if sort not in SORTS:
        sort = DEFAULT_SORT
    rows = _sorted(_rows(stage, request.user), sort)
    items = _with_line(rows) if sort == DEFAULT_SORT else [("row", row) for row in rows]
    round_ = stage.round
    return render(
        request,
        "proposals/dashboard.html",
        {
            "stage": stage,
            "round": round_,
            "stages": list(round_.stages.all()),
            "rows": rows,
            "items": items,
            "sort": sort,
            "show_presentation": stage.number == 2,
            "column_count": 12 if stage.number == 2 else 11,
            "can_manage": rules.can_manage_proposals(request.user),
            "reviewed_count": sum(1 for row in rows if not row.hidden and row.count),
            "reaching_count": sum(1 for row in rows if not row.hidden and row.reaches_line),
        },
    )


def _blank_if_hidden(row: Row, value):
    return "" if row.hidden or value is None else value


@login_required
def dashboard_csv(request, pk):
    stage = selectors.dashboard_stage(request.user, pk)
    rows = _sorted(_rows(stage, request.user), DEFAULT_SORT)
    response, write = csv_download(f"proposal-scores-{stage.round.fiscal_year}-{stage.number}.csv")
    header = [
        _("Rank"),
        _("Number"),
        _("Title"),
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


@login_required
def declarations(request, pk):
    round_ = Round.objects.filter(pk=pk).first()
    if round_ is None or not rules.can_view_dashboard(request.user, round_):
        raise Http404
    rows = selectors.round_declarations(round_)
    for row in rows:
        row["proposal"].round = round_  # its reference reads the round: no query per row
    return render(
        request,
        "proposals/declarations.html",
        {
            "round": round_,
            "stages": list(round_.stages.all()),
            "rows": rows,
            "can_manage": rules.can_manage_proposals(request.user),
        },
    )
