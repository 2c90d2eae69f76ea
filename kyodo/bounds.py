"""Bounded parsing of the dates and numbers a URL or a form takes.

Python's dates end at year 1 and 9999, SQLite's and PostgreSQL's integers at 2⁶³ and 2³¹: a
date a day away from either end makes the next "a week later" raise OverflowError, and a huge
number makes the database driver raise — a server error for what is only bad input. Every
date and number that comes from a request is read here (or by the form fields below), inside
a range no page of the portal needs to leave, with a clear message when it is outside.
"""

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

# Wide enough for every record the center keeps (和暦 starts at 明治6年 = 1873), narrow enough
# that a calendar can step a year either way without leaving Python's or the database's range.
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2199, 12, 31)
# PostgreSQL's integer (and Django's IntegerField/PositiveIntegerField) holds up to 2³¹ - 1.
LARGEST_INT = 2**31 - 1


def in_range(date: dt.date) -> bool:
    return EARLIEST_DATE <= date <= LATEST_DATE


def parse_date(value, default=None):
    """The ISO date in ``value`` (YYYY-MM-DD) if it is one within the portal's range, else
    ``default``: for URL parameters, where a wrong value falls back to a sensible page."""
    if isinstance(value, dt.datetime):
        value = value.date()
    if not isinstance(value, dt.date):
        try:
            value = dt.date.fromisoformat(str(value or "").strip())
        except ValueError:
            return default
    return value if in_range(value) else default


def parse_datetime(value, default=None):
    """The ISO date and time in ``value`` as an aware datetime (naive ones are read in the
    site's time zone) if its date is within the portal's range, else ``default``."""
    from django.utils import dateparse, timezone

    try:
        parsed = dateparse.parse_datetime(str(value or "").strip())
    except ValueError:
        return default
    if parsed is None or not in_range(parsed.date()):
        return default
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def parse_int(value, default=None, *, minimum: int = 0, maximum: int = LARGEST_INT):
    """The whole number in ``value`` if it is one between ``minimum`` and ``maximum``, else
    ``default``."""
    text = str(value if value is not None else "").strip()
    # int() accepts "١٢" (other scripts' digits) and "1_000"; a URL means ASCII digits.
    if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 20:
        return default
    number = int(text)
    return number if minimum <= number <= maximum else default


class BoundedDateField(forms.DateField):
    """A DateField that refuses dates outside the portal's range with a clear message,
    before anything computes with them."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators.append(
            MinValueValidator(
                EARLIEST_DATE,
                message=_("Enter a date on or after %(limit_value)s."),
            )
        )
        self.validators.append(
            MaxValueValidator(
                LATEST_DATE,
                message=_("Enter a date on or before %(limit_value)s."),
            )
        )

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # The browser's date picker keeps to the same range.
        attrs.setdefault("min", f"{EARLIEST_DATE:%Y-%m-%d}")
        attrs.setdefault("max", f"{LATEST_DATE:%Y-%m-%d}")
        return attrs


class BoundedIntegerField(forms.IntegerField):
    """An IntegerField that fits the database's integer column (max_value defaults to it)."""

    def __init__(self, *args, max_value=LARGEST_INT, **kwargs):
        super().__init__(*args, max_value=max_value, **kwargs)


class BoundedDateTimeField(forms.DateTimeField):
    """A DateTimeField whose date keeps to the portal's range (so that converting it to UTC
    and back cannot leave Python's)."""

    def to_python(self, value):
        result = super().to_python(value)
        if result is not None and not in_range(result.date()):
            raise forms.ValidationError(
                _("Enter a date between %(earliest)s and %(latest)s."),
                code="out_of_range",
                params={"earliest": EARLIEST_DATE, "latest": LATEST_DATE},
            )
        return result


class BoundedModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ModelMultipleChoiceField whose record numbers must fit the id column before they reach
    the database. Django keeps an out-of-range number in an exact lookup from the database
    (ModelChoiceField is safe), but not in the ``pk__in`` this field queries: SQLite raises
    OverflowError (a 500) and PostgreSQL a DataError. Every many-choice field of ours uses this."""

    def _check_values(self, value):
        if (self.to_field_name or "pk") == "pk":
            for item in value:
                text = str(item).strip()
                if text.lstrip("-").isdigit() and parse_int(text) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": item},
                    )
        return super()._check_values(value)


class RecordIdConverter:
    """``<id:pk>`` in URLs: a record number the database can hold. Django's ``<int:…>`` takes
    any length of digits, and a number past the integer column makes some lookups raise
    (OverflowError on SQLite, DataError on PostgreSQL) instead of finding nothing; this one
    does not match it, so the URL is a plain 404."""

    regex = "[0-9]{1,10}"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > LARGEST_INT:
            raise ValueError(value)  # a converter's ValueError means "no match"
        return number

    def to_url(self, value) -> str:
        return str(value)
