"""The center's own data: its profile, opening hours and closure calendar, the mail log and
generated documents. Everything a ward could change (hours, closures, holiday rules, contact
details) is a row staff edit in the admin, never a constant."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kyodo.localized import LocalizedNameMixin


class Weekday(models.IntegerChoices):
    # Python's date.weekday() numbering, so no conversion is ever needed.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class SingletonSettings(models.Model):
    """One row of settings staff edit in the admin (a data migration creates it); until it
    exists, the model's defaults apply."""

    class Meta:
        abstract = True

    def __str__(self):
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls):
        return cls.objects.first() or cls()


class CenterProfile(LocalizedNameMixin, models.Model):
    """The one row of the center's contact details, shown on pages, letters and receipts.
    The English name and address are what the English interface shows (footer, contact)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    postal_code = models.CharField(
        _("postal code"), max_length=8, validators=[RegexValidator(r"^\d{3}-\d{4}$")]
    )
    address = models.CharField(_("address"), max_length=200)
    address_en = models.CharField(_("address in English"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    fax = models.CharField(_("fax"), max_length=20, blank=True)
    email = models.EmailField(_("e-mail"))
    operator_name = models.CharField(
        _("operator"),
        max_length=100,
        blank=True,
        help_text=_("The organization that runs the center."),
    )
    invoice_registration_number = models.CharField(
        _("invoice registration number"),
        max_length=14,
        blank=True,
        validators=[RegexValidator(r"^T\d{13}$", _("Use T followed by 13 digits."))],
    )
    ward_office = models.CharField(_("ward office in charge"), max_length=100, blank=True)
    access = models.TextField(_("access"), blank=True)
    access_en = models.TextField(_("access in English"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("center profile")
        verbose_name_plural = _("center profile")

    def __str__(self):
        return self.display_name


class OpeningHours(models.Model):
    """Regular hours of the center for one weekday; a closed weekday has no times."""

    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices, unique=True)
    is_closed = models.BooleanField(_("closed all day"), default=False)
    opens = models.TimeField(_("opens"), null=True, blank=True)
    closes = models.TimeField(_("closes"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["weekday"]
        verbose_name = _("opening hours")
        verbose_name_plural = _("opening hours")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_closed=True)
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=models.F("closes")),
                name="openinghours_times_when_open",
                violation_error_message=_(
                    "An open day needs an opening time before its closing time."
                ),
            )
        ]

    def __str__(self):
        if self.is_closed:
            closed = _("closed")
            return f"{self.get_weekday_display()}: {closed}"
        return f"{self.get_weekday_display()}: {self.opens:%H:%M}–{self.closes:%H:%M}"


class AnnualClosure(LocalizedNameMixin, models.Model):
    """A closure that comes back every year, such as 年末年始 (29 Dec – 3 Jan).

    The end may lie before the start in the calendar: the period then wraps over the year end.
    """

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    start_month = models.PositiveSmallIntegerField(
        _("start month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    start_day = models.PositiveSmallIntegerField(
        _("start day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    end_month = models.PositiveSmallIntegerField(
        _("end month"), validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    end_day = models.PositiveSmallIntegerField(
        _("end day"), validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["start_month", "start_day"]
        verbose_name = _("annual closure")
        verbose_name_plural = _("annual closures")

    def __str__(self):
        return (
            f"{self.display_name} "
            f"({self.start_month}/{self.start_day}–{self.end_month}/{self.end_day})"
        )


class HolidayRule(models.Model):
    """Whether the center opens on one named public holiday (names as the holiday library
    gives them in Japanese, e.g. 元日). Holidays without a rule follow the weekday's hours."""

    holiday_name = models.CharField(_("holiday"), max_length=100, unique=True)
    is_open = models.BooleanField(_("center opens"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["holiday_name"]
        verbose_name = _("holiday rule")
        verbose_name_plural = _("holiday rules")

    def __str__(self):
        return self.holiday_name


class Closure(models.Model):
    """An ad-hoc closure (臨時休館), or shortened hours on a day when opens/closes are given."""

    date = models.DateField(_("date"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)
    opens = models.TimeField(_("opens instead"), null=True, blank=True)
    closes = models.TimeField(_("closes instead"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date"]
        verbose_name = pgettext_lazy("center", "ad-hoc closure")
        verbose_name_plural = pgettext_lazy("center", "ad-hoc closures")
        constraints = [
            models.CheckConstraint(
                condition=Q(opens__isnull=True, closes__isnull=True)
                | Q(opens__isnull=False, closes__isnull=False, opens__lt=models.F("closes")),
                name="closure_both_times_or_none",
                violation_error_message=_(
                    "Give both changed times (opening before closing) or none for a full closure."
                ),
            )
        ]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.reason}"

    @property
    def is_full_day(self):
        return self.opens is None


class SentMail(models.Model):
    """What the portal told whom: one row per e-mail, written by kyodo.mail."""

    class Status(models.TextChoices):
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")

    to = models.CharField(pgettext_lazy("recipient", "to"), max_length=254, db_index=True)
    subject = models.CharField(_("subject"), max_length=300)
    purpose = models.CharField(_("what for"), max_length=100, db_index=True)
    language = models.CharField(_("language"), max_length=10)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    error = models.TextField(_("error"), blank=True)
    sent_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("sent e-mail")
        verbose_name_plural = _("sent e-mails")

    def __str__(self):
        return f"{self.to}: {self.subject}"


class OutboxMail(models.Model):
    """A mail the portal has to send: the outbox (kyodo.mail.mail_enqueue).

    Written in the transaction of the change it reports, already rendered in the recipient's
    language, so a rolled-back change sends nothing and a committed one is never forgotten. A
    worker claims the row with a lease (claimed_at), sends, and only then marks it sent; a
    failed send gives the claim back and is tried again later; the beat sweep queues rows whose
    task was lost (broker down) or whose worker died (lease expired). Each attempt's outcome is
    also logged in SentMail."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("given up")

    to = models.CharField(pgettext_lazy("recipient", "to"), max_length=254, db_index=True)
    purpose = models.CharField(_("what for"), max_length=100, db_index=True)
    language = models.CharField(_("language"), max_length=10)
    subject = models.CharField(_("subject"), max_length=300)
    text_body = models.TextField(_("text"))
    html_body = models.TextField(_("HTML"), blank=True)
    # Extra headers of this one mail (a newsletter's List-Unsubscribe), set by mail_enqueue.
    headers = models.JSONField(_("extra headers"), default=dict, blank=True)
    # A generated document sent with the mail; the worker waits for it to be rendered.
    attachment = models.ForeignKey(
        "GeneratedDocument",
        verbose_name=_("attached document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("queued at"), auto_now_add=True, db_index=True)
    queued_at = models.DateTimeField(_("task published at"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("outgoing e-mail")
        verbose_name_plural = _("outgoing e-mails")
        indexes = [
            models.Index(
                fields=["status", "created_at"],
                name="outbox_pending_idx",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self):
        return f"{self.to}: {self.subject}"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("being prepared")
    READY = "ready", _("ready")
    FAILED = "failed", _("failed")


class GeneratedDocument(models.Model):
    """A PDF made in the background from a template; the file is stored when it is ready.

    ``kind`` names what it is (e.g. ``guide``); a page asks for the latest ready one of a kind.
    """

    kind = models.CharField(_("kind"), max_length=50, db_index=True)
    template_name = models.CharField(_("template"), max_length=200)
    filename = models.CharField(_("file name"), max_length=200)
    language = models.CharField(_("language"), max_length=10, default="ja")
    status = models.CharField(
        _("status"), max_length=10, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The lease of the worker rendering it (see OutboxMail): the sweep re-queues a pending
    # document whose lease expired or that was never claimed.
    claimed_at = models.DateTimeField(_("claimed at"), null=True, blank=True)
    queued_at = models.DateTimeField(_("task published at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # A fingerprint of the data the document shows (kyodo.documents.guide_digest for the
    # guide): a ready document whose fingerprint differs from today's is out of date.
    source_digest = models.CharField(
        _("fingerprint of the data shown"), max_length=64, blank=True, default="", editable=False
    )

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("generated document")
        verbose_name_plural = _("generated documents")
        indexes = [models.Index(fields=["kind", "language", "status", "-created_at"])]

    def __str__(self):
        return f"{self.filename} ({self.get_status_display()})"


class StatusEvent(models.Model):
    """The history row kyodo.workflow.transition writes for every status move: from, to,
    who, when, why. Each workflow's history model adds the foreign key to its object."""

    old_status = models.CharField(pgettext_lazy("status", "from"), max_length=20, blank=True)
    new_status = models.CharField(pgettext_lazy("status", "to"), max_length=20)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(pgettext_lazy("time", "at"), auto_now_add=True)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        abstract = True
        ordering = ["changed_at", "pk"]

    def __str__(self):
        return f"{self.old_status} → {self.new_status}"


class DocumentEvent(StatusEvent):
    """History of a generated document's status: who asked, when it failed and why."""

    document = models.ForeignKey(
        GeneratedDocument,
        verbose_name=_("generated document"),
        on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("document event")
        verbose_name_plural = _("document events")
