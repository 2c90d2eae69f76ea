"""社会貢献活動事業補助金: the programme of each 年度 (its figures, cost categories, schedule and
forms) and the organizations' applications with their 収支予算書, files and frozen versions."""

import datetime as dt
import secrets
from fractions import Fraction

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kyodo.dates import fiscal_year_label, fiscal_year_range
from kyodo.localized import LocalizedNameMixin
from kyodo.models import StatusEvent
from kyodo.uploads import validate_document
from subsidies.enums import (
    DEFAULT_CAP,
    DEFAULT_MAX_CONSECUTIVE_YEARS,
    DEFAULT_RATE,
    DEFAULT_REPORT_DUE_DAYS,
    DEFAULT_ROUNDING_UNIT,
    ApplicationStatus,
    Outcome,
)
from subsidies.money import Terms


def validate_new_upload(value):
    """The upload limits for a file just uploaded (in the admin too); a stored file is not
    read again on every save."""
    if getattr(value, "_committed", True):
        return
    validate_document(value)


def _file_path(instance, filename):
    # A random folder: the path gives nothing away; files are served only by views that check.
    return f"subsidies/{secrets.token_hex(10)}/{filename}"


class Programme(LocalizedNameMixin, models.Model):
    """The subsidy of one 年度: who may apply when, the figures of the arithmetic, the schedule
    and the report's due rule. Everything here is data staff edit each year."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year of the projects"),
        unique=True,
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    title = models.CharField(pgettext_lazy("programme", "title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    guide_text = models.TextField(
        _("guide"),
        blank=True,
        help_text=_("Shown on the public page: who may apply, how, and what happens when."),
    )
    guide_file = models.FileField(
        _("guide file"),
        upload_to=_file_path,
        blank=True,
        max_length=300,
        validators=[validate_new_upload],
    )
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Show the programme, its guide, figures and forms on the public page."),
    )
    applications_open_on = models.DateField(_("applications open on"))
    application_deadline = models.DateField(
        _("application deadline"),
        help_text=_("Applications are accepted until 23:59:59 of this day, Tokyo time."),
    )
    rate_numerator = models.PositiveSmallIntegerField(
        _("subsidy rate: numerator"), default=DEFAULT_RATE[0], validators=[MinValueValidator(1)]
    )
    rate_denominator = models.PositiveSmallIntegerField(
        _("subsidy rate: denominator"),
        default=DEFAULT_RATE[1],
        validators=[MinValueValidator(1)],
    )
    cap = models.PositiveIntegerField(_("maximum amount (yen)"), default=DEFAULT_CAP)
    rounding_unit = models.PositiveIntegerField(
        _("rounded down to (yen)"), default=DEFAULT_ROUNDING_UNIT, validators=[MinValueValidator(1)]
    )
    max_consecutive_years = models.PositiveSmallIntegerField(
        _("consecutive years a group may be subsidised"),
        default=DEFAULT_MAX_CONSECUTIVE_YEARS,
        validators=[MinValueValidator(1)],
        help_text=_("A group subsidised in this many consecutive years just before may not apply."),
    )
    criteria_text = models.TextField(_("review criteria"), blank=True)
    document_review_on = models.DateField(_("document review around"), null=True, blank=True)
    presentation_on = models.DateField(_("presentation on"), null=True, blank=True)
    decision_on = models.DateField(_("grant decision around"), null=True, blank=True)
    report_due_days = models.PositiveSmallIntegerField(
        _("report due (days after the project ends)"), default=DEFAULT_REPORT_DUE_DAYS
    )
    report_due_latest = models.DateField(
        _("report due at the latest"),
        null=True,
        blank=True,
        help_text=_("No report is due later than this day, whenever the project ends."),
    )
    advance_payment_allowed = models.BooleanField(_("advance payment allowed"), default=False)
    decisions_released_at = models.DateTimeField(_("decisions released at"), null=True, blank=True)
    decisions_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decisions released by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("subsidy programme")
        verbose_name_plural = _("subsidy programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_open_on__lte=models.F("application_deadline")),
                name="programme_opens_before_deadline",
            ),
            models.CheckConstraint(
                condition=Q(rate_numerator__gte=1)
                & Q(rate_numerator__lte=models.F("rate_denominator")),
                name="programme_rate_at_most_one",
            ),
            models.CheckConstraint(
                condition=Q(rounding_unit__gte=1), name="programme_rounding_unit_positive"
            ),
        ]

    localized_field = "title"

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("subsidies:programme", args=[self.pk])

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def decisions_released(self) -> bool:
        return self.decisions_released_at is not None

    @property
    def project_period(self) -> tuple[dt.date, dt.date]:
        return fiscal_year_range(self.fiscal_year)

    @property
    def rate(self) -> Fraction:
        return Fraction(self.rate_numerator, self.rate_denominator)

    @property
    def terms(self) -> Terms:
        return Terms(rate=self.rate, cap=self.cap, unit=self.rounding_unit)

    def report_due_for(self, ends_on: dt.date) -> dt.date:
        """The 実績報告 is due a number of days after the project ends, and no later than the
        programme's latest date."""
        due = ends_on + dt.timedelta(days=self.report_due_days)
        if self.report_due_latest is not None:
            due = min(due, self.report_due_latest)
        return due


class CostCategory(LocalizedNameMixin, models.Model):
    """A cost category of the programme's 収支予算書: eligible or not, with a cap per unit
    (講師謝礼: at most ¥30,000 per person)."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="categories",
        verbose_name=_("subsidy programme"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    description = models.TextField(_("what it covers"), blank=True)
    description_en = models.TextField(_("what it covers, in English"), blank=True)
    eligible = models.BooleanField(_("eligible for the subsidy"), default=True)
    unit_cap = models.PositiveIntegerField(
        _("cap per unit (yen)"),
        null=True,
        blank=True,
        help_text=_("A unit price above this counts only up to it, e.g. per lecturer."),
    )
    unit_label = models.CharField(
        _("unit of the cap"), max_length=30, blank=True, help_text=_("For example: per person.")
    )
    unit_label_en = models.CharField(_("unit of the cap, in English"), max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("cost category")
        verbose_name_plural = _("cost categories")
        constraints = [
            models.UniqueConstraint(fields=["programme", "name"], name="cost_category_name_unique")
        ]

    def __str__(self):
        return self.display_name


class ProgrammeForm(LocalizedNameMixin, models.Model):
    """A form (様式) groups download from the public page: 交付申請書, 収支予算書 …"""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        related_name="forms",
        verbose_name=_("subsidy programme"),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(pgettext_lazy("form", "title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    file = models.FileField(
        _("file"), upload_to=_file_path, max_length=300, validators=[validate_new_upload]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "order", "pk"]
        verbose_name = _("programme form")
        verbose_name_plural = _("programme forms")

    localized_field = "title"

    def __str__(self):
        return self.display_name


class Application(models.Model):
    """An organization's application to a programme (交付申請書 with 事業計画書 and 収支予算書).
    The managers edit it while it is a draft; submitting freezes an ApplicationVersion."""

    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("subsidy programme"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="subsidy_applications",
        verbose_name=_("organization"),
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    title = models.CharField(_("project title"), max_length=200)
    purpose = models.TextField(_("purpose of the project"), blank=True)
    need = models.TextField(_("the local need"), blank=True)
    content = models.TextField(_("content of the project"), blank=True)
    schedule = models.TextField(_("schedule"), blank=True)
    place = models.CharField(_("where in the ward"), max_length=200, blank=True)
    starts_on = models.DateField(_("project starts on"), null=True, blank=True)
    ends_on = models.DateField(_("project ends on"), null=True, blank=True)
    effects = models.TextField(_("expected effects"), blank=True)
    indicators = models.TextField(_("indicators"), blank=True)
    other_income = models.PositiveIntegerField(
        _("other income (yen)"),
        default=0,
        help_text=_("Participation fees, donations, other grants: what the project brings in."),
    )
    responsible_person = models.CharField(_("person responsible"), max_length=100, blank=True)
    contact_person = models.CharField(_("contact person"), max_length=100, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    consultation_case = models.ForeignKey(
        "consultations.Case",
        verbose_name=_("prior consultation case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    declarations = models.JSONField(_("declared conditions"), default=list, blank=True)
    declared_at = models.DateTimeField(_("declared at"), null=True, blank=True)
    requested_amount = models.PositiveIntegerField(
        _("requested amount (yen)"),
        null=True,
        blank=True,
        help_text=_("Computed from the budget and the programme's figures when submitted."),
    )
    submitted_version = models.ForeignKey(
        "ApplicationVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["programme", "number", "pk"]
        verbose_name = _("subsidy application")
        verbose_name_plural = _("subsidy applications")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "number"],
                condition=Q(number__isnull=False),
                name="subsidy_application_number_unique",
            ),
            # One application per organization and programme, unless withdrawn.
            models.UniqueConstraint(
                fields=["programme", "organization"],
                condition=~Q(status__in=["withdrawn", "not_granted"]),
                name="subsidy_application_one_per_programme",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=models.F("ends_on")),
                name="subsidy_application_period_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("subsidies:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """S2027-003: the 年度 of the programme and the number given when first submitted."""
        if self.number is None:
            return str(_("(draft)"))
        return f"S{self.programme.fiscal_year}-{self.number:03d}"


class BudgetLine(models.Model):
    """A line of the 収支予算書: category, item, quantity × unit price."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("subsidy application"),
    )
    category = models.ForeignKey(
        CostCategory,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=pgettext_lazy("budget", "category"),
    )
    item = models.CharField(_("item"), max_length=200)
    quantity = models.PositiveIntegerField(_("quantity"), validators=[MinValueValidator(1)])
    unit_price = models.PositiveIntegerField(_("unit price (yen)"))
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["application", "order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1), name="subsidy_line_quantity")
        ]

    def __str__(self):
        return f"{self.item}: {self.quantity} × {self.unit_price}"

    @property
    def total(self) -> int:
        return self.quantity * self.unit_price


class ApplicationAttachment(models.Model):
    """A file attached to an application. One that belongs to a submitted version is never
    deleted, only marked removed, so the frozen version keeps its files."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("subsidy application"),
    )
    title = models.CharField(pgettext_lazy("attachment", "title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_file_path, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["application", "uploaded_at", "pk"]
        verbose_name = _("application file")
        verbose_name_plural = _("application files")

    def __str__(self):
        return self.title


class ApplicationVersion(models.Model):
    """The application as submitted, frozen: its text, budget, amounts and files."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("subsidy application"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField(_("content"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["application", "number"]
        verbose_name = _("submitted application version")
        verbose_name_plural = _("submitted application versions")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "number"], name="subsidy_version_number_unique"
            )
        ]

    def __str__(self):
        return f"{self.application} v{self.number}"


class ApplicationEvent(StatusEvent):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("subsidy application"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("application event")
        verbose_name_plural = _("application events")


class Decision(models.Model):
    """Staff's decision on a submitted application: 交付 with the amount (at most the requested
    amount, a multiple of the rounding unit) and conditions, or 不交付 with the reasons. Prepared
    until the programme's decisions are released, once; then it is the 交付決定 and its letter."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="decision",
        verbose_name=_("subsidy application"),
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    amount = models.PositiveIntegerField(_("granted amount (yen)"), null=True, blank=True)
    conditions = models.TextField(_("conditions of the grant"), blank=True)
    reasons = models.TextField(_("reasons"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    letter = models.ForeignKey(
        "kyodo.GeneratedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decision letter"),
    )
    notified_at = models.DateTimeField(_("organization notified at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("grant decision")
        verbose_name_plural = _("grant decisions")
        constraints = [
            models.CheckConstraint(
                condition=Q(outcome="granted", amount__gt=0)
                | Q(outcome="not_granted", amount__isnull=True),
                name="subsidy_decision_amount_matches_outcome",
            )
        ]

    def __str__(self):
        return f"{self.application}: {self.get_outcome_display()}"

    @property
    def is_grant(self) -> bool:
        return self.outcome == Outcome.GRANTED


class AdvancePayment(models.Model):
    """概算払: part of the granted amount paid before the 額の確定, where the programme allows
    it. The group asks once; staff record the payment once."""

    application = models.OneToOneField(
        Application,
        on_delete=models.CASCADE,
        related_name="advance",
        verbose_name=_("subsidy application"),
    )
    amount = models.PositiveIntegerField(_("amount (yen)"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    paid_on = models.DateField(_("paid on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("payment recorded by"),
    )
    recorded_at = models.DateTimeField(_("payment recorded at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("advance payment")
        verbose_name_plural = _("advance payments")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="subsidy_advance_positive")
        ]

    def __str__(self):
        return f"{self.application}: {self.amount}"
