"""講座・交流イベント・見本市: the catalogue. An event (a course is one event with N sessions:
people apply once for the whole course) and its sessions, each in a room of the center (held
through facilities.holds, so no group can book it meanwhile) or at an outside address."""

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from events.enums import ACTIVE, ApplicationStatus, EventKind, Organizer
from kyodo.localized import LocalizedNameMixin, localized
from kyodo.models import StatusEvent
from kyodo.questions import AbstractAnswer, AbstractQuestion


class Event(LocalizedNameMixin, models.Model):
    localized_field = "title"

    kind = models.CharField(_("kind"), max_length=12, choices=EventKind.choices, db_index=True)
    title = models.CharField(pgettext_lazy("event", "title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    title_kana = models.CharField(
        _("title in katakana"),
        max_length=200,
        blank=True,
        help_text=_("For the open data set (イベント名_カナ)."),
    )
    description = models.TextField(_("description"))
    audience = models.CharField(_("who it is for"), max_length=200, blank=True)
    fee = models.PositiveIntegerField(
        _("fee (yen, tax included)"), default=0, help_text=_("0: free of charge.")
    )
    fee_note = models.CharField(_("about the fee"), max_length=200, blank=True)
    capacity = models.PositiveIntegerField(_("seats"), validators=[MinValueValidator(1)])
    organizer = models.CharField(
        _("organizer"), max_length=12, choices=Organizer.choices, default=Organizer.CENTER
    )
    cohost_organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cohosted_events",
        verbose_name=_("co-hosting group"),
    )
    cohost_department = models.CharField(
        _("co-hosting ward department"), max_length=100, blank=True
    )
    applications_open = models.DateTimeField(_("applications open"))
    applications_close = models.DateTimeField(_("applications close"))
    needs_approval = models.BooleanField(_("applications need staff approval"), default=False)
    cancel_days_before = models.PositiveSmallIntegerField(
        _("applicants cancel until (days before)"),
        default=1,
        help_text=_("Days before the first session; 1: until the end of the previous day."),
    )
    offer_hours = models.PositiveSmallIntegerField(
        _("a waitlist offer holds the seats for (hours)"),
        default=48,
        validators=[MinValueValidator(1)],
    )
    is_published = models.BooleanField(_("published"), default=False, db_index=True)
    # Kept as columns so that lists and calendars order and filter without a subquery; the
    # services set them whenever a session is added, moved or cancelled.
    first_day = models.DateField(_("first day"), null=True, blank=True, db_index=True)
    last_day = models.DateField(_("last day"), null=True, blank=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["first_day", "pk"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(applications_open__lt=F("applications_close")),
                name="event_application_window_in_order",
            ),
            models.CheckConstraint(
                condition=(
                    Q(organizer="center", cohost_organization__isnull=True, cohost_department="")
                    | Q(organizer="organization", cohost_organization__isnull=False)
                    | Q(organizer="ward", cohost_organization__isnull=True)
                    & ~Q(cohost_department="")
                ),
                name="event_cohost_matches_organizer",
            ),
        ]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("events:event_detail", args=[self.pk])

    @property
    def is_free(self) -> bool:
        return self.fee == 0

    @property
    def organizer_name(self) -> str:
        """Who runs it, as the catalogue names it: the center, or the center with the co-host."""
        if self.organizer == Organizer.ORGANIZATION and self.cohost_organization is not None:
            return localized(self.cohost_organization)
        if self.organizer == Organizer.WARD:
            return self.cohost_department
        return ""

    @property
    def seats_remaining(self) -> int | None:
        """Seats left, where the selector annotated ``seats_taken`` (None elsewhere)."""
        if not hasattr(self, "seats_taken"):
            return None
        return max(self.capacity - (self.seats_taken or 0), 0)

    def applications_are_open(self, now=None) -> bool:
        now = now or timezone.now()
        return self.applications_open <= now < self.applications_close


class Session(models.Model):
    """One date of an event. In a room of the center it holds the room (``room_hold``, a
    blocking facilities Booking); elsewhere it names the place and its address."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    date = models.DateField(_("date"), db_index=True)
    starts = models.TimeField(_("starts"))
    ends = models.TimeField(_("ends"))
    resource = models.ForeignKey(
        "facilities.Resource",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("room of the center"),
    )
    place = models.CharField(_("outside place"), max_length=200, blank=True)
    place_en = models.CharField(_("outside place in English"), max_length=200, blank=True)
    address = models.CharField(_("address of the outside place"), max_length=200, blank=True)
    room_hold = models.OneToOneField(
        "facilities.Booking",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("room held"),
    )
    is_cancelled = models.BooleanField(pgettext_lazy("session", "cancelled"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["date", "starts", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.CheckConstraint(condition=Q(starts__lt=F("ends")), name="session_in_order"),
            models.CheckConstraint(
                condition=Q(resource__isnull=False) | ~Q(place=""),
                name="session_has_a_place",
            ),
        ]

    def __str__(self):
        return f"{self.event} {self.date:%Y-%m-%d} {self.starts:%H:%M}"

    @property
    def start(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.starts))

    @property
    def end(self) -> dt.datetime:
        return timezone.make_aware(dt.datetime.combine(self.date, self.ends))

    @property
    def place_name(self) -> str:
        if self.resource_id:
            return self.resource.display_name
        return localized(self, "place")


class Question(AbstractQuestion):
    """A question staff ask everyone who applies for the event (kyodo.questions)."""

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="questions", verbose_name=_("event")
    )
    history = HistoricalRecords()

    class Meta(AbstractQuestion.Meta):
        verbose_name = _("application question")
        verbose_name_plural = _("application questions")


class Application(models.Model):
    """申込: a person (signed in, or a visitor with name, フリガナ, e-mail and phone) for one
    seat, or a group's manager for N seats of the group, for the whole event (every session of
    a course). The seats of pending, confirmed and offered applications never add up to more
    than the event's capacity (events.services, under a lock of the event's row)."""

    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, related_name="applications", verbose_name=_("event")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="event_applications",
        verbose_name=_("account"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="event_applications",
        verbose_name=_("organization"),
    )
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("name in katakana"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    seats = models.PositiveSmallIntegerField(
        _("seats"), default=1, validators=[MinValueValidator(1)]
    )
    status = models.CharField(
        _("status"), max_length=12, choices=ApplicationStatus.choices, db_index=True
    )
    # The key of the applicant's own page (a visitor has no account): sent by e-mail only.
    token = models.CharField(_("token"), max_length=64, unique=True, editable=False)
    consent_at = models.DateTimeField(_("consented at"))
    offered_at = models.DateTimeField(_("offered at"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("offer valid until"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied at"), auto_now_add=True, db_index=True)
    # Set by the retention run (events.applications.applications_forget) a year after the event.
    forgotten_at = models.DateTimeField(_("personal data deleted at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email"],
                condition=Q(organization__isnull=True, status__in=[s.value for s in ACTIVE]),
                name="event_application_once_per_person",
            ),
            models.UniqueConstraint(
                fields=["event", "organization"],
                condition=Q(organization__isnull=False, status__in=[s.value for s in ACTIVE]),
                name="event_application_once_per_group",
            ),
        ]

    def __str__(self):
        return f"{self.event} — {self.applicant_name}"

    def get_absolute_url(self):
        return reverse("events:application", args=[self.token])

    @property
    def applicant_name(self) -> str:
        if self.organization_id:
            return localized(self.organization)
        return self.name


class ApplicationEvent(StatusEvent):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("application"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")

    def __str__(self):
        return f"{self.application}: {self.old_status} → {self.new_status}"


class Answer(AbstractAnswer):
    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="answers",
        verbose_name=_("application"),
    )
    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="answers", verbose_name=_("question")
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "question"], name="event_answer_once_per_question"
            )
        ]

    def __str__(self):
        return f"{self.question}: {self.value[:40]}"


class SessionReminder(models.Model):
    """The reminder of one application for one session on one date: made by the daily sweep
    for tomorrow's sessions, claimed once (sent_at), and due again when the session moves to
    another date (a new row for the new date)."""

    application = models.ForeignKey(
        Application,
        on_delete=models.CASCADE,
        related_name="reminders",
        verbose_name=_("application"),
    )
    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="reminders", verbose_name=_("session")
    )
    date = models.DateField(_("session date"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("session reminder")
        verbose_name_plural = _("session reminders")
        constraints = [
            models.UniqueConstraint(
                fields=["application", "session", "date"], name="session_reminder_once"
            )
        ]

    def __str__(self):
        return f"{self.application} {self.date:%Y-%m-%d}"
