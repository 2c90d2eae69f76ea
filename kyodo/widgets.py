"""Form widgets the browser helps with: a date or time picker that posts ISO values."""

from django import forms


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def time_input(step_seconds: int = 300):
    return forms.TimeInput(attrs={"type": "time", "step": step_seconds}, format="%H:%M")


def month_input():
    # A month picker where the browser has one, a text box elsewhere (Firefox, Safari): the
    # field's help text gives the format, as HTML allows no placeholder on type=month.
    return forms.TextInput(attrs={"type": "month"})
