from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.managers import UserManager
from kyodo.text import validate_furigana, validate_phone


class User(AbstractBaseUser, PermissionsMixin):
    """A person who signs in with an e-mail address; name in 姓・名 with フリガナ."""

    email = models.EmailField(_("e-mail address"), unique=True)
    family_name = models.CharField(_("family name"), max_length=50, blank=True)
    given_name = models.CharField(_("given name"), max_length=50, blank=True)
    family_name_kana = models.CharField(
        _("family name (katakana)"), max_length=100, blank=True, validators=[validate_furigana]
    )
    given_name_kana = models.CharField(
        _("given name (katakana)"), max_length=100, blank=True, validators=[validate_furigana]
    )
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[validate_phone])
    language = models.CharField(
        _("language"),
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language of e-mails and letters to you."),
    )
    is_staff = models.BooleanField(
        _("can use the backoffice"),
        default=False,
        help_text=_("Whether the user can log into the admin backoffice."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["family_name_kana", "given_name_kana", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def get_full_name(self):
        # Japanese order: 姓 then 名, separated by a full-width space.
        return "\u3000".join(part for part in (self.family_name, self.given_name) if part)

    def get_short_name(self):
        return self.family_name or self.email

    @property
    def full_name_kana(self):
        return "\u3000".join(p for p in (self.family_name_kana, self.given_name_kana) if p)

    def get_absolute_url(self):
        return reverse("accounts:mypage")

    # Model permissions (the admin, {{ perms }}) come from the groups and the superuser flag:
    # like every other right they wait for two-factor log-in where that is required.
    def has_perm(self, perm, obj=None):
        from accounts.rules import rights_apply

        return rights_apply(self) and super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        from accounts.rules import rights_apply

        return rights_apply(self) and super().has_module_perms(app_label)
