"""和暦, 年度 and the center's closure calendar (kyodo.dates, the wareki/nendo filters)."""

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.utils import timezone, translation

from kyodo.dates import (
    center_day,
    center_days,
    era_of,
    fiscal_year,
    fiscal_year_label,
    fiscal_year_range,
    holiday_name,
    is_center_open,
    wareki,
    wareki_year,
)
from kyodo.models import Closure, HolidayRule, OpeningHours

TEN = dt.time(10)
NINETEEN = dt.time(19)


def render(template: str, **context) -> str:
    return Template("{% load kyodo_tags %}" + template).render(Context(context))


def aware_utc(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=dt.UTC)


# --- 和暦 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2019, 4, 30), "平成31年4月30日"),
        (dt.date(2019, 5, 1), "令和元年5月1日"),
        (dt.date(2019, 12, 31), "令和元年12月31日"),
        (dt.date(2020, 1, 1), "令和2年1月1日"),
        (dt.date(2026, 11, 21), "令和8年11月21日"),
        (dt.date(1989, 1, 7), "昭和64年1月7日"),
        (dt.date(1989, 1, 8), "平成元年1月8日"),
        (dt.date(1926, 12, 24), "大正15年12月24日"),
        (dt.date(1926, 12, 25), "昭和元年12月25日"),
        (dt.date(1912, 7, 29), "明治45年7月29日"),
        (dt.date(1912, 7, 30), "大正元年7月30日"),
        (dt.date(1873, 1, 1), "明治6年1月1日"),
    ],
)
def test_wareki_writes_the_date_in_its_era_with_gannen_for_year_one(date, expected):
    assert wareki(date) == expected


def test_era_of_gives_the_era_name_and_the_year_in_it():
    assert era_of(dt.date(2019, 5, 1)) == ("令和", 1)
    assert era_of(dt.date(2019, 4, 30)) == ("平成", 31)
    assert era_of(dt.date(2026, 11, 21)) == ("令和", 8)


def test_a_date_before_the_gregorian_calendar_in_japan_is_refused():
    with pytest.raises(ValueError, match="1873"):
        wareki(dt.date(1872, 12, 31))


def test_wareki_year_gives_the_era_year_alone():
    assert wareki_year(dt.date(2019, 5, 1)) == "令和元年"
    assert wareki_year(dt.date(2026, 1, 1)) == "令和8年"
    assert wareki_year(dt.date(2019, 4, 30)) == "平成31年"


def test_wareki_reads_an_aware_datetime_in_tokyo_time():
    # 2019-04-30 15:30 UTC is 2019-05-01 00:30 in Tokyo, the first day of 令和.
    assert wareki(aware_utc(2019, 4, 30, 15, 30)) == "令和元年5月1日"


def test_wareki_takes_a_naive_datetime_at_its_face_value():
    assert wareki(dt.datetime(2019, 4, 30, 23, 59)) == "平成31年4月30日"


# --- the wareki and nendo filters ---------------------------------------------------------------


def test_wareki_filter_renders_a_date_in_the_japanese_era():
    assert render("{{ d|wareki }}", d=dt.date(2026, 11, 21)) == "令和8年11月21日"


def test_wareki_filter_gives_the_tokyo_date_of_an_aware_datetime_just_after_midnight():
    assert render("{{ d|wareki }}", d=aware_utc(2019, 4, 30, 15, 30)) == "令和元年5月1日"


def test_wareki_filter_shows_the_tokyo_date_one_minute_before_midnight_as_the_old_era():
    assert render("{{ d|wareki }}", d=aware_utc(2019, 4, 30, 14, 59)) == "平成31年4月30日"


@time_machine.travel(aware_utc(2019, 4, 30, 15, 30), tick=False)
def test_wareki_filter_on_now_shows_reiwa_from_midnight_in_tokyo():
    assert render("{{ now|wareki }}", now=timezone.now()) == "令和元年5月1日"
    assert render("{{ today|wareki }}", today=timezone.localdate()) == "令和元年5月1日"


@pytest.mark.parametrize("empty", [None, ""])
def test_wareki_filter_renders_nothing_for_no_date(empty):
    assert render("{{ d|wareki }}", d=empty) == ""


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (dt.date(2026, 3, 31), "令和7年度"),
        (dt.date(2026, 4, 1), "令和8年度"),
        (dt.date(2019, 4, 1), "令和元年度"),
        (dt.date(2019, 3, 31), "平成30年度"),
        (2019, "令和元年度"),
        (2026, "令和8年度"),
        (aware_utc(2026, 3, 31, 15, 30), "令和8年度"),  # 2026-04-01 00:30 in Tokyo
    ],
)
def test_nendo_filter_renders_the_fiscal_year_a_date_falls_in(value, expected):
    assert render("{{ v|nendo }}", v=value) == expected


@pytest.mark.parametrize("empty", [None, ""])
def test_nendo_filter_renders_nothing_for_no_value(empty):
    assert render("{{ v|nendo }}", v=empty) == ""


# --- 年度 ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("date", "expected"),
    [
        (dt.date(2026, 3, 31), 2025),
        (dt.date(2026, 4, 1), 2026),
        (dt.date(2026, 12, 31), 2026),
        (dt.date(2027, 1, 1), 2026),
        (dt.date(2019, 4, 30), 2019),
    ],
)
def test_fiscal_year_runs_from_april_to_march(date, expected):
    assert fiscal_year(date) == expected


def test_fiscal_year_of_an_aware_datetime_uses_the_tokyo_date():
    # 2026-03-31 15:30 UTC is already 1 April in Tokyo.
    assert fiscal_year(aware_utc(2026, 3, 31, 15, 30)) == 2026
    assert fiscal_year(aware_utc(2026, 3, 31, 14, 59)) == 2025


def test_fiscal_year_range_is_first_of_april_to_thirty_first_of_march():
    assert fiscal_year_range(2026) == (dt.date(2026, 4, 1), dt.date(2027, 3, 31))
    assert fiscal_year_range(2019) == (dt.date(2019, 4, 1), dt.date(2020, 3, 31))


def test_every_date_in_a_fiscal_year_range_belongs_to_that_fiscal_year():
    first, last = fiscal_year_range(2026)
    assert fiscal_year(first) == fiscal_year(last) == 2026
    assert fiscal_year(first - dt.timedelta(days=1)) == 2025
    assert fiscal_year(last + dt.timedelta(days=1)) == 2027


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        (2019, "令和元年度"),
        (2018, "平成30年度"),
        (2020, "令和2年度"),
        (2026, "令和8年度"),
        (1989, "平成元年度"),
        (1988, "昭和63年度"),
    ],
)
def test_fiscal_year_label_names_the_year_in_the_japanese_era(year, expected):
    assert fiscal_year_label(year) == expected


# --- public holidays ----------------------------------------------------------------------------


def test_holiday_name_knows_substitute_holidays():
    # 2026-05-03 憲法記念日 falls on a Sunday, so Wednesday 5/6 is 振替休日.
    assert holiday_name(dt.date(2026, 5, 6)) == "振替休日"


def test_holiday_name_knows_the_citizens_holiday_between_two_holidays():
    # 2026-09-21 敬老の日 and 9/23 秋分の日 enclose 9/22, a 国民の休日.
    assert holiday_name(dt.date(2026, 9, 21)) == "敬老の日"
    assert holiday_name(dt.date(2026, 9, 22)) == "国民の休日"
    assert holiday_name(dt.date(2026, 9, 23)) == "秋分の日"


def test_holiday_name_is_none_on_an_ordinary_day():
    assert holiday_name(dt.date(2026, 11, 17)) is None


# --- the closure calendar (defaults from the data migration) ------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("day", [17, 18, 19, 20, 21, 22])  # Tuesday 2026-11-17 to Sunday 11-22
def test_an_ordinary_day_from_tuesday_to_sunday_is_open_ten_to_nineteen(day):
    status = center_day(dt.date(2026, 11, day))
    assert status.is_open
    assert (status.opens, status.closes) == (TEN, NINETEEN)
    assert status.reason == ""
    assert status.holiday is None
    assert is_center_open(dt.date(2026, 11, day)) is True


@pytest.mark.django_db
@pytest.mark.parametrize(
    "monday", [dt.date(2026, 11, 16), dt.date(2026, 6, 1), dt.date(2027, 2, 1)]
)
def test_every_monday_is_closed(monday):
    assert monday.weekday() == 0
    status = center_day(monday)
    assert not status.is_open
    assert (status.opens, status.closes) == (None, None)
    assert is_center_open(monday) is False
    with translation.override("en"):
        assert center_day(monday).reason == "regular closing day"


@pytest.mark.django_db
def test_a_day_status_is_falsy_when_closed_and_truthy_when_open():
    assert not center_day(dt.date(2026, 11, 16))
    assert center_day(dt.date(2026, 11, 17))


@pytest.mark.django_db
@pytest.mark.parametrize("year", [2024, 2025, 2028])  # years whose 12/28 and 1/4 are no Mondays
def test_the_year_end_holidays_close_from_december_29_to_january_3(year):
    days = {
        status.date: status
        for status in center_days(dt.date(year, 12, 28), dt.date(year + 1, 1, 4))
    }
    assert days[dt.date(year, 12, 28)].is_open
    for closed in [
        dt.date(year, 12, 29),
        dt.date(year, 12, 30),
        dt.date(year, 12, 31),
        dt.date(year + 1, 1, 1),
        dt.date(year + 1, 1, 2),
        dt.date(year + 1, 1, 3),
    ]:
        assert not days[closed].is_open, closed
        assert days[closed].reason == "年末年始"
    assert days[dt.date(year + 1, 1, 4)].is_open
    assert (days[dt.date(year + 1, 1, 4)].opens, days[dt.date(year + 1, 1, 4)].closes) == (
        TEN,
        NINETEEN,
    )


@pytest.mark.django_db
def test_new_years_day_is_closed_for_the_year_end_and_still_named_as_a_holiday():
    status = center_day(dt.date(2025, 1, 1))
    assert not status.is_open
    assert status.reason == "年末年始"
    assert status.holiday == "元日"


@pytest.mark.django_db
def test_january_4_stays_closed_when_it_is_a_monday():
    assert dt.date(2027, 1, 4).weekday() == 0
    assert not is_center_open(dt.date(2027, 1, 4))
    assert is_center_open(dt.date(2027, 1, 5))


@pytest.mark.django_db
def test_a_holiday_monday_is_closed_even_with_a_rule_that_opens_the_holiday():
    keirou = dt.date(2026, 9, 21)
    assert keirou.weekday() == 0
    HolidayRule.objects.create(holiday_name=holiday_name(keirou), is_open=True)
    status = center_day(keirou)
    assert not status.is_open
    assert status.holiday == "敬老の日"


@pytest.mark.django_db
def test_a_holiday_monday_is_closed_without_any_rule():
    seijin = dt.date(2026, 1, 12)
    assert seijin.weekday() == 0
    assert holiday_name(seijin) == "成人の日"
    assert not is_center_open(seijin)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "date",
    [
        dt.date(2026, 11, 3),  # 文化の日, a Tuesday
        dt.date(2026, 5, 6),  # 振替休日, a Wednesday
        dt.date(2026, 9, 22),  # 国民の休日, a Tuesday
    ],
)
def test_a_holiday_on_another_weekday_is_open_by_default(date):
    status = center_day(date)
    assert status.is_open
    assert (status.opens, status.closes) == (TEN, NINETEEN)
    assert status.holiday == holiday_name(date)
    assert status.holiday is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    "date",
    [
        dt.date(2026, 11, 3),  # 文化の日, a Tuesday
        dt.date(2026, 5, 6),  # 振替休日, a Wednesday
        dt.date(2026, 9, 22),  # 国民の休日, a Tuesday
    ],
)
def test_a_holiday_on_another_weekday_is_closed_by_a_closing_rule(date):
    name = holiday_name(date)
    HolidayRule.objects.create(holiday_name=name, is_open=False)
    status = center_day(date)
    assert not status.is_open
    assert (status.opens, status.closes) == (None, None)
    assert status.reason == name
    assert status.holiday == name


@pytest.mark.django_db
def test_a_closing_rule_for_one_holiday_leaves_other_holidays_open():
    HolidayRule.objects.create(holiday_name="文化の日", is_open=False)
    assert not is_center_open(dt.date(2026, 11, 3))
    assert is_center_open(dt.date(2026, 5, 6))  # 振替休日


@pytest.mark.django_db
def test_an_ad_hoc_closure_closes_an_ordinary_day():
    date = dt.date(2026, 11, 18)
    Closure.objects.create(date=date, reason="臨時休館（設備点検）")
    status = center_day(date)
    assert not status.is_open
    assert (status.opens, status.closes) == (None, None)
    assert status.reason == "臨時休館（設備点検）"
    assert is_center_open(date + dt.timedelta(days=1))


@pytest.mark.django_db
def test_a_closure_with_changed_hours_keeps_the_center_open_for_those_hours():
    date = dt.date(2026, 11, 19)
    Closure.objects.create(
        date=date, reason="館内清掃のため短縮", opens=dt.time(13), closes=dt.time(17)
    )
    status = center_day(date)
    assert status.is_open
    assert (status.opens, status.closes) == (dt.time(13), dt.time(17))
    assert status.reason == "館内清掃のため短縮"


@pytest.mark.django_db
def test_opening_hours_edited_by_staff_change_the_calendar():
    OpeningHours.objects.filter(weekday=5).update(closes=dt.time(17))  # Saturdays until 17:00
    OpeningHours.objects.filter(weekday=6).update(is_closed=True, opens=None, closes=None)
    saturday, sunday = center_days(dt.date(2026, 11, 21), dt.date(2026, 11, 22))
    assert (saturday.is_open, saturday.opens, saturday.closes) == (True, TEN, dt.time(17))
    assert not sunday.is_open


@pytest.mark.django_db
def test_center_days_gives_one_entry_per_day_in_order():
    start = dt.date(2026, 12, 20)
    days = center_days(start, start + dt.timedelta(days=59))
    assert len(days) == 60
    assert [d.date for d in days] == [start + dt.timedelta(days=n) for n in range(60)]


@pytest.mark.django_db
def test_center_days_over_a_single_day_gives_that_day_and_over_no_day_nothing():
    date = dt.date(2026, 11, 17)
    assert [d.date for d in center_days(date, date)] == [date]
    assert center_days(date, date - dt.timedelta(days=1)) == []


@pytest.mark.django_db
@pytest.mark.parametrize("length", [7, 60])
def test_center_days_uses_the_same_number_of_queries_for_a_week_and_two_months(
    length, django_assert_num_queries
):
    start = dt.date(2026, 12, 20)
    Closure.objects.create(date=dt.date(2026, 12, 22), reason="臨時休館")
    HolidayRule.objects.create(holiday_name="成人の日", is_open=False)
    with django_assert_num_queries(4):
        days = center_days(start, start + dt.timedelta(days=length - 1))
    assert len(days) == length


# --- <time datetime> ---------------------------------------------------------------------------


def test_datetime_attr_gives_tokyo_time_to_the_second_and_a_date_as_a_date():
    # 01:39:44.133187 UTC is 10:39:44 in Tokyo; HTML allows at most three digits of a second.
    at = aware_utc(2026, 12, 2, 1, 39, 44, 133187)
    assert render("{{ at|datetime_attr }}", at=at) == "2026-12-02T10:39:44+09:00"
    assert render("{{ day|datetime_attr }}", day=dt.date(2026, 12, 2)) == "2026-12-02"
    assert render("{{ nothing|datetime_attr }}", nothing=None) == ""
