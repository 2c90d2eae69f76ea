from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.enums import MinutesStatus
from kyodo.forms import ChooseFilesAgainMixin
from kyodo.uploads import validate_document


class MaterialForm(ChooseFilesAgainMixin, forms.Form):
    prefix = "material"

    title = forms.CharField(label=pgettext_lazy("material", "Title"), max_length=150)
    file = forms.FileField(label=_("File"), validators=[validate_document])
    is_public = forms.BooleanField(
        label=_("Public (shown on the public page)"),
        required=False,
        help_text=_("Leave unticked for a closed material: members and staff only."),
    )


class MinutesForm(forms.Form):
    prefix = "minutes"

    text = forms.CharField(label=_("Minutes text"), widget=forms.Textarea(attrs={"rows": 12}))


MOVES = {
    MinutesStatus.DRAFT: _("Back to draft"),
    MinutesStatus.IN_REVIEW: _("Send to the members for their check"),
    MinutesStatus.APPROVED: _("Record the approval"),
    MinutesStatus.PUBLISHED: _("Publish the minutes"),
}


class MinutesMoveForm(forms.Form):
    to = forms.ChoiceField(choices=MinutesStatus.choices)
    reason = forms.CharField(required=False, max_length=500)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Your comment"), widget=forms.Textarea(attrs={"rows": 4}))
