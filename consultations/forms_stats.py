"""The period of the consultation statistics: a 年度, a month or any two dates."""

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from django import forms
from django.utils import formats, timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kyodo.bounds import BoundedDateField, parse_date
from kyodo.dates import fiscal_year, fiscal_year_label, fiscal_year_range
from kyodo.widgets import month_input

# How many 年度 back the menu offers; any older period can be given as two dates.
FISCAL_YEARS_OFFERED = 10
_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date
    label: str
    # the label alone names the days of a range; a 年度 or a month shows them as well
    is_range: bool = False


def fiscal_year_period(year: int) -> Period:
    start, end = fiscal_year_range(year)
    if (get_language() or "ja").startswith("ja"):
        label = fiscal_year_label(year)  # 令和8年度
    else:
        label = str(_("Fiscal year %(year)d") % {"year": year})
    return Period(start, end, label)


def default_period(today: dt.date | None = None) -> Period:
    """The current 年度, which the ward's yearly report covers."""
    return fiscal_year_period(fiscal_year(today or timezone.localdate()))


class StatisticsPeriodForm(forms.Form):
    FISCAL_YEAR = "fiscal_year"
    MONTH = "month"
    RANGE = "range"

    period = forms.ChoiceField(
        label=_("Period"),
        choices=[
            (FISCAL_YEAR, _("Fiscal year (April–March)")),
            (MONTH, _("Month")),
            (RANGE, _("From – to")),
        ],
        initial=FISCAL_YEAR,
        widget=forms.RadioSelect,
    )
    fiscal_year = forms.TypedChoiceField(
        label=_("Fiscal year"), coerce=int, required=False, empty_value=None
    )
    month = forms.CharField(
        label=_("Month"),
        required=False,
        help_text=_("As YYYY-MM, e.g. 2026-05."),
        widget=month_input(),
    )
    start = BoundedDateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    end = BoundedDateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, today: dt.date | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        current = fiscal_year(today or timezone.localdate())
        self.fields["fiscal_year"].choices = [
            (year, fiscal_year_period(year).label)
            for year in range(current, current - FISCAL_YEARS_OFFERED - 1, -1)
        ]
        self.fields["fiscal_year"].initial = current

    def clean_month(self) -> tuple[int, int] | None:
        value = self.cleaned_data["month"].strip()
        if not value:
            return None
        match = _MONTH.match(value)
        if not match or parse_date(f"{match.group(1)}-{int(match.group(2)):02d}-01") is None:
            raise forms.ValidationError(_("Give the month as YYYY-MM, e.g. 2026-05."))
        return int(match.group(1)), int(match.group(2))

    def clean(self):
        data = super().clean()
        kind = data.get("period")
        if kind == self.FISCAL_YEAR and data.get("fiscal_year") is None:
            self.add_error("fiscal_year", _("Choose the fiscal year."))
        elif kind == self.MONTH and not data.get("month") and "month" not in self.errors:
            self.add_error("month", _("Give the month."))
        elif kind == self.RANGE:
            start, end = data.get("start"), data.get("end")
            if start is None and "start" not in self.errors:
                self.add_error("start", _("Give the first day."))
            if end is None and "end" not in self.errors:
                self.add_error("end", _("Give the last day."))
            if start and end and start > end:
                self.add_error("end", _("The last day cannot come before the first."))
        return data

    def get_period(self) -> Period:
        """The chosen period; call after is_valid()."""
        data = self.cleaned_data
        if data["period"] == self.MONTH:
            year, month = data["month"]
            start = dt.date(year, month, 1)
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
            return Period(start, end, formats.date_format(start, "YEAR_MONTH_FORMAT"))
        if data["period"] == self.RANGE:
            start, end = data["start"], data["end"]
            return Period(start, end, f"{start:%Y-%m-%d} – {end:%Y-%m-%d}", is_range=True)
        return fiscal_year_period(data["fiscal_year"])

    def query(self) -> dict:
        """The chosen period as GET parameters (for the CSV link)."""
        data = self.cleaned_data
        params = {"period": data["period"]}
        if data["period"] == self.MONTH:
            params["month"] = "{:04d}-{:02d}".format(*data["month"])
        elif data["period"] == self.RANGE:
            params["start"] = f"{data['start']:%Y-%m-%d}"
            params["end"] = f"{data['end']:%Y-%m-%d}"
        else:
            params["fiscal_year"] = data["fiscal_year"]
        return params


class RetentionConfirmForm(forms.Form):
    """The センター責任者 confirms the anonymisation: it cannot be undone."""

    confirm = forms.BooleanField(
        label=_(
            "I confirm that the personal content of these cases is deleted for good; "
            "only the figures for the statistics remain."
        ),
        error_messages={
            "required": _("Tick the box to confirm that these cases may be anonymised.")
        },
    )
