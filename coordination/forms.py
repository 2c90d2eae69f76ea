from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coordination.enums import InterestOutcome, PostCategory, PostKind, PostStatus
from coordination.models import Region, Town
from kyodo.bounds import BoundedDateField, BoundedModelMultipleChoiceField
from kyodo.widgets import date_input
from organizations.models import ActivityField


class PostForm(forms.Form):
    """A need or an offer. ``ward=True`` adds the department a ward official posts for."""

    kind = forms.ChoiceField(
        label=_("Need or offer"), choices=PostKind.choices, widget=forms.RadioSelect
    )
    category = forms.ChoiceField(
        label=pgettext_lazy("board", "Category"), choices=PostCategory.choices
    )
    title = forms.CharField(label=pgettext_lazy("board", "Title"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "What you need or offer, when and where. Do not write phone numbers, e-mail "
            "addresses or names of people: the center introduces you."
        ),
    )
    partner_sought = forms.CharField(
        label=_("Partner sought"),
        max_length=200,
        required=False,
        help_text=_("For example: a company near Nihonbashi, a group working with children."),
    )
    activity_fields = BoundedModelMultipleChoiceField(
        label=_("Activity fields"),
        queryset=ActivityField.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    region = forms.ModelChoiceField(label=_("Area of the ward"), queryset=Region.objects.all())
    town = forms.ModelChoiceField(
        label=_("Town"),
        queryset=Town.objects.filter(is_active=True).select_related("region"),
        required=False,
    )
    starts_on = BoundedDateField(label=_("From"), required=False, widget=date_input())
    ends_on = BoundedDateField(label=_("Until"), required=False, widget=date_input())

    def __init__(self, *args, ward: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ward:
            self.fields = {
                "department": forms.CharField(label=_("Ward department"), max_length=100),
                **self.fields,
            }
        self.fields["town"].label_from_instance = lambda town: (
            f"{town.region.display_name} {town.display_name}"
        )

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and starts_on > ends_on:
            self.add_error("ends_on", _("The last day must not be before the first day."))
        town, region = data.get("town"), data.get("region")
        if town is not None and region is not None and town.region_id != region.pk:
            self.add_error("town", _("The town is not in the chosen area."))
        return data

    @classmethod
    def initial_from(cls, post) -> dict:
        return {
            "kind": post.kind,
            "category": post.category,
            "title": post.title,
            "description": post.description,
            "partner_sought": post.partner_sought,
            "activity_fields": list(post.activity_fields.all()),
            "region": post.region_id,
            "town": post.town_id,
            "starts_on": post.starts_on,
            "ends_on": post.ends_on,
        }


class BoardFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Need or offer"), required=False)
    field = forms.TypedChoiceField(
        label=_("Activity field"), required=False, coerce=int, empty_value=None
    )
    region = forms.TypedChoiceField(
        label=_("Area of the ward"), required=False, coerce=int, empty_value=None
    )
    category = forms.ChoiceField(label=pgettext_lazy("board", "Category"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["kind"].choices = everything + list(PostKind.choices)
        self.fields["category"].choices = everything + list(PostCategory.choices)
        self.fields["field"].choices = everything + [
            (f.number, f"{f.number}. {f.display_name}") for f in ActivityField.objects.all()
        ]
        self.fields["region"].choices = everything + [
            (r.pk, r.display_name) for r in Region.objects.all()
        ]


class InterestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the center"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("How you could help or why you are interested. The center reads it first."),
    )

    def __init__(self, *args, ward: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if ward:
            self.fields = {
                "department": forms.CharField(label=_("Ward department"), max_length=100),
                **self.fields,
            }


MODERATION_CHOICES = [
    (PostStatus.PUBLISHED, _("Publish")),
    (PostStatus.CHANGES_REQUESTED, _("Ask for changes")),
    (PostStatus.REFUSED, _("Refuse")),
]


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=MODERATION_CHOICES, widget=forms.RadioSelect
    )
    reason = forms.CharField(
        label=_("Reason the poster reads"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required to ask for changes or to refuse."),
    )

    def clean(self):
        data = super().clean()
        if (
            data.get("decision") in (PostStatus.CHANGES_REQUESTED, PostStatus.REFUSED)
            and not (data.get("reason") or "").strip()
        ):
            self.add_error("reason", _("Write the reason the poster will read."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=InterestOutcome.choices, required=False)


class StaffFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False)
    kind = forms.ChoiceField(label=_("Need or offer"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["status"].choices = everything + list(PostStatus.choices)
        self.fields["kind"].choices = everything + list(PostKind.choices)
