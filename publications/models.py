"""情報: news (お知らせ), grant listings (助成金情報) and the newsletter (メールマガジン)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kyodo.models import StatusEvent
from publications.enums import (
    DeadlineRule,
    GrantStatus,
    IssueStatus,
    NewsCategory,
    SubscriberStatus,
    Topic,
)


class NewsItem(models.Model):
    """A news item. Published from ``publish_at`` (empty: a draft; in the future: scheduled)
    until ``expires_at`` (empty: for good). ``body`` is HTML, sanitised by the service that
    saves it (publications.sanitize)."""

    title = models.CharField(pgettext_lazy("news", "title"), max_length=200)
    category = models.CharField(
        pgettext_lazy("news", "category"), max_length=20, choices=NewsCategory.choices
    )
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("One or two sentences for lists.")
    )
    body = models.TextField(
        _("text"),
        help_text=_(
            "HTML: paragraphs, headings (h2–h4), lists, tables, links and images. Scripts, "
            "styles and event attributes are removed when it is saved."
        ),
    )
    image = models.FileField(_("image"), upload_to="news/", blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    publish_at = models.DateTimeField(
        _("publish at"),
        null=True,
        blank=True,
        help_text=_("Empty: a draft. A time in the future: published then."),
    )
    expires_at = models.DateTimeField(
        _("expires at"), null=True, blank=True, help_text=_("Empty: stays published.")
    )
    pinned = models.BooleanField(
        _("pinned"),
        default=False,
        help_text=_("Shown at the top of the list and on the home page."),
    )
    # title + summary + text folded by kyodo.text.search_key (kana-, width-, space-insensitive).
    search_key = models.TextField(_("search key"), blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-pinned", "-publish_at", "-pk"]
        verbose_name = _("news item")
        verbose_name_plural = _("news")
        indexes = [models.Index(fields=["publish_at"], name="news_publish_at")]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__isnull=True)
                | Q(publish_at__isnull=True)
                | Q(expires_at__gt=F("publish_at")),
                name="news_expires_after_publish",
                violation_error_message=_("The expiry must come after the publication."),
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("publications:news_detail", args=[self.pk])


class GrantListing(models.Model):
    """A grant opportunity of a foundation, a company or the ward (助成金情報). Staff enter
    listings (published at once) or check the ones registered groups suggest."""

    funder = models.CharField(_("funder"), max_length=200)
    programme = models.CharField(_("programme"), max_length=200)
    activity_fields = models.ManyToManyField(
        "organizations.ActivityField",
        verbose_name=_("activity fields"),
        blank=True,
        related_name="+",
    )
    eligibility = models.TextField(_("who may apply"))
    amount_min = models.PositiveIntegerField(_("smallest grant (yen)"), null=True, blank=True)
    amount_max = models.PositiveIntegerField(_("largest grant (yen)"), null=True, blank=True)
    opens_on = models.DateField(_("applications open"), null=True, blank=True)
    deadline = models.DateField(_("deadline"))
    deadline_rule = models.CharField(
        _("how the deadline counts"),
        max_length=20,
        choices=DeadlineRule.choices,
        default=DeadlineRule.ARRIVAL,
    )
    url = models.URLField(_("link to the guidelines"), max_length=500, blank=True)
    notes = models.TextField(pgettext_lazy("grant listing", "notes"), blank=True)
    status = models.CharField(
        pgettext_lazy("grant listing", "status"),
        max_length=20,
        choices=GrantStatus.choices,
        default=GrantStatus.PUBLISHED,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    suggested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("suggested by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    suggested_for = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("suggesting organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    search_key = models.TextField(_("search key"), blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["deadline", "pk"]
        verbose_name = _("grant listing")
        verbose_name_plural = _("grant listings")
        indexes = [models.Index(fields=["status", "deadline"], name="grant_status_deadline")]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_min__isnull=True)
                | Q(amount_max__isnull=True)
                | Q(amount_min__lte=F("amount_max")),
                name="grant_amount_range",
                violation_error_message=_("The smallest grant cannot be above the largest."),
            ),
            models.CheckConstraint(
                condition=Q(opens_on__isnull=True) | Q(opens_on__lte=F("deadline")),
                name="grant_opens_before_deadline",
                violation_error_message=_("Applications cannot open after the deadline."),
            ),
        ]

    def __str__(self):
        return f"{self.funder} {self.programme}"

    def get_absolute_url(self):
        return reverse("publications:grant_detail", args=[self.pk])


class GrantEvent(StatusEvent):
    """A status move of a grant listing (suggested → published / not published)."""

    listing = models.ForeignKey(
        GrantListing,
        verbose_name=_("grant listing"),
        on_delete=models.CASCADE,
        related_name="events",
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("grant listing status change")
        verbose_name_plural = _("grant listing status changes")


class Subscriber(models.Model):
    """A newsletter subscription (メールマガジン), confirmed by a link mailed to the address
    (double opt-in). Unsubscribing keeps the row, without topics, until the retention removes
    it."""

    email = models.EmailField(_("e-mail"), unique=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    status = models.CharField(
        pgettext_lazy("subscription", "status"),
        max_length=20,
        choices=SubscriberStatus.choices,
        default=SubscriberStatus.PENDING,
    )
    language = models.CharField(_("language"), max_length=10, default="ja")
    confirmation_sent_at = models.DateTimeField(_("confirmation sent at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed at"), null=True, blank=True)
    bounce_count = models.PositiveSmallIntegerField(_("hard bounces"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["email"]
        verbose_name = _("newsletter subscriber")
        verbose_name_plural = _("newsletter subscribers")

    def __str__(self):
        return self.email


class Issue(models.Model):
    """A newsletter issue. Sent once: sending makes one Delivery row per subscriber."""

    number = models.PositiveIntegerField(_("number"), unique=True)
    subject = models.CharField(_("subject"), max_length=200)
    topic = models.CharField(
        _("topic"),
        max_length=20,
        choices=Topic.choices,
        blank=True,
        help_text=_("Empty: for every subscriber; else for those who chose this topic."),
    )
    body = models.TextField(
        _("text"),
        help_text=_("HTML, sanitised when it is saved (as for news)."),
    )
    blocks = models.JSONField(
        _("blocks"),
        default=list,
        blank=True,
        help_text=_("Content pulled in when the issue is saved: recent news, new grants …"),
    )
    blocks_html = models.TextField(_("blocks as rendered"), blank=True, editable=False)
    status = models.CharField(
        pgettext_lazy("newsletter issue", "status"),
        max_length=20,
        choices=IssueStatus.choices,
        default=IssueStatus.DRAFT,
        editable=False,
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-number"]
        verbose_name = _("newsletter issue")
        verbose_name_plural = _("newsletter issues")

    def __str__(self):
        return f"No.{self.number} {self.subject}"

    def get_absolute_url(self):
        return reverse("publications:newsletter_issue", args=[self.number])


class IssueEvent(StatusEvent):
    issue = models.ForeignKey(
        Issue, verbose_name=_("newsletter issue"), on_delete=models.CASCADE, related_name="events"
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("newsletter issue status change")
        verbose_name_plural = _("newsletter issue status changes")


class Delivery(models.Model):
    """One recipient of one issue. Its mail is an outbox row, written once: the row is
    claimed by setting ``outbox`` with a conditional update, and (issue, email) is unique, so
    a second run of the send task or a worker killed halfway never mails anyone twice."""

    issue = models.ForeignKey(
        Issue, verbose_name=_("newsletter issue"), on_delete=models.CASCADE, related_name="+"
    )
    subscriber = models.ForeignKey(
        Subscriber,
        verbose_name=_("newsletter subscriber"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    email = models.EmailField(_("e-mail"))
    outbox = models.OneToOneField(
        "kyodo.OutboxMail",
        verbose_name=_("outgoing e-mail"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("newsletter delivery")
        verbose_name_plural = _("newsletter deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "email"], name="delivery_once_per_address")
        ]

    def __str__(self):
        return self.email


class Suppression(models.Model):
    """What is left of an unsubscribed address after KYODO_NEWSLETTER_FORGET_DAYS: a one-way
    hash (SHA-256 of the lower-cased address), so that it is not mailed again unless its owner
    subscribes again (and confirms)."""

    email_hash = models.CharField(_("address hash"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("suppressed address")
        verbose_name_plural = _("suppressed addresses")

    def __str__(self):
        return self.email_hash
