"""Forms of the events app: they validate and normalise; views hand cleaned_data to services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from events.enums import EventKind
from facilities.enums import ResourceKind
from facilities.models import Resource
from kyodo import questions
from kyodo.bounds import BoundedDateField, BoundedIntegerField
from kyodo.localized import localized
from kyodo.text import normalize_furigana, normalize_phone, validate_furigana, validate_phone
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


class ApplicationForm(forms.Form):
    """Apply for an event: as oneself (a signed-in person's details come from the account), as
    a visitor (name, フリガナ, e-mail, phone, consent), or for a group one manages (N seats).
    The event's questions are added as fields (kyodo.questions)."""

    applicant = forms.ChoiceField(label=_("Apply for"), widget=forms.RadioSelect, required=False)
    seats = BoundedIntegerField(label=_("Seats"), min_value=1, initial=1, required=False)
    name = forms.CharField(label=_("Name"), max_length=100)
    name_kana = forms.CharField(label=_("Name in katakana (フリガナ)"), max_length=100)
    email = forms.EmailField(label=_("E-mail"))
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    consent = forms.BooleanField(
        label=_(
            "I agree that the center uses these details to run this event and to contact me "
            "about it, and deletes them a year after the event."
        )
    )

    def __init__(self, *args, event, user=None, organizations=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.event = event
        self.questions = list(event.questions.all())
        self.organizations = {str(o.pk): o for o in organizations}
        if self.organizations:
            self.fields["applicant"].choices = [
                ("", _("Myself")),
                *[(pk, localized(o)) for pk, o in self.organizations.items()],
            ]
            self.fields["seats"].help_text = _("For a group: how many people of the group come.")
            self.fields["seats"].widget.attrs["max"] = event.capacity
        else:
            del self.fields["applicant"], self.fields["seats"]
        if user is not None and user.is_authenticated:
            self.fields["name"].initial = user.get_full_name()
            self.fields["name_kana"].initial = user.full_name_kana
            self.fields["email"].initial = user.email
            self.fields["phone"].initial = user.phone
        self.fields.update(questions.answer_fields(self.questions))

    def clean_name_kana(self):
        value = normalize_furigana(self.cleaned_data["name_kana"])
        validate_furigana(value)
        return value

    def clean_phone(self):
        value = normalize_phone(self.cleaned_data.get("phone", ""))
        validate_phone(value)
        return value

    def clean(self):
        data = super().clean()
        data["organization"] = self.organizations.get(data.get("applicant") or "")
        if data["organization"] is None:
            data["seats"] = 1
        elif not data.get("seats"):
            self.add_error("seats", _("Give the number of people of the group."))
        data["answers"] = questions.answers_from(self.questions, data)
        return data


class CopyForm(forms.Form):
    weeks = BoundedIntegerField(
        label=_("Weeks later"),
        min_value=1,
        max_value=156,
        initial=52,
        help_text=_("52 weeks: the same weekday a year later."),
    )
