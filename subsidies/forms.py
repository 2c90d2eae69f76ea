"""Forms of the organization's side of the subsidy. They validate and normalise; the views
hand ``cleaned_data`` to subsidies.services (which checks the rules again)."""

import re
import unicodedata

from django import forms
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyodo.bounds import BoundedDateField, BoundedIntegerField
from kyodo.text import validate_phone
from kyodo.uploads import validate_document
from subsidies.enums import Declaration, Outcome
from subsidies.models import Application
from subsidies.services import MAX_BUDGET_LINES, REQUIRED_FOR_SUBMISSION

MAX_AMOUNT = 99_999_999


class AmountField(BoundedIntegerField):
    """Yen as people type them: 120000, 120,000, １２０，０００, ¥120,000 or 120,000円."""

    def to_python(self, value):
        if isinstance(value, str):
            value = unicodedata.normalize("NFKC", value)
            value = re.sub(r"[\s,¥\\円]", "", value)
        return super().to_python(value)


def _numeric():
    return forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})


class ApplicationStartForm(forms.Form):
    organization = forms.ModelChoiceField(label=_("Organization"), queryset=None, empty_label=None)
    title = forms.CharField(label=_("Project title"), max_length=200)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


# The application in the order of the 事業計画書, in groups the edit page shows as fieldsets.
PLAN_GROUPS = (
    (_("The project"), ("title", "purpose", "need")),
    (
        pgettext_lazy("subsidy", "Content and schedule"),
        ("content", "schedule", "place", "starts_on", "ends_on"),
    ),
    (_("Effects"), ("effects", "indicators")),
    (
        _("People and prior consultation"),
        ("responsible_person", "contact_person", "contact_phone", "consultation_case"),
    ),
    (_("Income"), ("other_income",)),
)
PLAN_FIELDS = tuple(name for _legend, names in PLAN_GROUPS for name in names)
LONG_TEXTS = ("purpose", "need", "content", "schedule", "effects", "indicators")


class ApplicationForm(forms.Form):
    """The whole 事業計画書. Only the title is required while it is a draft; the fields needed
    for submission say so."""

    def __init__(self, *args, cases, **kwargs):
        super().__init__(*args, **kwargs)
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in LONG_TEXTS}
        self.fields.update(
            fields_for_model(
                Application,
                fields=[n for n in PLAN_FIELDS if n not in ("starts_on", "ends_on")],
                widgets=widgets,
            )
        )
        for name in ("starts_on", "ends_on"):
            self.fields[name] = BoundedDateField(
                label=Application._meta.get_field(name).verbose_name,
                required=False,
                widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            )
        self.fields["other_income"] = AmountField(
            label=Application._meta.get_field("other_income").verbose_name,
            help_text=Application._meta.get_field("other_income").help_text,
            min_value=0,
            max_value=MAX_AMOUNT,
            required=False,
            widget=_numeric(),
        )
        self.fields["contact_phone"].validators.append(validate_phone)
        self.fields["consultation_case"].queryset = cases
        self.fields["consultation_case"].required = False
        self.fields["consultation_case"].help_text = _(
            "A consultation with the center about this application, if you had one."
        )
        self.fields["title"].required = True
        for name in REQUIRED_FOR_SUBMISSION:
            if name != "title":
                self.fields[name].help_text = _("Needed before you submit.")

    def clean_other_income(self):
        return self.cleaned_data.get("other_income") or 0

    def groups(self):
        return [(legend, [self[name] for name in names]) for legend, names in PLAN_GROUPS]


class BudgetLineForm(forms.Form):
    category = forms.ModelChoiceField(
        label=pgettext_lazy("budget", "Category"), queryset=None, empty_label="—"
    )
    item = forms.CharField(label=_("Item"), max_length=200)
    quantity = BoundedIntegerField(
        label=_("Quantity"), min_value=1, max_value=9999, widget=_numeric()
    )
    unit_price = AmountField(
        label=_("Unit price (yen)"), min_value=0, max_value=MAX_AMOUNT, widget=_numeric()
    )

    def __init__(self, *args, categories, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = categories
        for field in self.fields.values():
            css = "form-select form-select-sm"
            if not isinstance(field.widget, forms.Select):
                css = "form-control form-control-sm"
            field.widget.attrs["class"] = css


class BaseBudgetFormSet(forms.BaseFormSet):
    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove")
            form.fields["DELETE"].widget.attrs["class"] = "form-check-input"

    def lines(self) -> list[dict]:
        """The lines to keep, in the order of the form (empty and removed rows left out)."""
        lines = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            lines.append({n: data[n] for n in ("category", "item", "quantity", "unit_price")})
        return lines


BudgetFormSet = forms.formset_factory(
    BudgetLineForm,
    formset=BaseBudgetFormSet,
    extra=3,
    can_delete=True,
    max_num=MAX_BUDGET_LINES,
    validate_max=True,
)


def budget_initial(lines) -> list[dict]:
    return [
        {
            "category": line.category_id,
            "item": line.item,
            "quantity": line.quantity,
            "unit_price": line.unit_price,
        }
        for line in lines
    ]


class AttachmentForm(forms.Form):
    title = forms.CharField(
        label=pgettext_lazy("attachment", "Title"),
        max_length=200,
        required=False,
        help_text=_("For example: quotation, leaflet. The file name if empty."),
    )
    file = forms.FileField(
        label=_("File"),
        validators=[validate_document],
        help_text=_("PDF, Word, Excel, JPEG or PNG."),
    )


class SubmitForm(forms.Form):
    declarations = forms.MultipleChoiceField(
        label=_("Declaration"),
        choices=Declaration.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Every condition must be declared."),
    )

    def clean_declarations(self):
        chosen = self.cleaned_data["declarations"]
        if set(chosen) != set(Declaration.values):
            raise forms.ValidationError(_("Declare every condition."))
        return chosen


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    amount = AmountField(
        label=_("Granted amount (yen)"),
        min_value=1,
        max_value=MAX_AMOUNT,
        required=False,
        widget=_numeric(),
        help_text=_("At most the requested amount; a multiple of the rounding unit."),
    )
    conditions = forms.CharField(
        label=_("Conditions of the grant"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reasons = forms.CharField(
        label=_("Reasons for not granting"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The organization reads them in its letter."),
    )


class AdvanceForm(forms.Form):
    amount = AmountField(
        label=_("Amount of the advance (yen)"),
        min_value=1,
        max_value=MAX_AMOUNT,
        widget=_numeric(),
        help_text=_("At most the granted amount."),
    )


class AdvancePaidForm(forms.Form):
    paid_on = BoundedDateField(
        label=_("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
