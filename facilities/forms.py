"""The booking form: validates and normalises; the view hands cleaned_data to the service."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from facilities.enums import BookingMode, ResourceKind
from facilities.selectors import equipment_resources, grid_times
from kyodo.bounds import BoundedDateField, BoundedIntegerField, BoundedModelMultipleChoiceField


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class BookingForm(forms.Form):
    """The resource is fixed by the URL. Slot mode asks for a date and a slot; grid mode for a
    date and start/end times on the resource's grid. ``cleaned_data`` then holds aware
    ``start`` and ``end`` datetimes."""

    organization = forms.ModelChoiceField(label=_("Book for"), queryset=None, empty_label=None)
    date = BoundedDateField(label=_("Date"), widget=DateInput())
    slot = forms.ModelChoiceField(label=_("Time slot"), queryset=None, required=False)
    start_time = forms.ChoiceField(label=_("From"), required=False)
    end_time = forms.ChoiceField(label=_("Until"), required=False)
    purpose = forms.CharField(label=_("Purpose"), max_length=200)
    attendees = BoundedIntegerField(label=_("Expected attendees"), min_value=1)
    equipment = BoundedModelMultipleChoiceField(
        label=_("Equipment to go with the room"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Booked for the same time as the room."),
    )

    def __init__(self, *args, resource, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.resource = resource
        self.fields["organization"].queryset = organizations
        if resource.capacity:
            # The service refuses more people than the resource holds, with its own message.
            self.fields["attendees"].widget.attrs["max"] = resource.capacity
            self.fields["attendees"].help_text = _("At most %(n)d people.") % {
                "n": resource.capacity
            }
        if resource.mode == BookingMode.SLOTS:
            self.fields["slot"].queryset = resource.slots.all()
            self.fields["slot"].required = True
            del self.fields["start_time"], self.fields["end_time"]
        else:
            del self.fields["slot"]
            times = grid_times(list(resource.hours.all()), resource.grid_minutes)
            step = dt.timedelta(minutes=resource.grid_minutes)
            ends = [
                (dt.datetime.combine(dt.date.min, t) + step).time() for t in times
            ]  # every end on the grid
            self.fields["start_time"].choices = [(f"{t:%H:%M}", f"{t:%H:%M}") for t in times]
            self.fields["end_time"].choices = [(f"{t:%H:%M}", f"{t:%H:%M}") for t in ends]
            self.fields["start_time"].required = self.fields["end_time"].required = True
        if resource.kind == ResourceKind.ROOM:
            self.fields["equipment"].queryset = equipment_resources()
        else:
            del self.fields["equipment"]

    def clean(self):
        data = super().clean()
        date = data.get("date")
        if date is None:
            return data
        if "slot" in self.fields:
            slot = data.get("slot")
            if slot is None:
                return data
            starts, ends = slot.starts, slot.ends
        else:
            if not data.get("start_time") or not data.get("end_time"):
                return data
            starts = dt.time.fromisoformat(data["start_time"])
            ends = dt.time.fromisoformat(data["end_time"])
            if ends <= starts:
                self.add_error("end_time", _("The end must come after the start."))
                return data
        data["start"] = timezone.make_aware(dt.datetime.combine(date, starts))
        data["end"] = timezone.make_aware(dt.datetime.combine(date, ends))
        return data


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for cancelling"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
