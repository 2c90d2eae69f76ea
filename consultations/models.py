"""相談: cases with parties, a timeline of entries, follow-ups and attachments.

Everything here is visible to center staff only, except what a case shares with its asker.
A case may hold 要配慮個人情報: its notes are masked in lists and each reading is logged.
"""

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

from consultations.enums import (
    CaseStatus,
    Channel,
    ContactPreference,
    EntryKind,
    OutcomeKind,
    PartyKind,
    PartyRole,
)
from kyodo.localized import LocalizedNameMixin
from kyodo.models import SingletonSettings, StatusEvent


class ConsultationSettings(SingletonSettings):
    """Staff-editable settings of the pillar (one row)."""

    retention_years = models.PositiveSmallIntegerField(
        _("keep closed cases for (years)"), default=5, validators=[MinValueValidator(1)]
    )
    purpose_statement = models.TextField(
        _("purpose of use shown on the online form"),
        default=(
            "ご入力いただいた個人情報は、ご相談への対応と、そのためのご連絡にのみ利用します。"
            "ご本人の同意なく第三者に提供することはありません。"
        ),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consultation settings")
        verbose_name_plural = _("consultation settings")


class Category(LocalizedNameMixin, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)
    is_pre_proposal = models.BooleanField(
        _("prior consultation for a collaboration proposal"),
        default=False,
        help_text=_("Cases of this category count as the prior consultation a proposal requires."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("consultation category")
        verbose_name_plural = _("consultation categories")

    def __str__(self):
        return self.display_name


class Case(models.Model):
    number = models.CharField(_("case number"), max_length=20, unique=True)
    title = models.CharField(pgettext_lazy("consultation", "title"), max_length=200)
    request = models.TextField(_("request in the asker's words"))
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    categories = models.ManyToManyField(Category, verbose_name=_("categories"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CaseStatus.choices,
        default=CaseStatus.RECEIVED,
        db_index=True,
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff in charge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
    )
    is_sensitive = models.BooleanField(
        _("holds special care-required personal information"),
        default=False,
        help_text=_(
            "Sensitive personal information: notes are hidden in lists and every reading is logged."
        ),
    )
    # The asker: a portal user (online, or linked by staff), or a visitor's name and contact.
    asker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("asker's account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    asker_name = models.CharField(_("asker's name"), max_length=100, blank=True)
    asker_email = models.EmailField(_("asker's e-mail"), blank=True)
    asker_phone = models.CharField(_("asker's phone"), max_length=20, blank=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="consultations",
    )
    # Kept when the case is anonymised, for the statistics: a random key shared by the cases of
    # one asker (account, organization or e-mail), so repeat askers still count afterwards.
    asker_key = models.CharField(
        _("asker key"), max_length=32, editable=False, db_index=True, blank=True
    )
    organization_type = models.CharField(_("type of organization"), max_length=30, blank=True)
    preferred_contact = models.CharField(
        _("preferred contact"), max_length=10, choices=ContactPreference.choices, blank=True
    )
    preferred_times = models.CharField(_("preferred times"), max_length=200, blank=True)
    consented_at = models.DateTimeField(_("consent to the purpose of use"), null=True, blank=True)
    opened_on = models.DateField(_("opened on"), default=timezone.localdate, db_index=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True, db_index=True)
    anonymized_at = models.DateTimeField(_("anonymised at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["request"])

    class Meta:
        ordering = ["-opened_on", "-pk"]
        verbose_name = _("consultation case")
        verbose_name_plural = _("consultation cases")
        permissions = [
            ("view_access_log", _("Can see who read consultation notes")),
            ("anonymize_case", _("Can anonymise cases past their retention")),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) | ~Q(status="closed"),
                name="case_closed_has_date",
            )
        ]

    def __str__(self):
        # Shown wherever a case is named (admin lists and logs, pickers, history): masked.
        return f"{self.number} {self.list_title}"

    def get_absolute_url(self):
        return reverse("consultations:case_detail", args=[self.pk])

    @property
    def list_title(self):
        """The title for lists, dashboards and exports: a 要配慮 case's title can say what the
        sensitive matter is, so it is shown on the case's page only."""
        if self.is_sensitive:
            return _("Sensitive case")
        return self.title

    @property
    def asker_display(self) -> str:
        if self.asker_id:
            return str(self.asker)
        return self.asker_name


class CaseEvent(StatusEvent):
    """The history of a case's status (kyodo.workflow writes it)."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("case"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("case status change")
        verbose_name_plural = _("case status changes")

    def __str__(self):
        return f"{self.case}: {self.old_status} → {self.new_status}"


class Party(models.Model):
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="parties",
        verbose_name=_("case"),
    )
    role = models.CharField(_("role"), max_length=10, choices=PartyRole.choices)
    kind = models.CharField(_("kind"), max_length=15, choices=PartyKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("registered organization"),
    )
    name = models.CharField(_("name"), max_length=150, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)

    class Meta:
        ordering = ["role", "pk"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")

    def __str__(self):
        return self.name or str(self.organization)


class Entry(models.Model):
    """One step in a case's timeline; shared entries are what the asker reads."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="entries",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=EntryKind.choices)
    occurred_at = models.DateTimeField(_("when"), default=timezone.now)
    duration_minutes = models.PositiveIntegerField(_("duration (minutes)"), null=True, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("staff"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    notes = models.TextField(pgettext_lazy("consultation", "notes"))
    shared_with_asker = models.BooleanField(_("shared with the asker"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "pk"]
        verbose_name = _("case entry")
        verbose_name_plural = _("case entries")
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="memo", shared_with_asker=True),
                name="entry_internal_memo_never_shared",
            )
        ]

    def __str__(self):
        return f"{self.case.number} {self.get_kind_display()}"


def _attachment_path(instance, filename):
    return f"consultations/{instance.case_id}/{secrets.token_hex(8)}/{filename}"


class Attachment(models.Model):
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("case"),
    )
    entry = models.ForeignKey(
        Entry,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="attachments",
        verbose_name=_("entry"),
    )
    file = models.FileField(_("file"), upload_to=_attachment_path, max_length=300)
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
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.original_name


class FollowUp(models.Model):
    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="follow_ups",
        verbose_name=_("case"),
    )
    description = models.CharField(_("what to do"), max_length=300)
    due_on = models.DateField(_("due on"), db_index=True)
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assignee"),
        on_delete=models.PROTECT,
        related_name="follow_ups",
    )
    done_at = models.DateTimeField(_("done at"), null=True, blank=True)
    # Claimed by the reminder sweep with a conditional update: at most one reminder.
    reminded_at = models.DateTimeField(_("reminded at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")

    def __str__(self):
        return f"{self.due_on:%Y-%m-%d} {self.list_description}"

    @property
    def list_description(self):
        """What to do, for pages and mails that show no notes: a 要配慮 case's follow-up can
        say what the sensitive matter is, so it shows with the notes only."""
        if self.case.is_sensitive:
            return _("A follow-up of a sensitive case")
        return self.description


class Outcome(models.Model):
    """What followed from a case: a registration, a proposal, a booking, another case …"""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="outcomes",
        verbose_name=_("case"),
    )
    kind = models.CharField(_("kind"), max_length=15, choices=OutcomeKind.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("organization"),
    )
    related_case = models.ForeignKey(
        Case,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("related case"),
    )
    reference = models.CharField(
        _("reference"),
        max_length=200,
        blank=True,
        help_text=_("e.g. the proposal's or application's number"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")

    def __str__(self):
        return self.get_kind_display()


class NoteAccess(models.Model):
    """Who read a case's notes, when, and why (a reason is required for sensitive cases)."""

    case = models.ForeignKey(
        Case,
        on_delete=models.CASCADE,
        related_name="note_accesses",
        verbose_name=_("case"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    accessed_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    is_download = models.BooleanField(_("attachment download"), default=False)

    class Meta:
        ordering = ["-accessed_at", "-pk"]
        verbose_name = _("reading of notes")
        verbose_name_plural = _("readings of notes")

    def __str__(self):
        return f"{self.case.number} {self.user} {self.accessed_at:%Y-%m-%d %H:%M}"


class RetentionRun(models.Model):
    """An audit record of each anonymisation of cases past their retention."""

    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("run by"),
    )
    run_at = models.DateTimeField(_("run at"), auto_now_add=True)
    cutoff = models.DateField(_("closed before"))
    case_numbers = models.JSONField(_("cases anonymised"), default=list)

    class Meta:
        ordering = ["-run_at"]
        verbose_name = _("retention run")
        verbose_name_plural = _("retention runs")

    def __str__(self):
        return f"{self.run_at:%Y-%m-%d} ({len(self.case_numbers)})"
