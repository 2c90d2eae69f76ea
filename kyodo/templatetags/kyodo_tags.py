import datetime as dt

from django import template
from django.utils import timezone

from kyodo import dates
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


@register.simple_tag
def pdf_static(path):
    """file:// URL of a static file, for PDF templates only."""
    return static_file_url(path)


@register.filter(name="localized")
def localized_filter(obj, field=None):
    """{{ resource|localized }} → its English name in the English interface when there is one;
    {{ center|localized:"address" }} for another field with an ``_en`` twin (kyodo.localized)."""
    return localized(obj, field)
