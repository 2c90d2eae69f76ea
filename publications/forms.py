from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyodo.bounds import BoundedDateField, BoundedIntegerField, BoundedModelMultipleChoiceField
from kyodo.uploads import validate_document
from kyodo.widgets import date_input
from organizations.models import ActivityField
from publications.enums import NewsCategory, Topic
from publications.models import GrantListing, NewsItem


class NewsFilterForm(forms.Form):
    category = forms.ChoiceField(label=pgettext_lazy("news", "Category"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All")), *NewsCategory.choices]


class NewsAdminForm(forms.ModelForm):
    """The admin's form: the image goes through the project's upload checks."""

    class Meta:
        model = NewsItem
        fields = [
            "title",
            "category",
            "summary",
            "body",
            "image",
            "image_alt",
            "publish_at",
            "expires_at",
            "pinned",
        ]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if image and hasattr(image, "content_type"):  # a new upload
            validate_document(image, allowed=("jpg", "jpeg", "png"))
        return image


def _field_choices():
    return [(f.number, f"{f.number}. {f.display_name}") for f in ActivityField.objects.all()]


class GrantFilterForm(forms.Form):
    field = forms.TypedChoiceField(
        label=_("Activity field"), required=False, coerce=int, empty_value=None
    )
    amount = BoundedIntegerField(
        label=_("At least (yen)"),
        required=False,
        min_value=0,
        help_text=_("Calls that may give at least this much."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("All")), *_field_choices()]


class GrantSuggestForm(forms.ModelForm):
    organization = forms.ModelChoiceField(label=_("Suggested by the group"), queryset=None)
    deadline = BoundedDateField(label=_("Deadline"), widget=date_input())
    opens_on = BoundedDateField(label=_("Applications open"), required=False, widget=date_input())
    amount_min = BoundedIntegerField(label=_("Smallest grant (yen)"), required=False, min_value=0)
    amount_max = BoundedIntegerField(label=_("Largest grant (yen)"), required=False, min_value=0)
    activity_fields = BoundedModelMultipleChoiceField(
        label=_("Activity fields"),
        queryset=ActivityField.objects.order_by("number"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = GrantListing
        fields = [
            "funder",
            "programme",
            "activity_fields",
            "eligibility",
            "amount_min",
            "amount_max",
            "opens_on",
            "deadline",
            "deadline_rule",
            "url",
            "notes",
        ]

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["activity_fields"].label_from_instance = lambda f: (
            f"{f.number}. {f.display_name}"
        )

    def clean(self):
        data = super().clean()
        low, high = data.get("amount_min"), data.get("amount_max")
        if low is not None and high is not None and low > high:
            self.add_error("amount_max", _("The smallest grant cannot be above the largest."))
        opens, deadline = data.get("opens_on"), data.get("deadline")
        if opens and deadline and opens > deadline:
            self.add_error("opens_on", _("Applications cannot open after the deadline."))
        return data

    def listing_data(self) -> dict:
        return {
            name: self.cleaned_data[name] for name in self.Meta.fields if name != "activity_fields"
        }


class SubscribeForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        initial=list(Topic.values),
    )


class FooterSubscribeForm(forms.Form):
    prefix = "footer"
    email = forms.EmailField(label=_("Newsletter: your e-mail address"))


class IssueTestForm(forms.Form):
    to = forms.EmailField(label=_("Send a test to"))
