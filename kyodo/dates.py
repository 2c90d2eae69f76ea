"""和暦, 年度 and the center's closure calendar.

Public holidays come from the maintained ``holidays`` library (it knows 振替休日, 国民の休日
and the yearly 春分・秋分), never from a list of ours. Opening hours, annual closures,
per-holiday rules and ad-hoc closures are rows staff edit in the admin (kyodo.models).
"""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache

import holidays
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.localized import english_wanted

# (first day, era name); the first year of an era is written 元年.
_ERAS = (
    (dt.date(2019, 5, 1), "令和"),
    (dt.date(1989, 1, 8), "平成"),
    (dt.date(1926, 12, 25), "昭和"),
    (dt.date(1912, 7, 30), "大正"),
    (dt.date(1873, 1, 1), "明治"),  # the Gregorian calendar was adopted on 明治6年1月1日
)
_MEIJI_START_YEAR = 1868


def era_of(date: dt.date) -> tuple[str, int]:
    """The era and the year in it: era_of(date(2019, 5, 1)) == ("令和", 1)."""
    for start, name in _ERAS:
        if date >= start:
            first_year = _MEIJI_START_YEAR if name == "明治" else start.year
            return name, date.year - first_year + 1
    raise ValueError(f"{date} lies before the Gregorian calendar in Japan (1873).")


def _era_year(name: str, year: int) -> str:
    return f"{name}{'元' if year == 1 else year}年"


def _local_date(value: dt.date | dt.datetime) -> dt.date:
    """The date of ``value``; an aware datetime is read in Tokyo time (TIME_ZONE) first."""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


def wareki(date: dt.date | dt.datetime) -> str:
    """令和8年11月21日 — the date in the Japanese era, 元年 for year 1."""
    date = _local_date(date)
    name, year = era_of(date)
    return f"{_era_year(name, year)}{date.month}月{date.day}日"


def wareki_until(date: dt.date | dt.datetime) -> str:
    """令和8年12月7日まで — a last day (a deadline) as the letters write it; in the English
    interface "until 2026-12-07" (an era year means nothing to an English reader)."""
    from kyodo.localized import english_wanted

    if english_wanted():
        day = date.date() if isinstance(date, dt.datetime) else date
        return _("until %(date)s") % {"date": f"{day:%Y-%m-%d}"}
    return _("until %(date)s") % {"date": wareki(date)}


def wareki_year(date: dt.date) -> str:
    """令和8年 — the era year alone."""
    return _era_year(*era_of(date))


def fiscal_year(date: dt.date | dt.datetime) -> int:
    """The 年度 (April to March) a date falls in, by its starting calendar year."""
    date = _local_date(date)
    return date.year if date.month >= 4 else date.year - 1


def fiscal_year_range(year: int) -> tuple[dt.date, dt.date]:
    """First and last day of 年度 ``year``: (1 April year, 31 March year+1)."""
    return dt.date(year, 4, 1), dt.date(year + 1, 3, 31)


def fiscal_year_label(year: int) -> str:
    """令和8年度: the era year of the calendar year the 年度 starts in, named by the era in use
    at that year's end, so 2019年度 is 令和元年度 (not 平成31年度) and 2018年度 平成30年度.
    In the English interface: FY2026 (the year the 年度 starts in, as Japanese bodies write it)."""
    if english_wanted():
        return f"FY{year}"
    return f"{wareki_year(dt.date(year, 12, 31))}度"


@lru_cache(maxsize=64)
def japan_holidays(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("JP", years=year, language="ja"))


@lru_cache(maxsize=64)
def _japan_holidays_in_english(year: int) -> dict[dt.date, str]:
    return dict(holidays.country_holidays("JP", years=year, language="en_US"))


def holiday_label(date: dt.date) -> str | None:
    """The holiday's name to show: in English in the English interface (New Year's Day),
    else in Japanese (元日). Rules match on the Japanese name (holiday_name)."""
    if english_wanted():
        return _japan_holidays_in_english(date.year).get(date)
    return holiday_name(date)


def holiday_name(date: dt.date) -> str | None:
    """The Japanese public holiday on ``date`` (e.g. 振替休日), or None."""
    return japan_holidays(date.year).get(date)


@dataclass(frozen=True)
class DayStatus:
    date: dt.date
    is_open: bool
    opens: dt.time | None
    closes: dt.time | None
    reason: str  # why closed, or why the hours differ; empty on an ordinary open day
    holiday: str | None

    def __bool__(self):
        return self.is_open


def _in_annual_closure(date: dt.date, closure) -> bool:
    start = (closure.start_month, closure.start_day)
    end = (closure.end_month, closure.end_day)
    here = (date.month, date.day)
    if start <= end:
        return start <= here <= end
    return here >= start or here <= end  # wraps over the year end, e.g. 12/29–1/3


def center_day(date: dt.date) -> DayStatus:
    """Is the center open on ``date``, and when? (See center_days for the rules.)"""
    return center_days(date, date)[0]


def is_center_open(date: dt.date) -> bool:
    return center_day(date).is_open


@dataclass(frozen=True)
class CalendarRows:
    adhoc: dict  # date → Closure
    annual: list  # AnnualClosure, in their order
    closed_holidays: set  # holiday names
    hours: dict  # weekday → OpeningHours


def calendar_rows(start: dt.date, end: dt.date) -> CalendarRows:
    """The rows center_days reads for start..end, in four queries."""
    from kyodo.models import AnnualClosure, Closure, HolidayRule, OpeningHours

    return CalendarRows(
        adhoc={c.date: c for c in Closure.objects.filter(date__range=(start, end))},
        annual=list(AnnualClosure.objects.all()),
        closed_holidays=set(
            HolidayRule.objects.filter(is_open=False).values_list("holiday_name", flat=True)
        ),
        hours={h.weekday: h for h in OpeningHours.objects.all()},
    )


def center_days(start: dt.date, end: dt.date, rows=None) -> list[DayStatus]:
    """The center's status for every date from start to end inclusive, in four queries.

    Order of rules, first match wins: an ad-hoc closure or changed hours; an annual closure
    (年末年始); a public holiday whose rule says closed; the weekday's regular hours. A holiday
    without a closing rule follows its weekday, so a holiday Monday stays closed (DOMAIN.md).
    ``rows``: calendar_rows(start, end) already read (the home page shows them too).
    """
    rows = rows or calendar_rows(start, end)
    adhoc, annual, closed_holidays, hours = (
        rows.adhoc,
        rows.annual,
        rows.closed_holidays,
        rows.hours,
    )
    days = []
    date = start
    while date <= end:
        holiday = holiday_name(date)
        days.append(
            _day_status(
                date,
                closure=adhoc.get(date),
                annual_match=next((a for a in annual if _in_annual_closure(date, a)), None),
                holiday_closed=holiday is not None and holiday in closed_holidays,
                regular=hours.get(date.weekday()),
            )
        )
        date += dt.timedelta(days=1)
    return days


def _day_status(date, *, closure, annual_match, holiday_closed, regular) -> DayStatus:
    """The rules of center_days for one date, given what applies to it (first match wins)."""
    shown = holiday_label(date) if holiday_name(date) else None
    if closure is not None:
        return DayStatus(
            date, not closure.is_full_day, closure.opens, closure.closes, closure.reason, shown
        )
    if annual_match is not None:
        return DayStatus(date, False, None, None, annual_match.display_name, shown)
    if holiday_closed:
        return DayStatus(date, False, None, None, shown, shown)
    if regular is None or regular.is_closed:
        return DayStatus(date, False, None, None, _("regular closing day"), shown)
    return DayStatus(date, True, regular.opens, regular.closes, "", shown)


def center_day_lookups(date: dt.date, prefix: str = "day_") -> dict:
    """center_day's rows for ``date`` as scalar subqueries, to annotate onto a query that
    runs anyway (facilities.services reads a booking's rules in one query); read the row
    back with center_day_from. Same rules as center_days (a test compares them)."""
    from django.db.models import Exists, F, Q, Subquery

    from kyodo.models import AnnualClosure, Closure, HolidayRule, OpeningHours

    here = date.month * 100 + date.day
    closure = Closure.objects.filter(date=date)
    annual = (
        AnnualClosure.objects.annotate(
            s=F("start_month") * 100 + F("start_day"), e=F("end_month") * 100 + F("end_day")
        )
        .filter(
            Q(s__lte=F("e")) & Q(s__lte=here) & Q(e__gte=here)
            | Q(s__gt=F("e")) & (Q(s__lte=here) | Q(e__gte=here))
        )
        .order_by("start_month", "start_day", "pk")
    )
    regular = OpeningHours.objects.filter(weekday=date.weekday()).order_by("pk")
    holiday = holiday_name(date)
    lookups = {
        f"{prefix}closure_id": Subquery(closure.values("pk")[:1]),
        f"{prefix}closure_reason": Subquery(closure.values("reason")[:1]),
        f"{prefix}closure_opens": Subquery(closure.values("opens")[:1]),
        f"{prefix}closure_closes": Subquery(closure.values("closes")[:1]),
        f"{prefix}annual_name": Subquery(annual.values("name")[:1]),
        f"{prefix}annual_name_en": Subquery(annual.values("name_en")[:1]),
        f"{prefix}regular_id": Subquery(regular.values("pk")[:1]),
        f"{prefix}regular_is_closed": Subquery(regular.values("is_closed")[:1]),
        f"{prefix}regular_opens": Subquery(regular.values("opens")[:1]),
        f"{prefix}regular_closes": Subquery(regular.values("closes")[:1]),
    }
    if holiday is not None:
        lookups[f"{prefix}holiday_closed"] = Exists(
            HolidayRule.objects.filter(is_open=False, holiday_name=holiday)
        )
    return lookups


def center_day_from(row, date: dt.date, prefix: str = "day_") -> DayStatus:
    """The DayStatus of ``date`` from an object annotated with center_day_lookups."""
    from kyodo.models import AnnualClosure, Closure, OpeningHours

    def get(name):
        return getattr(row, f"{prefix}{name}", None)

    closure = (
        Closure(
            date=date,
            reason=get("closure_reason"),
            opens=get("closure_opens"),
            closes=get("closure_closes"),
        )
        if get("closure_id") is not None
        else None
    )
    annual = (
        AnnualClosure(name=get("annual_name"), name_en=get("annual_name_en") or "")
        if get("annual_name") is not None
        else None
    )
    regular = (
        OpeningHours(
            weekday=date.weekday(),
            is_closed=get("regular_is_closed"),
            opens=get("regular_opens"),
            closes=get("regular_closes"),
        )
        if get("regular_id") is not None
        else None
    )
    return _day_status(
        date,
        closure=closure,
        annual_match=annual,
        holiday_closed=bool(get("holiday_closed")),
        regular=regular,
    )
