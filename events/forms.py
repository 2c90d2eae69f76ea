"""Forms of the events app: they validate and normalise; views hand cleaned_data to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.enums import EventKind
from facilities.enums import ResourceKind
from facilities.models import Resource
from kyodo.bounds import BoundedDateField
from kyodo.widgets import date_input, time_input


class SessionForm(forms.Form):
    """A session's date, time and place: a room of the center (held for it) or an outside
    place with its address."""

    date = BoundedDateField(label=_("Date"), widget=date_input())
    starts = forms.TimeField(label=_("From"), widget=time_input())
    ends = forms.TimeField(label=_("Until"), widget=time_input())
    resource = forms.ModelChoiceField(
        label=_("Room of the center"),
        queryset=Resource.objects.filter(kind=ResourceKind.ROOM, is_active=True),
        required=False,
        help_text=_("The room is held for the session: no group can book it meanwhile."),
    )
    place = forms.CharField(
        label=_("Outside place"),
        max_length=200,
        required=False,
        help_text=_("Only when the session is not in a room of the center."),
    )
    place_en = forms.CharField(label=_("Outside place in English"), max_length=200, required=False)
    address = forms.CharField(
        label=_("Address of the outside place"), max_length=200, required=False
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts"), data.get("ends")
        if starts and ends and starts >= ends:
            self.add_error("ends", _("The end must come after the start."))
        resource, place = data.get("resource"), (data.get("place") or "").strip()
        if resource is None and not place:
            self.add_error("place", _("Choose a room of the center or name the outside place."))
        if resource is not None and place:
            self.add_error(
                "place", _("A session is either in a room of the center or outside, not both.")
            )
        return data


KIND_CHOICES = [("", _("All kinds")), *EventKind.choices]


class EventFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=KIND_CHOICES,
        required=False,
        widget=forms.Select(attrs={"class": "form-select"}),
    )
