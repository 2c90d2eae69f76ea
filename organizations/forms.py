from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyodo.bounds import BoundedDateField, BoundedModelMultipleChoiceField
from kyodo.forms import ChooseFilesAgainMixin
from kyodo.text import (
    normalize_digits,
    normalize_furigana,
    normalize_phone,
    normalize_postal_code,
)
from kyodo.uploads import validate_document
from organizations.enums import (
    CORPORATE_TYPES,
    PUBLISHABLE_FIELDS,
    DocumentKind,
    MemberRole,
)
from organizations.models import ActivityField, Organization, RegistrationRules

PROFILE_FIELDS = [
    "name",
    "name_kana",
    "org_type",
    "corporate_number",
    "established_on",
    "representative_name",
    "representative_kana",
    "postal_code",
    "prefecture",
    "city",
    "street",
    "building",
    "phone",
    "fax",
    "email",
    "website",
    "sns",
    "activity_fields",
    "activity_area",
    "member_count",
    "staff_count",
    "annual_budget",
    "purpose",
    "activities",
    "activity_schedule",
]


class OrganizationProfileForm(forms.ModelForm):
    """The profile as a Japanese support center keeps it; cleans kana, numbers and phones."""

    activity_fields = BoundedModelMultipleChoiceField(
        label=_("Main activity fields"),
        queryset=ActivityField.objects.order_by("number"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The fields of the NPO law; choose all that apply."),
    )
    # Longer than the stored values: people type full-width digits, spaces and hyphens,
    # which the clean_ methods remove before the model's validators run.
    corporate_number = forms.CharField(
        label=_("Corporate number"),
        max_length=30,
        required=False,
        help_text=_("13 digits, for a corporation (corporate number)."),
    )
    postal_code = forms.CharField(
        label=_("Postal code"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "postal-code", "inputmode": "numeric"}),
    )

    class Meta:
        model = Organization
        fields = PROFILE_FIELDS
        widgets = {
            "established_on": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
            "activities": forms.Textarea(attrs={"rows": 4}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "fax": forms.TextInput(attrs={"inputmode": "tel"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
        }

    def clean_name_kana(self):
        return normalize_furigana(self.cleaned_data["name_kana"])

    def clean_representative_kana(self):
        return normalize_furigana(self.cleaned_data["representative_kana"])

    def clean_corporate_number(self):
        return normalize_digits(self.cleaned_data.get("corporate_number", ""))

    def clean_postal_code(self):
        return normalize_postal_code(self.cleaned_data["postal_code"])

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_fax(self):
        return normalize_phone(self.cleaned_data.get("fax", ""))

    def clean(self):
        cleaned = super().clean()
        org_type = cleaned.get("org_type")
        if org_type in CORPORATE_TYPES and not cleaned.get("corporate_number"):
            self.add_error(
                "corporate_number", _("A corporation enters its 13-digit corporate number.")
            )
        if org_type and org_type not in CORPORATE_TYPES and cleaned.get("corporate_number"):
            self.add_error("corporate_number", _("Only a corporation has a corporate number."))
        return cleaned

    def profile_data(self) -> dict:
        return {f: v for f, v in self.cleaned_data.items() if f != "activity_fields"}


def _document_field(label, required):
    return forms.FileField(
        label=label,
        required=required,
        help_text=_("PDF, Word, Excel, JPEG or PNG."),
    )


class ApplicationForm(ChooseFilesAgainMixin, OrganizationProfileForm):
    """利用団体登録申請: the profile, the documents and the rules' confirmations."""

    rules_document = _document_field(_("Rules or articles of association"), False)
    roster_document = _document_field(_("List of officers and members"), False)
    report_document = _document_field(_("Last year's activity report and accounts"), False)
    active_in_ward = forms.BooleanField(
        label=_("The organization is active in Chuo City."), required=False
    )
    note = forms.CharField(
        label=_("Note to the center"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    consent = forms.BooleanField(
        label=_(
            "I agree that the center uses these details to register the organization and "
            "to contact us about its activities."
        ),
    )

    DOCUMENT_FIELDS = (
        ("rules_document", DocumentKind.RULES),
        ("roster_document", DocumentKind.ROSTER),
        ("report_document", DocumentKind.REPORT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.rules = RegistrationRules.current()
        self.fields["rules_document"].required = self.rules.rules_document_required
        self.fields["member_count"].help_text = _("At least %(n)d members.") % {
            "n": self.rules.min_members
        }

    def _clean_document(self, name):
        upload = self.cleaned_data.get(name)
        if upload:
            validate_document(upload)
        return upload

    def clean_rules_document(self):
        return self._clean_document("rules_document")

    def clean_roster_document(self):
        return self._clean_document("roster_document")

    def clean_report_document(self):
        return self._clean_document("report_document")

    def clean_member_count(self):
        count = self.cleaned_data["member_count"]
        if count < self.rules.min_members:
            from organizations.services import min_members_message

            raise forms.ValidationError(min_members_message(self.rules.min_members))
        return count

    def clean_active_in_ward(self):
        active = self.cleaned_data.get("active_in_ward")
        if self.rules.ward_activity_required and not active:
            raise forms.ValidationError(_("Registration is for organizations active in Chuo City."))
        return active

    def profile_data(self) -> dict:
        extra = {name for name, _kind in self.DOCUMENT_FIELDS} | {
            "active_in_ward",
            "note",
            "consent",
        }
        return {f: v for f, v in super().profile_data().items() if f not in extra}

    def documents(self):
        return [
            (kind, self.cleaned_data[name])
            for name, kind in self.DOCUMENT_FIELDS
            if self.cleaned_data.get(name)
        ]


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, Excel, JPEG or PNG."))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document(upload)
        return upload


class PublicationForm(forms.ModelForm):
    public_fields = forms.MultipleChoiceField(
        label=_("Details shown in the directory"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[],
        help_text=_(
            "The name, type, activity fields, purpose and activities are always shown "
            "when the organization is listed."
        ),
    )

    class Meta:
        model = Organization
        fields = ["is_listed", "public_fields"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = {
            "address": _("Address"),
        }
        self.fields["public_fields"].choices = [
            (name, labels.get(name) or Organization._meta.get_field(name).verbose_name)
            for name in PUBLISHABLE_FIELDS
        ]


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("Note to the center"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class InviteForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (MemberRole.MANAGER, MemberRole.MANAGER.label),
            (MemberRole.MEMBER, MemberRole.MEMBER.label),
        ],
        initial=MemberRole.MEMBER,
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        label=_("Role"),
        choices=[
            (MemberRole.MANAGER, MemberRole.MANAGER.label),
            (MemberRole.MEMBER, MemberRole.MEMBER.label),
        ],
    )


class StaffFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    org_type = forms.ChoiceField(label=pgettext_lazy("organization", "Type"), required=False)
    field = forms.TypedChoiceField(
        label=_("Activity field"), required=False, coerce=int, empty_value=None
    )
    expiring = BoundedDateField(
        label=_("Expiring by"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, **kwargs):
        from organizations.enums import OrganizationType, RegistrationStatus

        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(RegistrationStatus.choices)
        self.fields["org_type"].choices = everything + list(OrganizationType.choices)
        self.fields["field"].choices = everything + [
            (f.number, f"{f.number}. {f.display_name}") for f in ActivityField.objects.all()
        ]


class DirectoryFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name or reading"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),  # phones show a search key
    )
    field = forms.TypedChoiceField(
        label=_("Activity field"), required=False, coerce=int, empty_value=None
    )
    org_type = forms.ChoiceField(label=pgettext_lazy("organization", "Type"), required=False)

    def __init__(self, *args, **kwargs):
        from organizations.enums import OrganizationType

        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["org_type"].choices = everything + list(OrganizationType.choices)
        self.fields["field"].choices = everything + [
            (f.number, f"{f.number}. {f.display_name}") for f in ActivityField.objects.all()
        ]
