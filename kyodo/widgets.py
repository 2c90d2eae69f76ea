"""Form widgets the browser helps with: a date or time picker that posts ISO values."""

from django import forms
from django.utils.translation import gettext_lazy as _


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input(step_seconds: int = 300):
    return forms.TimeInput(attrs={"type": "time", "step": step_seconds}, format="%H:%M")


def month_input():
    # A month picker where the browser has one, a text box elsewhere (Firefox, Safari): the
    # field's help text gives the format, as HTML allows no placeholder on type=month.
    return forms.TextInput(attrs={"type": "month"})


class SplitDateTimeInput(forms.SplitDateTimeWidget):
    """A date and a time input. The field's <label> points at the date (a MultiWidget's label
    points nowhere by default); the time has a name of its own."""

    def id_for_label(self, id_):
        return f"{id_}_0" if id_ else ""


def split_datetime_input():
    return SplitDateTimeInput(
        date_attrs={"type": "date"},
        time_attrs={"type": "time", "aria-label": _("Time")},
        date_format="%Y-%m-%d",
        time_format="%H:%M",
    )
