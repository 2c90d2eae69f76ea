"""Forms of the organization's side of 協働事業提案. They validate and normalise; the views hand
``cleaned_data`` to proposals.services (which checks the rules again: deadline, roles)."""

import re
import unicodedata

from django import forms
from django.db import models
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyodo.bounds import BoundedIntegerField
from kyodo.uploads import validate_document
from proposals.enums import BorneBy, BudgetCategory, ProposalKind
from proposals.models import Proposal
from proposals.services import REQUIRED_FOR_SUBMISSION, TEXT_FIELDS

MAX_AMOUNT = 999_999_999
MAX_BUDGET_LINES = 60


def allowed_kinds(round_) -> list[tuple[str, str]]:
    """The types of proposal a call takes: 課題設定型 when it has themes, 自由型 when it
    accepts them."""
    kinds = []
    if any(True for _theme in round_.themes.all()):
        kinds.append((ProposalKind.THEME.value, ProposalKind.THEME.label))
    if round_.accepts_free_proposals:
        kinds.append((ProposalKind.FREE.value, ProposalKind.FREE.label))
    return kinds


class _KindAndThemeMixin:
    """``kind`` and ``theme`` limited to the call's; a theme only with 課題設定型."""

    def _set_up_kind_and_theme(self, round_):
        self.round = round_
        self.fields["kind"].choices = allowed_kinds(round_)
        self.fields["theme"].queryset = round_.themes.all()
        self.fields["theme"].required = False
        self.fields["theme"].empty_label = _("(no theme: free proposal)")

    def _clean_kind_and_theme(self, data):
        kind, theme = data.get("kind"), data.get("theme")
        if kind == ProposalKind.THEME:
            # The queryset already keeps to the call's themes; the check says the rule.
            if theme is None or theme.round_id != self.round.pk:
                self.add_error("theme", _("Choose one of the call's themes."))
        elif kind == ProposalKind.FREE:
            data["theme"] = None
        return data


class ProposalStartForm(_KindAndThemeMixin, forms.Form):
    """Start a draft for one call: for which organization, of which type, with a title."""

    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None)
    kind = forms.ChoiceField(label=pgettext_lazy("proposal", "Type"), widget=forms.RadioSelect)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=None)
    title = forms.CharField(label=_("Project title"), max_length=200)

    def __init__(self, *args, round_, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self._set_up_kind_and_theme(round_)

    def clean(self):
        return self._clean_kind_and_theme(super().clean())


# The 事業構築シート in the order of the sheet, in groups the edit page shows as fieldsets.
SHEET_GROUPS = (
    (_("The project"), ("kind", "theme", "title")),
    (_("Issue and aims"), ("issue", "aims")),
    (_("Targets"), ("outcome_target", "activity_indicator", "beneficiary_target")),
    (
        _("Plan of the two years"),
        ("year1_activities", "year1_schedule", "year2_activities", "year2_schedule"),
    ),
    (_("Roles and form of collaboration"), ("role_group", "role_ward", "collaboration_form")),
    (_("The group"), ("track_record",)),
)
SHEET_FIELDS = ("kind", "theme", *TEXT_FIELDS)


class ProposalSheetForm(_KindAndThemeMixin, forms.Form):
    """The whole 事業構築シート. Nothing but the title is required while it is a draft; the
    fields needed for submission say so. Text is stripped (CharField does it)."""

    def __init__(self, *args, round_, **kwargs):
        super().__init__(*args, **kwargs)
        widgets = {
            name: forms.Textarea(attrs={"rows": 4})
            for name in TEXT_FIELDS
            if isinstance(Proposal._meta.get_field(name), models.TextField)
        }
        widgets["kind"] = forms.RadioSelect
        self.fields.update(fields_for_model(Proposal, fields=SHEET_FIELDS, widgets=widgets))
        for name in REQUIRED_FOR_SUBMISSION:
            if name != "title":
                self.fields[name].help_text = _("Needed before you submit.")
        self._set_up_kind_and_theme(round_)

    def clean(self):
        return self._clean_kind_and_theme(super().clean())

    def groups(self):
        """(legend, bound fields) for each part of the sheet."""
        return [(legend, [self[name] for name in names]) for legend, names in SHEET_GROUPS]


class AmountField(BoundedIntegerField):
    """Yen as people type them: 120000, 120,000, １２０，０００, ¥120,000 or 120,000円."""

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
            value = re.sub(r"[\s,¥\\円]", "", value)
        return super().to_python(value)


class BudgetLineForm(forms.Form):
    year = forms.TypedChoiceField(
        label=_("Project year"),
        coerce=int,
        choices=[("", "—"), (1, _("Year 1")), (2, _("Year 2"))],
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("budget", "Category"), choices=[("", "—"), *BudgetCategory.choices]
    )
    item = forms.CharField(label=_("Item and calculation"), max_length=200)
    amount = AmountField(
        label=_("Amount (yen)"),
        min_value=0,
        max_value=MAX_AMOUNT,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    borne_by = forms.ChoiceField(label=_("Borne by"), choices=BorneBy.choices, initial=BorneBy.WARD)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Rendered as a table row, without crispy's wrappers: Bootstrap's classes by hand.
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                css = "form-select form-select-sm"
            else:
                css = "form-control form-control-sm"
            field.widget.attrs["class"] = css


class BaseBudgetFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def lines(self) -> list[dict]:
        """The budget lines to keep, in the order of the form (empty and removed rows left
        out), as proposals.services.proposal_update takes them."""
        lines = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            lines.append(
                {name: data[name] for name in ("year", "category", "item", "amount", "borne_by")}
            )
        return lines


BudgetFormSet = forms.formset_factory(
    BudgetLineForm,
    formset=BaseBudgetFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_BUDGET_LINES,
    validate_max=True,
)


def budget_initial(proposal) -> list[dict]:
    return [
        {
            "year": line.year,
            "category": line.category,
            "item": line.item,
            "amount": line.amount,
            "borne_by": line.borne_by,
        }
        for line in proposal.budget_lines.all()
    ]


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("proposal", "Title"),
        max_length=200,
        required=False,
        help_text=_("For example: budget details, activity report. The file name if empty."),
    )
    file = forms.FileField(
        label=_("File"),
        validators=[validate_document],
        help_text=_("PDF, Word, Excel, JPEG or PNG."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
