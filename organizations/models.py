"""団体登録: organizations, their registration applications, members, documents and history."""

import secrets

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kyodo.localized import LocalizedNameMixin
from kyodo.models import SingletonSettings, StatusEvent
from kyodo.text import (
    PREFECTURES,
    validate_corporate_number,
    validate_furigana,
    validate_phone,
    validate_postal_code,
)
from organizations.enums import (
    ApplicationKind,
    ApplicationStatus,
    ChangeStatus,
    DocumentKind,
    EventAction,
    EventKind,
    MemberRole,
    OrganizationType,
    RegistrationStatus,
)


class RegistrationRules(SingletonSettings):
    """The registration rules staff can change (one row; defaults from DOMAIN.md)."""

    min_members = models.PositiveSmallIntegerField(
        _("minimum number of members"), default=3, validators=[MinValueValidator(1)]
    )
    rules_document_required = models.BooleanField(
        _("rules or articles of association required"), default=True
    )
    ward_activity_required = models.BooleanField(_("activity in Chuo City required"), default=True)
    first_reminder_days = models.PositiveSmallIntegerField(
        _("first renewal reminder (days before expiry)"), default=30
    )
    second_reminder_days = models.PositiveSmallIntegerField(
        _("second renewal reminder (days before expiry)"), default=7
    )
    renewal_opens_days = models.PositiveSmallIntegerField(
        _("renewal can be applied for (days before expiry)"), default=60
    )
    invitation_valid_days = models.PositiveSmallIntegerField(
        _("invitations valid for (days)"), default=14, validators=[MinValueValidator(1)]
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("registration rules")
        verbose_name_plural = _("registration rules")


class ActivityField(LocalizedNameMixin, models.Model):
    """The 20 activity fields of the NPO law (別表), in their legal wording."""

    number = models.PositiveSmallIntegerField(_("number"), unique=True)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=250, blank=True)

    class Meta:
        ordering = ["number"]
        verbose_name = _("activity field")
        verbose_name_plural = _("activity fields")

    def __str__(self):
        return self.display_name


class Organization(models.Model):
    name = models.CharField(_("organization name"), max_length=150)
    name_kana = models.CharField(
        _("organization name (katakana)"), max_length=300, validators=[validate_furigana]
    )
    # name + kana folded by kyodo.text.search_key, for kana- and width-insensitive search.
    search_key = models.CharField(
        _("search key"), max_length=500, editable=False, db_index=True, default=""
    )
    org_type = models.CharField(
        pgettext_lazy("organization", "type"), max_length=30, choices=OrganizationType.choices
    )
    corporate_number = models.CharField(
        _("corporate number"), max_length=13, blank=True, validators=[validate_corporate_number]
    )
    established_on = models.DateField(_("established on"), null=True, blank=True)
    representative_name = models.CharField(_("representative"), max_length=100)
    representative_kana = models.CharField(
        _("representative (katakana)"), max_length=200, validators=[validate_furigana]
    )
    contact_person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("contact person"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    postal_code = models.CharField(
        _("postal code"), max_length=8, validators=[validate_postal_code]
    )
    prefecture = models.CharField(
        _("prefecture"), max_length=4, choices=[(p, p) for p in PREFECTURES], default="東京都"
    )
    city = models.CharField(_("city"), max_length=50, default="中央区")
    street = models.CharField(_("town and street address"), max_length=200)
    building = models.CharField(_("building"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20, validators=[validate_phone])
    fax = models.CharField(_("fax"), max_length=20, blank=True, validators=[validate_phone])
    email = models.EmailField(_("e-mail"))
    website = models.URLField(_("website"), blank=True)
    sns = models.CharField(_("social media"), max_length=300, blank=True)
    activity_fields = models.ManyToManyField(
        ActivityField, verbose_name=_("main activity fields"), related_name="organizations"
    )
    activity_area = models.CharField(_("area of activity"), max_length=200)
    member_count = models.PositiveIntegerField(_("number of members"))
    staff_count = models.PositiveIntegerField(_("full-time staff"), default=0)
    annual_budget = models.PositiveBigIntegerField(_("annual budget (yen)"), null=True, blank=True)
    purpose = models.TextField(_("purpose"))
    activities = models.TextField(_("main activities"))
    activity_schedule = models.CharField(_("activity days and places"), max_length=300, blank=True)

    status = models.CharField(
        _("registration status"),
        max_length=20,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.APPLYING,
        db_index=True,
    )
    registration_number = models.CharField(
        _("registration number"), max_length=20, null=True, blank=True, unique=True
    )
    registered_on = models.DateField(_("first registered on"), null=True, blank=True)
    valid_until = models.DateField(_("valid until"), null=True, blank=True, db_index=True)

    is_listed = models.BooleanField(_("listed in the public directory"), default=False)
    public_fields = models.JSONField(_("fields shown in the directory"), default=list, blank=True)

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name_kana", "pk"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["applying", "rejected"]) | Q(valid_until__isnull=False),
                name="organization_registered_has_validity",
            )
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.pk])

    @property
    def address(self) -> str:
        place = f"{self.prefecture}{self.city}{self.street}"
        return f"〒{self.postal_code} {place} {self.building}".strip()

    def is_valid_on(self, date) -> bool:
        """Registered and within its validity: what every other pillar asks."""
        return (
            self.status == RegistrationStatus.REGISTERED
            and self.valid_until is not None
            and self.valid_until >= date
        )

    @property
    def is_valid(self) -> bool:
        return self.is_valid_on(timezone.localdate())


def _document_path(instance, filename):
    # A random folder name: the path gives nothing away, and files are served only by a view
    # that checks permission.
    return f"organizations/{instance.organization_id}/{secrets.token_hex(8)}/{filename}"


class Membership(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organization"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organization", "role", "joined_at"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "user"], name="membership_once_per_organization"
            ),
            # Exactly one 代表管理者: at most one here, at least one kept by the services.
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(role="owner"),
                name="membership_one_owner",
            ),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organization} ({self.get_role_display()})"


class Invitation(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organization"),
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(_("role"), max_length=10, choices=MemberRole.choices)
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("invited at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="owner"), name="invitation_never_for_the_owner_role"
            )
        ]

    def __str__(self):
        return f"{self.email} → {self.organization}"

    @property
    def is_open(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )


class Application(models.Model):
    """A registration application (新規) or a renewal (更新申請), reviewed by staff."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="applications",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ApplicationKind.choices)
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year applied for"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
        db_index=True,
    )
    note = models.TextField(_("note to the center"), blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    reason = models.TextField(_("reason given"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("registration application")
        verbose_name_plural = _("registration applications")
        constraints = [
            # One open application per organization at a time.
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status__in=["submitted", "returned"]),
                name="application_one_open_per_organization",
            )
        ]

    def __str__(self):
        return f"{self.organization} — {self.get_kind_display()} ({self.get_status_display()})"


class ProfileChange(models.Model):
    """A 変更届 of details that need staff approval (name, type, representative, number)."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="profile_changes",
        verbose_name=_("organization"),
    )
    changes = models.JSONField(_("requested values"))
    previous = models.JSONField(_("values before"))
    status = models.CharField(
        _("status"), max_length=10, choices=ChangeStatus.choices, default=ChangeStatus.PENDING
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("change of details")
        verbose_name_plural = _("changes of details")
        constraints = [
            models.UniqueConstraint(
                fields=["organization"],
                condition=Q(status="pending"),
                name="profilechange_one_pending_per_organization",
            )
        ]

    def __str__(self):
        return f"{self.organization}: {', '.join(self.changes)}"


class OrganizationDocument(models.Model):
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="documents",
        verbose_name=_("organization"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DocumentKind.choices)
    file = models.FileField(_("file"), upload_to=_document_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["kind", "-uploaded_at"]
        verbose_name = _("organization document")
        verbose_name_plural = _("organization documents")

    def __str__(self):
        return self.original_name


class OrganizationEvent(StatusEvent):
    """The timeline: every move of the registration, applications, changes and members."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("organization"),
    )
    application = models.ForeignKey(
        Application,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("application"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    # A timeline entry need not be a status move (a member joined, a document came in), and
    # its time is set by the demo data, so two fields differ from StatusEvent.
    new_status = models.CharField(pgettext_lazy("status", "to"), max_length=20, blank=True)
    action = models.CharField(
        _("what happened"), max_length=50, choices=EventAction.choices, blank=True
    )
    changed_at = models.DateTimeField(
        pgettext_lazy("time", "at"), default=timezone.now, db_index=True
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("organization event")
        verbose_name_plural = _("organization events")

    def __str__(self):
        return f"{self.organization}: {self.get_action_display() or self.new_status}"

    def _status_label(self, value):
        statuses = ApplicationStatus if self.kind == EventKind.APPLICATION else RegistrationStatus
        try:
            return statuses(value).label
        except ValueError:
            return value

    @property
    def old_status_label(self):
        return self._status_label(self.old_status)

    @property
    def new_status_label(self):
        return self._status_label(self.new_status)


class RegistrationCertificate(models.Model):
    """登録証: one per organization and validity, made on approval and on each renewal."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="certificates",
        verbose_name=_("organization"),
    )
    registration_number = models.CharField(_("registration number"), max_length=20)
    valid_until = models.DateField(_("valid until"))
    issued_on = models.DateField(_("issued on"), default=timezone.localdate)
    document = models.OneToOneField(
        "kyodo.GeneratedDocument",
        on_delete=models.PROTECT,
        related_name="certificate",
        verbose_name=_("PDF document"),
    )

    class Meta:
        ordering = ["-valid_until"]
        verbose_name = _("registration certificate")
        verbose_name_plural = _("registration certificates")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "valid_until"], name="certificate_once_per_validity"
            )
        ]

    def __str__(self):
        return f"{self.organization} ({self.valid_until:%Y-%m-%d})"


class RenewalReminder(models.Model):
    """One row per reminder and recipient; the unique constraint makes a second sweep send
    nothing, and a recipient whose mail failed is retried alone."""

    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="renewal_reminders",
        verbose_name=_("organization"),
    )
    valid_until = models.DateField(_("valid until"))
    days_before = models.PositiveSmallIntegerField(_("days before"))
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent at"), default=timezone.now)

    class Meta:
        verbose_name = _("renewal reminder")
        verbose_name_plural = _("renewal reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "valid_until", "days_before", "email"],
                name="renewalreminder_once",
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.valid_until} −{self.days_before}"
