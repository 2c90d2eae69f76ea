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
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from coordination.enums import (
    InterestOutcome,
    MemberCategory,
    MinutesStatus,
    PostCategory,
    PosterKind,
    PostKind,
    PostStatus,
)
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


# --- 協働推進会議 (the council) -------------------------------------------------------------


def _material_path(instance, filename):
    import secrets

    return f"council/{instance.meeting_id}/{secrets.token_hex(8)}/{filename}"


class CouncilMember(models.Model):
    """A member of the 協働推進会議 for a term, linked to the account that holds the council
    role (協働推進会議委員)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="council_terms",
        verbose_name=_("account"),
    )
    category = models.CharField(
        pgettext_lazy("council member", "category"), max_length=10, choices=MemberCategory.choices
    )
    affiliation = models.CharField(_("affiliation"), max_length=150)
    affiliation_en = models.CharField(_("affiliation in English"), max_length=200, blank=True)
    term_start = models.DateField(_("term from"))
    term_end = models.DateField(_("term until"))
    is_chair = models.BooleanField(_("chair"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-term_start", "category", "pk"]
        verbose_name = _("council member")
        verbose_name_plural = _("council members")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_start__lte=models.F("term_end")), name="council_term_in_order"
            ),
            models.UniqueConstraint(fields=["user", "term_start"], name="council_term_once"),
        ]

    def __str__(self):
        return f"{self.user} ({self.affiliation})"


class Meeting(models.Model):
    title = models.CharField(pgettext_lazy("meeting", "title"), max_length=150)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    starts_at = models.DateTimeField(_("starts at"), db_index=True)
    ends_at = models.DateTimeField(_("ends at"))
    place = models.CharField(_("place"), max_length=150)
    place_en = models.CharField(_("place in English"), max_length=200, blank=True)
    agenda = models.TextField(_("agenda"))
    is_public = models.BooleanField(
        _("listed publicly"),
        default=True,
        help_text=_("Listed on the public page with its public materials and published minutes."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("council meeting")
        verbose_name_plural = _("council meetings")
        constraints = [
            models.CheckConstraint(
                condition=Q(starts_at__lt=models.F("ends_at")), name="meeting_times_in_order"
            )
        ]

    def __str__(self):
        return f"{self.title} ({timezone.localtime(self.starts_at):%Y-%m-%d})"


class Material(models.Model):
    """A file for a meeting. A closed one (非公開) reaches members and staff only."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="materials", verbose_name=_("meeting")
    )
    title = models.CharField(pgettext_lazy("material", "title"), max_length=150)
    file = models.FileField(_("file"), upload_to=_material_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"))
    is_public = models.BooleanField(_("public"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("meeting material")
        verbose_name_plural = _("meeting materials")

    def __str__(self):
        return self.title


class Attendance(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendance", verbose_name=_("meeting")
    )
    member = models.ForeignKey(
        CouncilMember, on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    attended = models.BooleanField(_("attended"), default=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="attendance_once")
        ]

    def __str__(self):
        return f"{self.meeting}: {self.member}"


class Minutes(models.Model):
    """議事録: drafted by staff, checked by members (comments), approved, then published."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes", verbose_name=_("meeting")
    )
    text = models.TextField(_("minutes text"))
    status = models.CharField(
        _("status"), max_length=10, choices=MinutesStatus.choices, default=MinutesStatus.DRAFT
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return str(self.meeting)


class MinutesEvent(StatusEvent):
    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="events", verbose_name=_("minutes")
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("minutes status change")
        verbose_name_plural = _("minutes status changes")


class MinutesComment(models.Model):
    minutes = models.ForeignKey(
        Minutes, on_delete=models.CASCADE, related_name="comments", verbose_name=_("minutes")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment on minutes")
        verbose_name_plural = _("comments on minutes")

    def __str__(self):
        return f"{self.minutes}: {self.author}"


# --- the documents library -----------------------------------------------------------------


def _library_path(instance, filename):
    import secrets

    return f"library/{instance.document_id}/{secrets.token_hex(8)}/{filename}"


class LibraryCategory(LocalizedNameMixin, models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    name_en = models.CharField(_("name in English"), max_length=150, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("library category")
        verbose_name_plural = _("library categories")

    def __str__(self):
        return self.display_name


class LibraryDocument(models.Model):
    """A document of the library (協働マニュアル, guides, the pillars' forms): its latest version
    is shown, older ones are kept. Pillars link to it by its stable slug."""

    slug = models.SlugField(
        _("stable name"),
        max_length=80,
        unique=True,
        help_text=_("Pages of the portal link to the document by this name; keep it stable."),
    )
    title = models.CharField(pgettext_lazy("document", "title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=250, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        LibraryCategory,
        on_delete=models.PROTECT,
        related_name="documents",
        verbose_name=pgettext_lazy("library", "category"),
    )
    members_only = models.BooleanField(
        _("members only"),
        default=False,
        help_text=_("Only people of a registered group (and staff) may read it."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category__order", "title", "pk"]
        verbose_name = _("library document")
        verbose_name_plural = _("library documents")

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("library:document", args=[self.slug])


class LibraryVersion(models.Model):
    document = models.ForeignKey(
        LibraryDocument,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("library document"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    file = models.FileField(_("file"), upload_to=_library_path, max_length=300)
    original_name = models.CharField(_("file name"), max_length=200, editable=False)
    size = models.PositiveIntegerField(_("size"), editable=False, default=0)
    note = models.CharField(_("what changed"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["-number"]
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="library_version_once")
        ]

    def __str__(self):
        return f"{self.document} v{self.number}"
