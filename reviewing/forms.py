"""Forms of the shared review: the conflict-of-interest declaration and the score sheet.
They validate; reviewing.services does the writing. A pillar may subclass them to word the
question for its subject."""

from django import forms
from django.utils.translation import gettext_lazy as _

NOTE_MAX_LENGTH = 2000
COMMENT_MAX_LENGTH = 4000


class DeclarationForm(forms.Form):
    """利害関係: whether the reviewer has a conflict of interest with the subject."""

    NO, YES = "no", "yes"
    question = _("Do you have a conflict of interest with this application?")
    conflict_help = _(
        "For example: you or your family belong to the applying organization, work with "
        "it, or would gain from the project. A declared conflict cannot be withdrawn."
    )

    conflict = forms.ChoiceField(
        choices=[
            (NO, _("No, I have no conflict of interest")),
            (YES, _("Yes, I have a conflict of interest (I will not score it)")),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["conflict"].label = self.question
        self.fields["conflict"].help_text = self.conflict_help

    def service_kwargs(self) -> dict:
        return {
            "has_conflict": self.cleaned_data["conflict"] == self.YES,
            "note": self.cleaned_data["note"],
        }


class ScoreForm(forms.Form):
    """The score sheet: 0..max points and an optional comment for each criterion, and an
    overall comment. Points may be left empty in a draft."""

    overall_comment = forms.CharField(
        label=_("Overall comment"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, data=None, *args, criteria, max_points: int, review=None, **kwargs):
        # An unbound sheet shows what was saved. ``data`` is named (not tested as ``not args``)
        # because the view passes ``data=None`` positionally for the unbound sheet: the old
        # test never loaded the saved points, and submitting the blank page wiped them.
        if review is not None and data is None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_from(review)
        super().__init__(data, *args, **kwargs)
        self.criteria = list(criteria)
        choices = [(str(n), str(n)) for n in range(max_points + 1)]
        for criterion in self.criteria:
            self.fields[self.points_name(criterion)] = forms.TypedChoiceField(
                label=criterion.display_name,
                choices=choices,
                coerce=int,
                empty_value=None,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[self.comment_name(criterion)] = forms.CharField(
                label=_("Comment on “%(name)s” (optional)") % {"name": criterion.display_name},
                required=False,
                max_length=COMMENT_MAX_LENGTH,
                widget=forms.Textarea(attrs={"rows": 2}),
            )

    @staticmethod
    def points_name(criterion) -> str:
        return f"points_{criterion.pk}"

    @staticmethod
    def comment_name(criterion) -> str:
        return f"comment_{criterion.pk}"

    @classmethod
    def initial_from(cls, review) -> dict:
        initial = {"overall_comment": review.overall_comment}
        for score in review.scores.all():
            initial[f"points_{score.criterion_id}"] = (
                "" if score.points is None else str(score.points)
            )
            initial[f"comment_{score.criterion_id}"] = score.comment
        return initial

    def rows(self):
        """(criterion, points field, comment field) in the order of the criteria."""
        return [(c, self[self.points_name(c)], self[self.comment_name(c)]) for c in self.criteria]

    def points(self) -> dict[int, int | None]:
        """The points given, from whatever is valid (also for the running total)."""
        data = getattr(self, "cleaned_data", {})
        return {c.pk: data.get(self.points_name(c)) for c in self.criteria}

    def service_kwargs(self) -> dict:
        return {
            "points": self.points(),
            "comments": {
                c.pk: self.cleaned_data.get(self.comment_name(c), "") for c in self.criteria
            },
            "overall_comment": self.cleaned_data.get("overall_comment", ""),
        }
