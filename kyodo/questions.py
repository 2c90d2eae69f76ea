"""Questions staff define and people answer: the shared machinery of every questionnaire (an
event's application questions today; the coordination pillar's yearly survey of groups next).

A pillar makes a concrete model from ``AbstractQuestion`` with a foreign key to what the
questions belong to (an event, a survey), and stores answers as ``AbstractAnswer`` rows with a
foreign key to what holds them (an application, a response). ``answer_fields`` builds the form
fields for a list of questions and ``answers_from`` turns the cleaned data into
``(question, value)`` pairs to save; ``display_value`` shows a saved value.
"""

from django import forms
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from kyodo.bounds import BoundedIntegerField
from kyodo.localized import LocalizedNameMixin, localized


class QuestionKind(models.TextChoices):
    TEXT = "text", gettext_lazy("Text")
    CHOICE = "choice", gettext_lazy("One of a list")
    YES_NO = "yes_no", gettext_lazy("Yes or no")
    NUMBER = "number", gettext_lazy("Number")


YES, NO = "yes", "no"


class AbstractQuestion(LocalizedNameMixin, models.Model):
    localized_field = "text"

    text = models.CharField(pgettext_lazy("question", "question"), max_length=300)
    text_en = models.CharField(gettext_lazy("question in English"), max_length=300, blank=True)
    kind = models.CharField(
        gettext_lazy("kind of answer"),
        max_length=10,
        choices=QuestionKind.choices,
        default=QuestionKind.TEXT,
    )
    choices = models.TextField(
        gettext_lazy("choices"),
        blank=True,
        help_text=gettext_lazy("For “one of a list”: one choice per line."),
    )
    required = models.BooleanField(gettext_lazy("answer required"), default=False)
    order = models.PositiveSmallIntegerField(gettext_lazy("order"), default=100)

    class Meta:
        abstract = True
        ordering = ["order", "pk"]

    def __str__(self):
        return self.display_name

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class AbstractAnswer(models.Model):
    value = models.TextField(gettext_lazy("answer"), blank=True)

    class Meta:
        abstract = True


def field_name(question) -> str:
    return f"question_{question.pk}"


def _field_for(question) -> forms.Field:
    label = localized(question, "text")
    required = question.required
    if question.kind == QuestionKind.CHOICE:
        empty = [] if required else [("", "—")]
        return forms.ChoiceField(
            label=label,
            required=required,
            choices=[*empty, *[(c, c) for c in question.choice_list]],
        )
    if question.kind == QuestionKind.YES_NO:
        return forms.ChoiceField(
            label=label,
            required=required,
            widget=forms.RadioSelect,
            choices=[(YES, _("Yes")), (NO, _("No"))],
        )
    if question.kind == QuestionKind.NUMBER:
        return BoundedIntegerField(label=label, required=required, min_value=0)
    return forms.CharField(
        label=label, required=required, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


def answer_fields(questions) -> dict[str, forms.Field]:
    """The form fields of ``questions``, by field name, in their order."""
    return {field_name(question): _field_for(question) for question in questions}


def answers_from(questions, cleaned_data) -> list[tuple[object, str]]:
    """``(question, value)`` for every question answered (blank answers are left out)."""
    pairs = []
    for question in questions:
        value = cleaned_data.get(field_name(question))
        if value is None or value == "":
            continue
        pairs.append((question, str(value).strip()))
    return pairs


def display_value(question, value: str) -> str:
    if question.kind == QuestionKind.YES_NO:
        return {YES: _("Yes"), NO: _("No")}.get(value, value)
    return value
