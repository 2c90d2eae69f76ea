"""連携・協働コーディネート: the needs/offers board the center moderates.

A post is a need or an offer of a registered organization (町会・自治会, NPO, company …) or of
a ward department. Nothing is public before staff publish it, and no post carries contact
details: an interest goes through the center, which opens a coordination case in the
consultations pillar with both parties and introduces them.
"""

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from coordination.enums import InterestOutcome, PostCategory, PosterKind, PostKind, PostStatus
from kyodo.localized import LocalizedNameMixin
from kyodo.models import SingletonSettings, StatusEvent


class BoardSettings(SingletonSettings):
    """Staff-editable rules of the board (one row)."""

    validity_days = models.PositiveSmallIntegerField(
        _("days a post stays on the board"), default=90, validators=[MinValueValidator(7)]
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("days before the end to remind the poster"), default=14, validators=[MinValueValidator(1)]
    )
    case_category = models.ForeignKey(
        "consultations.Category",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category of the coordination cases"),
        help_text=_("The consultation category of the case an interest in a post opens."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("board settings")
        verbose_name_plural = _("board settings")


class Region(LocalizedNameMixin, models.Model):
    """日本橋 / 京橋 / 月島: the ward's three areas (staff-edited data)."""

    name = models.CharField(_("name"), max_length=50, unique=True)
    name_en = models.CharField(_("name in English"), max_length=50, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("area of the ward")
        verbose_name_plural = _("areas of the ward")

    def __str__(self):
        return self.display_name


class Town(LocalizedNameMixin, models.Model):
    """A 町丁目 (or a group of them) inside an area."""

    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="towns", verbose_name=_("area of the ward")
    )
    name = models.CharField(_("name"), max_length=50)
    name_en = models.CharField(_("name in English"), max_length=80, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["region__order", "order", "pk"]
        verbose_name = _("town")
        verbose_name_plural = _("towns")
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="town_unique_in_region")
        ]

    def __str__(self):
        return self.display_name


class PostQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=PostStatus.PUBLISHED)


class Post(models.Model):
    number = models.CharField(_("post number"), max_length=20, unique=True)
    kind = models.CharField(pgettext_lazy("board", "kind"), max_length=5, choices=PostKind.choices)
    category = models.CharField(
        pgettext_lazy("board", "category"), max_length=25, choices=PostCategory.choices
    )
    title = models.CharField(pgettext_lazy("board", "title"), max_length=120)
    description = models.TextField(_("description"))
    partner_sought = models.CharField(_("partner sought"), max_length=200, blank=True)
    activity_fields = models.ManyToManyField(
        "organizations.ActivityField",
        verbose_name=_("activity fields"),
        related_name="board_posts",
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="posts", verbose_name=_("area of the ward")
    )
    town = models.ForeignKey(
        Town,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="posts",
        verbose_name=_("town"),
    )
    starts_on = models.DateField(_("from"), null=True, blank=True)
    ends_on = models.DateField(_("until"), null=True, blank=True)
    poster_kind = models.CharField(
        _("posted by"), max_length=15, choices=PosterKind.choices, default=PosterKind.ORGANIZATION
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="board_posts",
        verbose_name=_("organization"),
    )
    department = models.CharField(_("ward department"), max_length=100, blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=PostStatus.choices,
        default=PostStatus.SUBMITTED,
        db_index=True,
    )
    valid_until = models.DateField(_("on the board until"), null=True, blank=True)
    # The end date the expiry reminder was sent for: claimed once per period on the board.
    reminded_for = models.DateField(_("reminder sent for"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
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
    history = HistoricalRecords()

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("board post")
        verbose_name_plural = _("board posts")
        indexes = [models.Index(fields=["status", "kind", "region"])]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(poster_kind="organization", organization__isnull=False)
                    | Q(poster_kind="ward", organization__isnull=True) & ~Q(department="")
                ),
                name="post_poster_named",
            ),
            models.CheckConstraint(
                condition=Q(starts_on__isnull=True)
                | Q(ends_on__isnull=True)
                | Q(starts_on__lte=models.F("ends_on")),
                name="post_dates_in_order",
            ),
            models.CheckConstraint(
                condition=~Q(status="published") | Q(valid_until__isnull=False),
                name="post_published_has_end",
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.title}"

    def get_absolute_url(self):
        return reverse("coordination:post_detail", args=[self.pk])

    @property
    def poster_name(self) -> str:
        """Who posted, as the public board names them (no contact details)."""
        if self.organization_id:
            return self.organization.name
        return self.department


class PostEvent(StatusEvent):
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="events", verbose_name=_("board post")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("board post status change")
        verbose_name_plural = _("board post status changes")


class Interest(models.Model):
    """「協力できます／関心があります」: one per post and party, guarded by the database; it
    opens one coordination case in the consultations pillar with both parties."""

    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, related_name="interests", verbose_name=_("board post")
    )
    # "org:<id>" or "ward:<user id>": who is interested, the key of the once-only guard.
    party_key = models.CharField(_("party key"), max_length=30, editable=False)
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="board_interests",
        verbose_name=_("organization"),
    )
    department = models.CharField(_("ward department"), max_length=100, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("person"),
    )
    message = models.TextField(_("message to the center"))
    case = models.OneToOneField(
        "consultations.Case",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="board_interest",
        verbose_name=_("coordination case"),
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=InterestOutcome.choices, blank=True, default=""
    )
    outcome_on = models.DateField(_("outcome recorded on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("interest in a post")
        verbose_name_plural = _("interests in posts")
        constraints = [
            models.UniqueConstraint(fields=["post", "party_key"], name="interest_once_per_party")
        ]

    def __str__(self):
        return f"{self.post.number} ← {self.party_name}"

    @property
    def party_name(self) -> str:
        if self.organization_id:
            return self.organization.name
        return self.department
