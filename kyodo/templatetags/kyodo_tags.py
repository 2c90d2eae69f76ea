import datetime as dt

from django import template
from django.utils import timezone

from kyodo import dates, money
from kyodo.localized import localized
from kyodo.pdf import static_file_url

register = template.Library()


def _as_date(value):
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    return value


@register.filter
def wareki(value):
    """{{ date|wareki }} → 令和8年11月21日"""
    if not value:
        return ""
    return dates.wareki(_as_date(value))


@register.filter
def nendo(value):
    """{{ date|nendo }} → 令和8年度 (the 年度 the date falls in); an int is taken as the 年度."""
    if value in (None, ""):
        return ""
    year = value if isinstance(value, int) else dates.fiscal_year(_as_date(value))
    return dates.fiscal_year_label(year)


@register.filter
def yen(value, arg=""):
    """{{ amount|yen }} → ¥1,900 — the one way money is shown (kyodo.money.yen);
    {{ reduction|yen:"-" }} → −¥300, an amount taken off."""
    return money.yen(value, subtract=arg == "-")


@register.filter
def wareki_until(value):
    """{{ date|wareki_until }} → 令和8年12月7日まで — a deadline as the letters word it."""
    if not value:
        return ""
    return dates.wareki_until(_as_date(value))


@register.simple_tag
def pdf_static(path):
    """file:// URL of a static file, for PDF templates only."""
    return static_file_url(path)


@register.filter
def datetime_attr(value):
    """{{ dt|datetime_attr }} → 2026-12-02T10:39:44+09:00: the value of a ``<time datetime>``
    attribute. Django's ``date:'c'`` keeps microseconds, which HTML does not allow (three digits
    at most); a date stays a date (2026-12-02)."""
    if not value:
        return ""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    return value.isoformat()


@register.filter(name="localized")
def localized_filter(obj, field=None):
    """{{ resource|localized }} → its English name in the English interface when there is one;
    {{ center|localized:"address" }} for another field with an ``_en`` twin (kyodo.localized)."""
    return localized(obj, field)
