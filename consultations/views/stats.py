"""The consultation figures (any period, as tables with a bar chart and as CSV for the ward's
report), the retention deletion and the log of who read a case's notes.

Statistics are for center staff; retention and the access log for the センター責任者 only.
Anyone else who is signed in gets 404, as if the page did not exist.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consultations import selectors, services
from consultations.forms_stats import RetentionConfirmForm, StatisticsPeriodForm, default_period
from consultations.rules import can_anonymize, can_handle_cases, can_read_access_log
from kyodo.exports import csv_download

ACCESS_LOG_PAGE_SIZE = 100
RETENTION_RUNS_SHOWN = 50


# --- figures -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    label: str
    count: int
    share: float  # of all cases in the period, in per cent

    @property
    def bar_width(self) -> str:
        # An SVG attribute, written with a dot whatever the language's decimal separator.
        return f"{min(self.share, 100.0):.1f}%"


@dataclass(frozen=True)
class FigureTable:
    key: str
    caption: str
    heading: str
    rows: list[FigureRow]
    note: str = ""


def _share(count: int, total: int) -> float:
    return round(count * 100 / total, 1) if total else 0.0


def _english() -> bool:
    return (get_language() or "ja").startswith("en")


def figure_tables(figures: dict) -> list[FigureTable]:
    """The breakdowns of selectors.statistics as labelled rows, in the reader's language.
    A case with several categories counts once in each, so that table may add up to more
    than the total."""
    total = figures["total"]

    def rows(pairs):
        return [FigureRow(str(label), count, _share(count, total)) for label, count in pairs]

    category_pairs = [
        (name_en if _english() and name_en else name, count)
        for _pk, name, name_en, count in figures["by_category"]
    ]
    if figures["uncategorised"]:
        category_pairs.append((_("No category"), figures["uncategorised"]))
    type_pairs = [
        (label or value or _("No organization (individuals)"), count)
        for value, label, count in figures["by_type"]
    ]
    return [
        FigureTable(
            "category",
            _("Cases by category"),
            pgettext("consultation", "Category"),
            rows(category_pairs),
            _("A case with several categories counts once in each."),
        ),
        FigureTable(
            "channel",
            _("Cases by channel"),
            _("Channel"),
            rows((label, count) for _value, label, count in figures["by_channel"]),
        ),
        FigureTable(
            "organization_type",
            _("Cases by type of organization"),
            _("Type of organization"),
            rows(type_pairs),
        ),
        FigureTable(
            "outcome",
            _("Cases by outcome"),
            _("Outcome"),
            rows((label, count) for _value, label, count in figures["by_outcome"]),
            _("A case with several kinds of outcome counts once in each."),
        ),
    ]


def summary_rows(figures: dict) -> list[tuple[str, object]]:
    average = figures["average_days_to_close"]
    return [
        (_("Cases opened in the period"), figures["total"]),
        (_("Cases with an outcome"), figures["with_outcome"]),
        (_("Repeat askers (asked more than once)"), figures["repeat_askers"]),
        (_("Cases from repeat askers"), figures["repeat_cases"]),
        (_("Cases closed"), figures["closed"]),
        (_("Average days to close"), "—" if average is None else average),
    ]


def _staff_or_404(request):
    if not can_handle_cases(request.user):
        raise Http404


def _chosen_period(request):
    """(form, period, query for the CSV link): the current 年度 when nothing was chosen;
    period None when the choice is not valid (the form then carries the errors)."""
    if not request.GET:
        form = StatisticsPeriodForm()
        year = form.fields["fiscal_year"].initial
        return form, default_period(), {"period": form.FISCAL_YEAR, "fiscal_year": year}
    form = StatisticsPeriodForm(request.GET)
    if not form.is_valid():
        return form, None, None
    return form, form.get_period(), form.query()


@login_required
def statistics(request):
    _staff_or_404(request)
    form, period, query = _chosen_period(request)
    context = {"form": form, "period": period}
    if period is not None:
        figures = selectors.statistics(period.start, period.end)
        context.update(
            figures=figures,
            summary=summary_rows(figures),
            tables=figure_tables(figures),
            export_url=f"{reverse('consultations:statistics_export')}?{urlencode(query)}",
        )
    return render(request, "consultations/statistics.html", context)


@login_required
def statistics_export(request):
    """The same figures as CSV: a summary, then one section per breakdown, each with its own
    header row and a blank line between them (as the ward's report template lays them out)."""
    _staff_or_404(request)
    _form, period, _query = _chosen_period(request)
    if period is None:
        return HttpResponseBadRequest(_("Choose a valid period."))
    figures = selectors.statistics(period.start, period.end)
    response, write = csv_download(
        f"consultation-statistics-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    )

    write([_("Item"), _("Value")])
    write([_("Period"), period.label])
    write([_("First day"), f"{period.start:%Y-%m-%d}"])
    write([_("Last day"), f"{period.end:%Y-%m-%d}"])
    for label, value in summary_rows(figures):
        write([label, value])
    for table in figure_tables(figures):
        write([])
        write([table.heading, _("Number of cases"), _("Share of all cases (%)")])
        for row in table.rows:
            write([row.label, row.count, f"{row.share:.1f}"])
    return response


# --- retention ---------------------------------------------------------------------------------


def _manager_or_404(request, predicate):
    if not predicate(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def retention(request):
    """Cases closed before the retention cutoff, and the button that anonymises them. The list
    shows numbers, dates and categories only: no personal text on a page about deleting it."""
    _manager_or_404(request, can_anonymize)
    cutoff = services.retention_cutoff()
    candidates = selectors.retention_candidates(cutoff).prefetch_related("categories")
    form = RetentionConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        # An empty run would only add a row to the audit list.
        if not candidates.exists():
            messages.info(request, _("No case is past its retention period."))
        else:
            run = services.cases_anonymize(by=request.user)
            count = len(run.case_numbers)
            messages.success(
                request,
                ngettext(
                    "%(count)d case was anonymised.", "%(count)d cases were anonymised.", count
                )
                % {"count": count},
            )
        return redirect("consultations:retention")
    runs = selectors.retention_runs()[:RETENTION_RUNS_SHOWN]
    return render(
        request,
        "consultations/retention.html",
        {
            "cutoff": cutoff,
            "candidates": list(candidates),
            "runs": list(runs),
            "form": form,
        },
    )


# --- the log of readings -----------------------------------------------------------------------


@login_required
def access_log(request, pk):
    """Who read this case's notes, when and why (the 要配慮 reason), newest first."""
    _manager_or_404(request, can_read_access_log)
    case = get_object_or_404(selectors.cases_visible_to(request.user), pk=pk)
    page = Paginator(selectors.note_accesses(case), ACCESS_LOG_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "consultations/access_log.html",
        {"case": case, "page_obj": page, "accesses": page.object_list},
    )
