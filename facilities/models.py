"""施設予約: resources (rooms, equipment, printers), their hours, slots, prices and rules,
and bookings that never overlap."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from facilities.enums import BookingMode, BookingStatus, FeeUnit, ResourceKind
from kyodo.localized import LocalizedNameMixin
from kyodo.models import SingletonSettings, StatusEvent, Weekday
from kyodo.money import yen


class BookingPolicy(SingletonSettings):
    """The booking rules as data (one row; defaults from DOMAIN.md)."""

    window_months = models.PositiveSmallIntegerField(
        _("bookable months ahead"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("Booking for a month opens on the given day, this many months before."),
    )
    window_opens_day = models.PositiveSmallIntegerField(
        _("day of the month booking opens"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(28)],
    )
    max_per_month = models.PositiveSmallIntegerField(
        _("bookings per organization and month"), default=8
    )
    max_per_day = models.PositiveSmallIntegerField(
        _("bookings per organization and day"), default=2
    )
    cancel_days_before = models.PositiveSmallIntegerField(
        _("cancel until (days before)"),
        default=1,
        help_text=_("1: until the end of the previous day."),
    )
    no_show_limit = models.PositiveSmallIntegerField(
        _("no-shows before booking is suspended"), default=3
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("booking rules")
        verbose_name_plural = _("booking rules")


class Resource(LocalizedNameMixin, models.Model):
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ResourceKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("part of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="parts",
        help_text=_(
            "A part of a divisible room: booking the whole blocks the parts and "
            "a part blocks the whole."
        ),
    )
    capacity = models.PositiveIntegerField(_("capacity"), default=0)
    photo = models.ImageField(_("photo"), upload_to="resources/", blank=True)
    description = models.TextField(_("description"), blank=True)
    rules_text = models.TextField(_("rules of use"), blank=True)
    bookable_online = models.BooleanField(_("bookable online"), default=True)
    needs_approval = models.BooleanField(_("bookings need staff approval"), default=False)
    mode = models.CharField(
        _("booking by"), max_length=10, choices=BookingMode.choices, default=BookingMode.SLOTS
    )
    grid_minutes = models.PositiveSmallIntegerField(
        _("grid (minutes)"), default=30, validators=[MinValueValidator(5)]
    )
    buffer_minutes = models.PositiveSmallIntegerField(
        _("buffer between bookings (minutes)"), default=0
    )
    min_minutes = models.PositiveSmallIntegerField(_("shortest booking (minutes)"), default=30)
    max_minutes = models.PositiveSmallIntegerField(_("longest booking (minutes)"), default=720)
    price_per_master = models.PositiveIntegerField(
        _("printer: price per master (yen)"),
        default=0,
        help_text=_("A master is one stencil made for printing."),
    )
    price_per_sheet = models.PositiveIntegerField(_("printer: price per sheet (yen)"), default=0)
    follows_room_hours = models.BooleanField(
        _("equipment: follows the room's hours"),
        default=True,
        help_text=_(
            "Equipment booked together with a room may be used whenever the room is booked "
            "(the room's hours, slots and length). Untick to hold it to its own hours."
        ),
    )
    is_active = models.BooleanField(_("in use"), default=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("resource")
        verbose_name_plural = _("resources")

    def __str__(self):
        return self.display_name


class ResourceHours(models.Model):
    """Bookable hours per weekday; the center's closure calendar closes days on top."""

    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="hours",
        verbose_name=_("resource"),
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    opens = models.TimeField(_("from"))
    closes = models.TimeField(_("until"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["resource", "weekday"]
        verbose_name = _("bookable hours")
        verbose_name_plural = _("bookable hours")
        constraints = [
            models.UniqueConstraint(fields=["resource", "weekday"], name="hours_once_per_day"),
            models.CheckConstraint(condition=Q(opens__lt=F("closes")), name="hours_in_order"),
        ]

    def __str__(self):
        return (
            f"{self.resource} {self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"
        )


class TimeSlot(LocalizedNameMixin, models.Model):
    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="slots",
        verbose_name=_("resource"),
    )
    name = models.CharField(_("name"), max_length=30)  # 午前, 午後, 夜間, 全日
    name_en = models.CharField(_("name in English"), max_length=30, blank=True)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["resource", "order", "starts"]
        verbose_name = _("time slot")
        verbose_name_plural = _("time slots")
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=F("ends")), name="slot_in_order")
        ]

    def __str__(self):
        return f"{self.display_name} {self.starts:%H:%M}–{self.ends:%H:%M}"


class Price(models.Model):
    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="prices",
        verbose_name=_("resource"),
    )
    unit = models.CharField(_("unit"), max_length=10, choices=FeeUnit.choices)
    slot = models.ForeignKey(
        TimeSlot,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="prices",
        verbose_name=_("slot"),
    )
    amount = models.PositiveIntegerField(_("amount (yen, tax included)"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("price")
        verbose_name_plural = _("prices")

    def __str__(self):
        return f"{self.resource} {yen(self.amount)} {self.get_unit_display()}"


class Discount(LocalizedNameMixin, models.Model):
    """減免: who pays less (e.g. registered organizations free or at a discount)."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    percent_off = models.PositiveSmallIntegerField(
        _("percent off"), validators=[MaxValueValidator(100)]
    )
    for_registered = models.BooleanField(_("for registered organizations"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("fee reduction")
        verbose_name_plural = _("fee reductions")

    def __str__(self):
        return f"{self.display_name} ({self.percent_off}%)"


class Series(models.Model):
    """A recurring booking made as one: 毎週 or 毎月第N曜日 until a date."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="booking_series",
        verbose_name=_("organization"),
    )
    resource = models.ForeignKey(
        Resource,
        on_delete=models.PROTECT,
        related_name="series",
        verbose_name=_("resource"),
    )
    description = models.CharField(_("rule"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # One 利用承認書 covering every date booked at once (instead of one letter per date).
    approval_letter = models.OneToOneField(
        "kyodo.GeneratedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approval letter"),
    )
    # Claimed before the series' confirmation mail goes out: a redelivered task sends nothing.
    confirmation_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("booking series")
        verbose_name_plural = _("booking series")

    def __str__(self):
        return f"{self.resource}: {self.description}"


class Booking(models.Model):
    resource = models.ForeignKey(
        Resource,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("resource"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bookings",
        verbose_name=_("organization"),
    )
    # A staff block (maintenance, ward use) has no organization.
    is_block = models.BooleanField(_("blocked by staff"), default=False)
    start = models.DateTimeField(_("start"), db_index=True)
    end = models.DateTimeField(_("end"))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=BookingStatus.choices,
        default=BookingStatus.CONFIRMED,
        db_index=True,
    )
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = models.PositiveIntegerField(_("expected attendees"), default=0)
    series = models.ForeignKey(
        Series,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="bookings",
        verbose_name=_("booking series"),
    )
    # Equipment booked to go with a room is its own booking pointing at the room's.
    with_booking = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="equipment",
        verbose_name=_("goes with the booking"),
    )
    approval_letter = models.OneToOneField(
        "kyodo.GeneratedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("approval letter"),
    )
    list_price = models.PositiveIntegerField(_("price before reduction"), default=0)
    charged = models.PositiveIntegerField(_("charged"), default=0)
    discount_name = models.CharField(_("reduction"), max_length=100, blank=True)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booked by"),
    )
    reminded_at = models.DateTimeField(_("reminder sent at"), null=True, blank=True)
    # Claimed before the confirmation mail goes out: a redelivered task sends nothing more.
    confirmation_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["start", "pk"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="booking_in_order"),
            models.CheckConstraint(
                condition=Q(is_block=True) | Q(organization__isnull=False),
                name="booking_has_organization_unless_block",
            ),
            # The exclusion constraint against overlaps is PostgreSQL-only: it is added by
            # migration 0002 (a no-op on SQLite), not here, so SQLite validation still works.
        ]

    def __str__(self):
        return f"{self.resource} {self.start:%Y-%m-%d %H:%M}"


class BookingEvent(StatusEvent):
    booking = models.ForeignKey(
        Booking,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("booking"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("booking status change")
        verbose_name_plural = _("booking status changes")

    def __str__(self):
        return f"{self.booking}: {self.old_status} → {self.new_status}"


class WaitlistStatus(models.TextChoices):
    WAITING = "waiting", pgettext_lazy("waitlist", "Waiting")
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Accepted")
    EXPIRED = "expired", _("Offer expired")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class WaitlistEntry(models.Model):
    """キャンセル待ち for a taken time; first come, first offered."""

    resource = models.ForeignKey(
        Resource,
        on_delete=models.CASCADE,
        related_name="waitlist",
        verbose_name=_("resource"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="waitlist_entries",
        verbose_name=_("organization"),
    )
    start = models.DateTimeField(_("start"))
    end = models.DateTimeField(_("end"))
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = models.PositiveIntegerField(_("expected attendees"), default=0)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=WaitlistStatus.choices,
        default=WaitlistStatus.WAITING,
        db_index=True,
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    booking = models.OneToOneField(
        Booking,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("booking"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("waitlist entry")
        verbose_name_plural = _("waitlist entries")
        constraints = [
            models.UniqueConstraint(
                fields=["resource", "organization", "start", "end"],
                condition=Q(status__in=["waiting", "offered"]),
                name="waitlist_once_per_time",
            )
        ]

    def __str__(self):
        return f"{self.organization} → {self.resource} {self.start:%Y-%m-%d %H:%M}"


class PrinterUsage(models.Model):
    """Printer use recorded after the fact: masters (製版) and sheets, priced per resource."""

    resource = models.ForeignKey(
        Resource,
        on_delete=models.PROTECT,
        related_name="usages",
        verbose_name=_("resource"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="printer_usages",
        verbose_name=_("organization"),
    )
    used_on = models.DateField(_("used on"), db_index=True)
    masters = models.PositiveIntegerField(_("masters"), default=0)
    sheets = models.PositiveIntegerField(_("sheets"), default=0)
    amount = models.PositiveIntegerField(_("amount (yen, tax included)"), default=0)
    booking = models.ForeignKey(
        Booking,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="printer_usages",
        verbose_name=_("booking"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-used_on", "-pk"]
        verbose_name = _("printer use")
        verbose_name_plural = _("printer uses")

    def __str__(self):
        return f"{self.organization} {self.used_on:%Y-%m-%d} {self.masters}/{self.sheets}"


class Receipt(models.Model):
    """領収書: numbered once; the PDF is made from these fields."""

    number = models.CharField(_("receipt number"), max_length=20, unique=True)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("organization"),
    )
    booking = models.ForeignKey(
        Booking,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("booking"),
    )
    printer_usage = models.ForeignKey(
        PrinterUsage,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="receipts",
        verbose_name=_("printer use"),
    )
    description = models.CharField(_("for"), max_length=200)
    proviso = models.CharField(_("proviso"), max_length=200)
    amount = models.PositiveIntegerField(_("amount (tax included)"))
    tax_rate = models.PositiveSmallIntegerField(_("tax rate (%)"), default=10)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    document = models.OneToOneField(
        "kyodo.GeneratedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PDF document"),
    )

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        constraints = [
            models.UniqueConstraint(
                fields=["booking"],
                condition=Q(booking__isnull=False),
                name="receipt_once_per_booking",
            ),
            models.UniqueConstraint(
                fields=["printer_usage"],
                condition=Q(printer_usage__isnull=False),
                name="receipt_once_per_printer_use",
            ),
        ]

    def __str__(self):
        return self.number


class MonthlyStatement(models.Model):
    """The monthly usage statement of an organization (PDF)."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="usage_statements",
        verbose_name=_("organization"),
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("issued by"),
    )
    document = models.OneToOneField(
        "kyodo.GeneratedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("PDF document"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-month"]
        verbose_name = _("monthly usage statement")
        verbose_name_plural = _("monthly usage statements")
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "month"], name="statement_once_per_month"
            )
        ]

    def __str__(self):
        return f"{self.organization} {self.month:%Y-%m}"


class CalendarFeed(models.Model):
    """A private iCal feed of an organization's bookings, at a secret, revocable URL."""

    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        related_name="calendar_feeds",
        verbose_name=_("organization"),
    )
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("revoked by"),
    )

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self):
        return f"{self.organization} ({'revoked' if self.revoked_at else 'active'})"
