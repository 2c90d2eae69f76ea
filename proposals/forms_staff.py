"""Forms of the center staff's proposal pages (views/staff.py). They validate and normalise;
the services (proposals.services, reviews, projects) do the writing."""

import datetime as dt

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from kyodo.bounds import BoundedDateField, BoundedIntegerField
from kyodo.uploads import validate_document
from kyodo.widgets import date_input, time_input
from proposals.enums import Outcome, ProjectStatus, Verdict


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def ward_officials():
    return (
        get_user_model()
        .objects.filter(groups__name=Role.WARD_OFFICIAL.value, is_active=True)
        .order_by("family_name_kana", "given_name_kana", "pk")
        .distinct()
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} <{obj.email}>"


class ReasonForm(forms.Form):
    """An optional note kept in the history row (opening or closing a stage)."""

    reason = forms.CharField(
        label=gettext_lazy("Note for the history (optional)"), max_length=500, required=False
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("What the organization should change"),
        widget=_textarea(4),
        help_text=gettext_lazy("Sent to the organization's managers by e-mail."),
    )
    resubmit_by = BoundedDateField(
        label=gettext_lazy("New deadline"),
        widget=date_input(),
        help_text=gettext_lazy("The organization may resubmit until 23:59 of this day."),
    )

    def clean_resubmit_by(self):
        day = self.cleaned_data["resubmit_by"]
        if day < timezone.localdate():
            raise forms.ValidationError(_("Give a new deadline from today on."))
        return day


class PreConsultationForm(forms.Form):
    on = BoundedDateField(label=gettext_lazy("Prior consultation held on"), widget=date_input())
    case = forms.ModelChoiceField(
        label=gettext_lazy("Consultation record"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("The organization's consultation case, if one was recorded."),
    )

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        from consultations.selectors import organization_cases

        self.fields["case"].queryset = organization_cases(organization)
        # Only number and date: a case's title may be sensitive personal information.
        self.fields["case"].label_from_instance = lambda case: (
            f"{case.number} ({case.opened_on:%Y-%m-%d})"
        )


class DepartmentForm(forms.Form):
    department = forms.CharField(
        label=gettext_lazy("Department in charge"), max_length=100, required=False
    )
    official = PersonChoiceField(
        label=gettext_lazy("Official who gives the department's opinion"),
        queryset=None,
        required=False,
        help_text=gettext_lazy("A ward official; they are asked for the opinion by e-mail."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].queryset = ward_officials()


class ShortlistForm(forms.Form):
    """Take the proposal into the second stage, with its presentation time and place."""

    day = BoundedDateField(
        label=gettext_lazy("Presentation day"), widget=date_input(), required=False
    )
    time = forms.TimeField(label=gettext_lazy("Starts at"), widget=time_input(), required=False)
    place = forms.CharField(label=gettext_lazy("Place"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        day, time = data.get("day"), data.get("time")
        if time and not day:
            self.add_error("day", _("Give the day of the presentation."))
        data["starts_at"] = (
            timezone.make_aware(dt.datetime.combine(day, time or dt.time(0))) if day else None
        )
        return data


class UnshortlistForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"), widget=_textarea(2), required=False
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    council_comment = forms.CharField(
        label=gettext_lazy("Council's comment"),
        widget=_textarea(4),
        required=False,
        help_text=gettext_lazy("Written in the decision letter the organization receives."),
    )
    conditions = forms.CharField(
        label=gettext_lazy("Conditions"),
        widget=_textarea(3),
        required=False,
        help_text=gettext_lazy("Required for an adoption with conditions."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("outcome") == Outcome.ADOPTED_WITH_CONDITIONS
            and not (data.get("conditions") or "").strip()
        ):
            self.add_error("conditions", _("Write the conditions of the adoption."))
        return data


class ConflictRecordForm(forms.Form):
    """A conflict of interest of a reviewer or the chair that came to light late, recorded by
    staff (reviews.conflict_record)."""

    reviewer = forms.ModelChoiceField(
        label=gettext_lazy("Reviewer or chair"),
        queryset=None,
        help_text=gettext_lazy(
            "Their reviews of this proposal stop counting and they no longer see its scores."
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("Reason"), widget=_textarea(3), max_length=1000, strip=True
    )

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = people
        self.fields["reviewer"].label_from_instance = lambda user: str(user)


class ReleaseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I have checked every decision. Release them now and send the letters."),
        required=True,
    )


# --- the adopted project ---------------------------------------------------------------------


class NoteForm(forms.Form):
    held_on = BoundedDateField(label=gettext_lazy("Held on"), widget=date_input())
    text = forms.CharField(label=gettext_lazy("What was discussed"), widget=_textarea(4))


class BudgetForm(forms.Form):
    on = BoundedDateField(label=gettext_lazy("Budget passed on"), widget=date_input())
    amount = BoundedIntegerField(
        label=gettext_lazy("Amount passed (yen)"), min_value=0, required=False
    )


class AgreementForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Agreement"))
    signed_on = BoundedDateField(label=gettext_lazy("Signed on"), widget=date_input())
    starts_on = BoundedDateField(label=gettext_lazy("Agreement from"), widget=date_input())
    ends_on = BoundedDateField(label=gettext_lazy("Agreement until"), widget=date_input())

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document(upload)
        return upload

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and starts > ends:
            self.add_error("ends_on", _("The agreement ends after it starts."))
        return data


YEAR_CHOICES = [(1, gettext_lazy("Year 1")), (2, gettext_lazy("Year 2"))]


class StartYearForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Project year"), choices=YEAR_CHOICES, coerce=int
    )


class VerdictForm(forms.Form):
    year = forms.TypedChoiceField(
        label=gettext_lazy("Project year"), choices=YEAR_CHOICES, coerce=int
    )
    verdict = forms.ChoiceField(
        label=gettext_lazy("Council's verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=gettext_lazy("Verdict in words"),
        widget=_textarea(3),
        required=False,
        help_text=gettext_lazy("For example: “continue with some changes”."),
    )
    on = BoundedDateField(label=gettext_lazy("Verdict given on"), widget=date_input())


class FinishForm(forms.Form):
    to = forms.ChoiceField(
        label=gettext_lazy("How the project ends"),
        choices=[
            (ProjectStatus.COMMISSIONED.value, ProjectStatus.COMMISSIONED.label),
            (ProjectStatus.ENDED.value, ProjectStatus.ENDED.label),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=gettext_lazy("Note"), widget=_textarea(3), required=False)
