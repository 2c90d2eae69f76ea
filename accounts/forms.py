from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from kyodo.text import normalize_furigana, normalize_phone, validate_furigana, validate_phone


class NameFieldsMixin:
    """Cleans フリガナ to full-width katakana and phone numbers to ASCII digits."""

    def clean_family_name_kana(self):
        value = normalize_furigana(self.cleaned_data.get("family_name_kana", ""))
        validate_furigana(value)
        return value

    def clean_given_name_kana(self):
        value = normalize_furigana(self.cleaned_data.get("given_name_kana", ""))
        validate_furigana(value)
        return value

    def clean_phone(self):
        value = normalize_phone(self.cleaned_data.get("phone", ""))
        validate_phone(value)
        return value


class SignupForm(NameFieldsMixin, forms.Form):
    """Extra fields on allauth's sign-up form (allauth calls ``signup``)."""

    family_name = forms.CharField(label=_("Family name"), max_length=50)
    given_name = forms.CharField(label=_("Given name"), max_length=50)
    family_name_kana = forms.CharField(
        label=_("Family name (katakana)"),
        max_length=100,
        help_text=_("Hiragana and half-width kana are converted."),
    )
    given_name_kana = forms.CharField(label=_("Given name (katakana)"), max_length=100)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)

    field_order = [
        "email",
        "family_name",
        "given_name",
        "family_name_kana",
        "given_name_kana",
        "phone",
        "password1",
        "password2",
    ]

    def signup(self, request, user):
        for field in ("family_name", "given_name", "family_name_kana", "given_name_kana", "phone"):
            setattr(user, field, self.cleaned_data[field])
        user.language = getattr(request, "LANGUAGE_CODE", user.language) or user.language
        user.save()


class ProfileForm(NameFieldsMixin, forms.ModelForm):
    class Meta:
        model = User
        fields = [
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "phone",
            "language",
        ]


class AdminUserCreationForm(forms.ModelForm):
    """The admin's add-user form for our e-mail based user."""

    from django.contrib.auth.forms import SetPasswordMixin

    password1, password2 = SetPasswordMixin.create_password_fields()

    class Meta:
        model = User
        fields = ["email"]

    def clean(self):
        cleaned = super().clean()
        password1 = cleaned.get("password1")
        if password1 and password1 != cleaned.get("password2"):
            self.add_error("password2", _("The two passwords do not match."))
        return cleaned

    def save(self, commit=True):
        user = super().save(commit=False)
        user.set_password(self.cleaned_data["password1"])
        if commit:
            user.save()
        return user


class AdminUserChangeForm(forms.ModelForm):
    from django.contrib.auth.forms import ReadOnlyPasswordHashField

    password = ReadOnlyPasswordHashField(label=_("Password"))

    class Meta:
        model = User
        fields = [
            "email",
            "password",
            "family_name",
            "given_name",
            "family_name_kana",
            "given_name_kana",
            "phone",
            "language",
            "is_active",
            "is_staff",
            "is_superuser",
            "groups",
            "user_permissions",
            "last_login",
            "date_joined",
        ]
