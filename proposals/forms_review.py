"""Forms of the reviewers' pages: the conflict-of-interest declaration and the score sheet
(the shared machinery's, reviewing/forms.py, worded for a proposal) and the department's
opinion. They validate; the services in proposals/reviews.py and proposals/services.py do the
writing."""

from django import forms
from django.utils.translation import gettext_lazy as _

from proposals.enums import Feasibility
from reviewing.forms import COMMENT_MAX_LENGTH, NOTE_MAX_LENGTH, ScoreForm  # noqa: F401
from reviewing.forms import DeclarationForm as SharedDeclarationForm


class DeclarationForm(SharedDeclarationForm):
    """利害関係: whether the reviewer has a conflict of interest with the proposal."""

    question = _("Do you have a conflict of interest with this proposal?")
    conflict_help = _(
        "For example: you or your family belong to the proposing organization, work with "
        "it, or would gain from the project. A declared conflict cannot be withdrawn."
    )


class OpinionForm(forms.Form):
    """The 所管課's opinion on whether the ward can carry its part."""

    feasibility = forms.ChoiceField(
        label=_("Feasibility"), choices=Feasibility.choices, widget=forms.RadioSelect
    )
    text = forms.CharField(
        label=_("Opinion"),
        required=False,
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Reviewers read this beside the proposal once you give it: whether the ward can "
            "take on its part, what would have to change, the budget and the people needed."
        ),
    )
