"""Forms of the asker's side: the online request (visitor or member) and the asker's reply."""

from django import forms
from django.template.defaultfilters import linebreaksbr
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from consultations.enums import ContactPreference
from consultations.models import Category, ConsultationSettings
from kyodo.bounds import BoundedModelMultipleChoiceField
from kyodo.text import normalize_phone, validate_phone
from organizations.selectors import memberships_of

REQUEST_MAX_LENGTH = 4000
HONEYPOT_FIELD = "website"
MYSELF = "self"


class CategoryChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        # Evaluated while rendering, so in the language of the request.
        return obj.display_name


class AskForm(forms.Form):
    """An online consultation request.

    A visitor gives a name and an e-mail address (and a phone number if they like); a signed-in
    member's come from their account, and they choose whom they ask for: one of their
    organizations or themselves. ``website`` is a honeypot: people never see it, so a value in
    it means a robot filled the form (``is_spam``).
    """

    # Visitors only (removed for a signed-in member).
    name = forms.CharField(
        label=_("Your name"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,  # as the case stores it
        help_text=_("We send the acknowledgement and our reply here."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Longer than the stored value: full-width digits and dashes are normalised first.
    phone = forms.CharField(
        label=_("Phone (optional)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    # Members only (added in __init__ when the user belongs to an organization).
    on_behalf_of = forms.ChoiceField(
        label=_("You are asking for"),
        widget=forms.RadioSelect,
    )
    categories = CategoryChoiceField(
        label=_("What is it about?"),
        queryset=Category.objects.filter(is_active=True).order_by("order", "pk"),
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose at least one; choose all that apply."),
        error_messages={"required": _("Choose at least one topic.")},
    )
    request = forms.CharField(
        label=_("What do you need?"),
        max_length=REQUEST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 7}),
    )
    preferred_contact = forms.ChoiceField(
        label=_("How should we contact you?"),
        choices=ContactPreference.choices,
        initial=ContactPreference.EMAIL,
        widget=forms.RadioSelect,
    )
    preferred_times = forms.CharField(
        label=_("When suits you? (optional)"),
        max_length=200,
        required=False,
        help_text=_("For example: weekday afternoons, or Saturday mornings."),
    )
    consent = forms.BooleanField(
        label=_("I agree that my personal information is used for the purpose stated below."),
        error_messages={
            "required": _("Please agree to the purpose of use, or we cannot take your request.")
        },
    )
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, user=None, acting=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user if user is not None and user.is_authenticated else None
        self.fields["request"].help_text = gettext(
            "Describe your situation and what you would like help with (up to %(max)s "
            "characters). The first line becomes the title of your consultation."
        ) % {"max": f"{REQUEST_MAX_LENGTH:,}"}
        statement = ConsultationSettings.current().purpose_statement
        # Staff write the statement in the admin: escaped here, since help texts render as HTML.
        self.fields["consent"].help_text = linebreaksbr(statement, autoescape=True)
        self.organizations = {}
        if self.user is None:
            del self.fields["on_behalf_of"]
            return
        for field in ("name", "email", "phone"):
            del self.fields[field]
        self.organizations = {
            str(m.organization_id): m.organization for m in memberships_of(self.user)
        }
        if not self.organizations:
            del self.fields["on_behalf_of"]
            return
        field = self.fields["on_behalf_of"]
        field.choices = [(pk, org.name) for pk, org in self.organizations.items()] + [
            (MYSELF, _("Myself, not for an organization"))
        ]
        acting_pk = str(acting.pk) if acting is not None else ""
        field.initial = acting_pk if acting_pk in self.organizations else MYSELF

    @property
    def is_member(self) -> bool:
        return self.user is not None

    @property
    def asks_on_behalf(self) -> bool:
        return "on_behalf_of" in self.fields

    def is_spam(self) -> bool:
        """The honeypot has a value: a robot filled every field it found."""
        return bool(str(self.data.get(HONEYPOT_FIELD, "")).strip())

    def clean_phone(self):
        phone = normalize_phone(self.cleaned_data.get("phone", ""))
        validate_phone(phone)
        return phone

    def clean_request(self):
        return self.cleaned_data["request"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("preferred_contact") == ContactPreference.PHONE:
            if self.is_member and not self.user.phone:
                self.add_error(
                    "preferred_contact",
                    _(
                        "Your account has no phone number. Add one to your profile, "
                        "or choose another way to contact you."
                    ),
                )
            elif not self.is_member and "phone" in cleaned and not cleaned["phone"]:
                self.add_error("phone", _("Give a phone number so that we can call you."))
        return cleaned

    def organization(self):
        choice = self.cleaned_data.get("on_behalf_of") or MYSELF
        return self.organizations.get(choice)

    def service_kwargs(self) -> dict:
        """The keyword arguments of services.case_request_online."""
        data = self.cleaned_data
        if self.is_member:
            contact = {
                "user": self.user,
                "name": str(self.user),
                "email": self.user.email,
                "phone": self.user.phone,
                "organization": self.organization(),
            }
        else:
            contact = {
                "user": None,
                "name": data["name"].strip(),
                "email": data["email"],
                "phone": data["phone"],
                "organization": None,
            }
        return {
            **contact,
            "categories": list(data["categories"]),
            "request": data["request"],
            "preferred_contact": data["preferred_contact"],
            "preferred_times": data["preferred_times"].strip(),
        }


class AskerMessageForm(forms.Form):
    """The asker writes back on their consultation's page."""

    message = forms.CharField(
        label=_("Your message"),
        max_length=REQUEST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def clean_message(self):
        return self.cleaned_data["message"].strip()
