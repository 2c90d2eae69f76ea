"""Forms of the 協働事業評価. They validate and normalise; the services write."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.roles import Role
from evaluations.arithmetic import comment_required
from evaluations.enums import SCALE, TargetKind
from kyodo.bounds import BoundedDateField
from kyodo.forms import ChooseFilesAgainMixin
from kyodo.uploads import validate_document
from kyodo.widgets import date_input
from proposals.enums import Verdict


def _textarea(rows=3):
    return forms.Textarea(attrs={"rows": rows})


def _value_field(label):
    return forms.DecimalField(
        label=label, required=False, min_value=0, max_digits=12, decimal_places=2
    )


class TargetRowForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Kind"), choices=TargetKind.choices)
    title = forms.CharField(label=gettext_lazy("What is aimed at"), max_length=300, required=False)
    indicator = forms.CharField(
        label=gettext_lazy("Indicator, target group or method"), max_length=300, required=False
    )
    target_value = _value_field(gettext_lazy("Target value"))
    unit = forms.CharField(label=gettext_lazy("Unit"), max_length=30, required=False)


TargetFormSet = forms.formset_factory(TargetRowForm, extra=2, max_num=30, absolute_max=30)


class BeneficiaryReasonForm(forms.Form):
    prefix = "beneficiary"
    reason = forms.CharField(
        label=gettext_lazy("Why beneficiary satisfaction cannot be measured (if it cannot)"),
        widget=_textarea(2),
        required=False,
    )


class ResultsForm(forms.Form):
    """One value and one note per confirmed target."""

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.targets = list(targets)
        for target in self.targets:
            self.fields[f"value_{target.pk}"] = _value_field(
                _("Result for “%(title)s” (%(unit)s)")
                % {"title": target.title, "unit": target.unit or "—"}
            )
            self.fields[f"value_{target.pk}"].initial = target.result_value
            self.fields[f"note_{target.pk}"] = forms.CharField(
                label=_("About the result of “%(title)s”") % {"title": target.title},
                widget=_textarea(2),
                required=False,
                initial=target.result_note,
            )

    def results(self) -> dict[int, tuple]:
        return {
            t.pk: (self.cleaned_data.get(f"value_{t.pk}"), self.cleaned_data.get(f"note_{t.pk}"))
            for t in self.targets
        }

    def rows(self):
        return [(t, self[f"value_{t.pk}"], self[f"note_{t.pk}"]) for t in self.targets]


class EvidenceForm(ChooseFilesAgainMixin, forms.Form):
    prefix = "evidence"
    file = forms.FileField(
        label=gettext_lazy("Evidence file"),
        help_text=gettext_lazy("PDF, image, Word or Excel."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        validate_document(upload)
        return upload


class SheetForm(forms.Form):
    """The check sheet: per item a score 1–5 (a comment for 1 or 2) and the free texts."""

    went_well = forms.CharField(
        label=gettext_lazy("What went well"), widget=_textarea(3), required=False
    )
    issues = forms.CharField(label=gettext_lazy("Issues"), widget=_textarea(3), required=False)
    improvements = forms.CharField(
        label=gettext_lazy("Improvements"), widget=_textarea(3), required=False
    )

    def __init__(self, *args, items, sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        scores = {s.item_id: s for s in sheet.scores.all()} if sheet else {}
        for item in self.items:
            score = scores.get(item.pk)
            self.fields[f"points_{item.pk}"] = forms.TypedChoiceField(
                label=item.display_name,
                help_text=item.description,
                choices=SCALE,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
                initial=score.points if score else None,
            )
            self.fields[f"comment_{item.pk}"] = forms.CharField(
                label=_("Comment on “%(item)s”") % {"item": item.display_name},
                help_text=gettext_lazy("Required for a score of 1 or 2."),
                widget=_textarea(2),
                required=False,
                initial=score.comment if score else "",
            )
        if sheet is not None:
            for name in ("went_well", "issues", "improvements"):
                self.fields[name].initial = getattr(sheet, name)

    def clean(self):
        cleaned = super().clean()
        for item in self.items:
            points = cleaned.get(f"points_{item.pk}")
            if comment_required(points) and not (cleaned.get(f"comment_{item.pk}") or "").strip():
                self.add_error(
                    f"comment_{item.pk}", _("A score of 1 or 2 needs a comment saying why.")
                )
        return cleaned

    def scores(self) -> dict[int, tuple]:
        return {
            item.pk: (
                self.cleaned_data.get(f"points_{item.pk}"),
                self.cleaned_data.get(f"comment_{item.pk}", ""),
            )
            for item in self.items
        }

    def item_rows(self):
        return [
            (item, self[f"points_{item.pk}"], self[f"comment_{item.pk}"]) for item in self.items
        ]


class OpenForm(forms.Form):
    prefix = "open"
    self_due = BoundedDateField(label=gettext_lazy("Group's sheet due"), widget=date_input())
    department_due = BoundedDateField(
        label=gettext_lazy("Department's sheet due"), widget=date_input()
    )
    council_due = BoundedDateField(label=gettext_lazy("Council's sheets due"), widget=date_input())


def council_members():
    return (
        get_user_model()
        .objects.filter(groups__name=Role.COUNCIL_MEMBER.value, is_active=True)
        .order_by("family_name_kana", "given_name_kana", "pk")
        .distinct()
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} <{obj.email}>"


class AssignForm(forms.Form):
    prefix = "assign"
    member = PersonChoiceField(label=gettext_lazy("Council member"), queryset=council_members())


class VerdictForm(forms.Form):
    prefix = "verdict"
    verdict = forms.ChoiceField(
        label=gettext_lazy("Council's verdict"), choices=Verdict.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=gettext_lazy("The council's comment"),
        widget=_textarea(4),
        help_text=gettext_lazy("Published with the results; the group reads it too."),
    )
    on = BoundedDateField(label=gettext_lazy("Verdict given on"), widget=date_input())
