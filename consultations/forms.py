"""The staff's forms for consultation cases. They validate and normalise; the views hand
``cleaned_data`` to the services (no form here writes anything)."""

from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.roles import Role
from consultations.enums import CaseStatus, Channel, EntryKind, OutcomeKind, PartyKind, PartyRole
from consultations.models import Case, Category, NoteAccess
from kyodo.bounds import BoundedDateField, BoundedDateTimeField, BoundedModelMultipleChoiceField
from kyodo.text import normalize_phone, validate_phone
from kyodo.uploads import validate_document
from organizations.models import Organization

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


def center_staff_users():
    """The people a case or a follow-up can be given to: active センター職員."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=Role.CENTER_STAFF.value)
        .distinct()
        .order_by("family_name_kana", "given_name_kana", "email")
    )


def _organizations():
    return Organization.objects.order_by("name_kana", "pk")


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class CaseForm(forms.ModelForm):
    """Record or edit a case (not its status: that moves through StatusForm)."""

    categories = BoundedModelMultipleChoiceField(
        label=_("Categories"),
        queryset=Category.objects.filter(is_active=True).order_by("order", "pk"),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    assigned_to = forms.ModelChoiceField(
        label=_("Staff in charge"),
        queryset=center_staff_users(),
        required=False,
        help_text=_("Left empty, the case is yours."),
    )
    organization = forms.ModelChoiceField(
        label=_("Organization"),
        queryset=_organizations(),
        required=False,
        help_text=_("When a registered organization asks."),
    )
    # Longer than the stored value: full-width digits and dashes are normalised first.
    asker_phone = forms.CharField(
        label=_("Asker's phone"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "tel"}),
    )

    class Meta:
        model = Case
        fields = [
            "title",
            "request",
            "channel",
            "categories",
            "assigned_to",
            "organization",
            "asker_name",
            "asker_email",
            "asker_phone",
            "is_sensitive",
            "opened_on",
        ]
        widgets = {
            "request": forms.Textarea(attrs={"rows": 5}),
            "opened_on": DateInput(),
        }
        field_classes = {"opened_on": BoundedDateField}

    def __init__(self, *args, include_request=True, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["assigned_to"].help_text = _("Left empty, nobody is in charge.")
        if not include_request:
            # A 要配慮 case's request is read on its page, behind a reason, never here.
            del self.fields["request"]
        if self.instance.pk:
            # A case keeps its categories even when one of them is no longer in use.
            self.fields["categories"].queryset = Category.objects.filter(
                Q(is_active=True) | Q(pk__in=self.instance.categories.values("pk"))
            ).order_by("order", "pk")

    def clean_asker_phone(self):
        phone = normalize_phone(self.cleaned_data.get("asker_phone", ""))
        validate_phone(phone)
        return phone

    def service_data(self) -> dict:
        """The cleaned values as the services take them (categories apart)."""
        return {name: value for name, value in self.cleaned_data.items() if name != "categories"}


class EntryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[(value, label) for value, label in EntryKind.choices if value != "asker_message"],
    )
    occurred_at = BoundedDateTimeField(
        label=_("When"),
        input_formats=[DATETIME_LOCAL, "%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_LOCAL),
    )
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"),
        min_value=0,
        max_value=24 * 60,
        required=False,
    )
    notes = forms.CharField(label=_("Notes"), widget=forms.Textarea(attrs={"rows": 4}))
    shared_with_asker = forms.BooleanField(
        label=_("Share with the asker"),
        required=False,
        help_text=_("The asker is told by e-mail and reads it on their page. Never for memos."),
    )
    file = forms.FileField(
        label=_("Attachment"),
        required=False,
        help_text=_("PDF, Word, Excel, JPEG or PNG."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault(
                "occurred_at", timezone.localtime().replace(second=0, microsecond=0)
            )

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if upload:
            validate_document(upload)
        return upload

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == EntryKind.MEMO and cleaned.get("shared_with_asker"):
            self.add_error(
                "shared_with_asker", _("An internal memo cannot be shared with the asker.")
            )
        return cleaned


class PartyForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PartyRole.choices)
    kind = forms.ChoiceField(label=_("Kind"), choices=PartyKind.choices)
    organization = forms.ModelChoiceField(
        label=_("Registered organization"), queryset=_organizations(), required=False
    )
    name = forms.CharField(label=_("Name of the person or body"), max_length=150, required=False)
    contact = forms.CharField(label=_("Contact"), max_length=200, required=False)

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("organization") or cleaned.get("name")):
            raise forms.ValidationError(
                _("Give the party's name or choose a registered organization.")
            )
        return cleaned


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=OutcomeKind.choices)
    organization = forms.ModelChoiceField(
        label=_("Organization"), queryset=_organizations(), required=False
    )
    related_case = forms.CharField(
        label=_("Related case number"),
        max_length=20,
        required=False,
        help_text=_("e.g. 2026-0012"),
    )
    reference = forms.CharField(
        label=_("Reference"),
        max_length=200,
        required=False,
        help_text=_("e.g. the proposal's or application's number"),
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def clean_related_case(self):
        number = self.cleaned_data.get("related_case", "").strip()
        if not number:
            return None
        case = Case.objects.filter(number=number).first()
        if case is None:
            raise forms.ValidationError(_("There is no case with this number."))
        return case

    def clean(self):
        cleaned = super().clean()
        missing = cleaned.get("kind") == OutcomeKind.CASE and not cleaned.get("related_case")
        if missing and "related_case" not in self.errors:
            self.add_error("related_case", _("Give the number of the case that followed."))
        return cleaned


class FollowUpForm(forms.Form):
    description = forms.CharField(label=_("What to do"), max_length=300)
    due_on = BoundedDateField(label=_("Due on"), widget=DateInput())
    assignee = forms.ModelChoiceField(label=_("Assignee"), queryset=center_staff_users())


class StatusForm(forms.Form):
    # Every status is accepted here: the service decides which moves are allowed, so a move
    # that is not allowed gets the workflow's own message.
    to = forms.ChoiceField(label=_("New status"), choices=CaseStatus.choices)
    reason = forms.CharField(
        label=_("Reason or note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class NotesReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Why do you need to read the notes?"),
        max_length=NoteAccess._meta.get_field("reason").max_length,
        help_text=_("Recorded with your name and the time; the center manager can read it."),
    )


STATUS_FILTER_CHOICES = [
    ("", _("All")),
    ("open", _("Open (not closed)")),
    *CaseStatus.choices,
]


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        help_text=_("Number, title, asker or organization."),
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_FILTER_CHOICES, required=False)
    category = forms.ModelChoiceField(
        label=pgettext_lazy("consultation", "Category"),
        queryset=Category.objects.order_by("order", "pk"),
        required=False,
        empty_label=_("All"),
    )
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("All")), *Channel.choices], required=False
    )
    staff = forms.ModelChoiceField(
        label=_("Staff in charge"),
        queryset=center_staff_users(),
        required=False,
        empty_label=_("All"),
    )
    start = BoundedDateField(label=_("Opened from"), required=False, widget=DateInput())
    end = BoundedDateField(label=_("Opened until"), required=False, widget=DateInput())

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end is before the start."))
        return cleaned

    def filters(self) -> dict:
        """The keyword arguments of selectors.staff_case_list; values that do not validate
        are left out (the form shows why)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        data = self.cleaned_data
        return {
            "query": (data.get("q") or "").strip(),
            "status": data.get("status") or "",
            "category": data.get("category"),
            "channel": data.get("channel") or "",
            "staff": data.get("staff"),
            "start": data.get("start"),
            "end": data.get("end"),
        }
