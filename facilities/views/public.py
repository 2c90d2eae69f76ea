"""Public pages: the resources and their availability. Anyone may look; the groups' names
are only ever handed to staff and to members of the booking's organization (the selector
leaves them out for everyone else)."""

import calendar
import datetime as dt

from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities import rules, selectors
from facilities.enums import BookingMode
from kyodo.bounds import parse_date

VIEWS = ("day", "week", "month")


def resource_list(request):
    return render(
        request,
        "facilities/resource_list.html",
        {"resources": list(selectors.active_resources().prefetch_related("slots", "hours"))},
    )


# The day page answers for dates within this many days of today: far enough for the booking
# window and for looking back, and never a date arithmetic can overflow on.
DAY_PAGE_RANGE = 800


def day(request):
    """Every resource on one date (?date=YYYY-MM-DD, default today): a row per resource, a
    cell per hour, free / taken / closed in words. Groups' names only for those who may see
    them (the selector decides)."""
    today = timezone.localdate()
    value = request.GET.get("date")
    try:
        date = dt.date.fromisoformat(value) if value else today
    except ValueError:
        return HttpResponseBadRequest(_("Give the date as YYYY-MM-DD."))
    if abs((date - today).days) > DAY_PAGE_RANGE:
        return HttpResponseBadRequest(_("This date is too far from today."))
    viewer = request.user if request.user.is_authenticated else None
    status, axis, rows = selectors.day_overview(date, viewer=viewer)
    return render(
        request,
        "facilities/day.html",
        {
            "date": date,
            "today": today,
            "day_status": status,
            "axis": axis,
            "rows": rows,
            "previous": date - dt.timedelta(days=1),
            "following": date + dt.timedelta(days=1),
        },
    )


def _period(view: str, date: dt.date) -> tuple[dt.date, int, dt.date, dt.date]:
    """(first day, number of days, previous period's date, next period's date)."""
    if view == "day":
        return date, 1, date - dt.timedelta(days=1), date + dt.timedelta(days=1)
    if view == "month":
        first = date.replace(day=1)
        length = calendar.monthrange(first.year, first.month)[1]
        previous = (first - dt.timedelta(days=1)).replace(day=1)
        return first, length, previous, first + dt.timedelta(days=length)
    monday = date - dt.timedelta(days=date.weekday())
    return monday, 7, monday - dt.timedelta(days=7), monday + dt.timedelta(days=7)


def _parse_date(value: str | None) -> dt.date:
    return parse_date(value, timezone.localdate())


def resource_detail(request, pk):
    resource = get_object_or_404(selectors.active_resources(), pk=pk)
    view = request.GET.get("view")
    view = view if view in VIEWS else "week"
    date = _parse_date(request.GET.get("date"))
    start, length, previous, following = _period(view, date)
    viewer = request.user if request.user.is_authenticated else None
    days = selectors.availability(resource, start, length, viewer=viewer)
    # Rows of the week table: one per slot or grid step, one cell per day.
    labels = [cell.label for cell in days[0].cells] if days else []
    rows = [(label, [day.cells[i] for day in days]) for i, label in enumerate(labels)]
    by_date = {day.date: day for day in days}
    month = calendar.Calendar(firstweekday=0).monthdatescalendar(start.year, start.month)
    weeks = [[by_date.get(d) for d in week] for week in month]
    context = {
        "resource": resource,
        "view": view,
        "views": VIEWS,
        "date": date,
        "start": start,
        "end": start + dt.timedelta(days=length - 1),
        "previous": previous,
        "following": following,
        "today": timezone.localdate(),
        "days": days,
        "rows": rows,
        "weeks": weeks if view == "month" else [],
        "weekdays": month[0],  # dates of one week, for the month table's column heads
        "is_slots": resource.mode == BookingMode.SLOTS,
        # Taken times offer キャンセル待ち to those who could book them.
        "can_wait": rules.may_book_for_some_organization(request.user),
        "hours": selectors.hours_side_by_side(resource),
    }
    context["prices"], context["discount"] = selectors.price_table(resource)
    template = "facilities/resource_detail.html"
    if getattr(request, "htmx", False) and not request.htmx.boosted:
        template += "#calendar"
    return render(request, template, context)
