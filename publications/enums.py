from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class NewsCategory(models.TextChoices):
    CENTER = "center", pgettext_lazy("news category", "From the center")
    EVENTS = "events", _("Courses and events")
    GRANTS = "grants", _("Grants")
    COLLABORATION = "collaboration", _("Collaboration projects")
    CLOSURE = "closure", pgettext_lazy("news category", "Closures")


class DeadlineRule(models.TextChoices):
    """How a grant's deadline counts (the funders' own words)."""

    POSTMARK = "postmark", _("Postmarked by the deadline")
    ARRIVAL = "arrival", _("Must arrive by the deadline")
    ONLINE = "online", _("Online, by the end of the deadline day")
    OTHER = "other", _("As the funder's guidelines say")


class GrantStatus(models.TextChoices):
    SUGGESTED = "suggested", _("Suggested by a group")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Not published")


GRANT_TRANSITIONS = {
    GrantStatus.SUGGESTED: {GrantStatus.PUBLISHED, GrantStatus.REJECTED},
    GrantStatus.REJECTED: {GrantStatus.PUBLISHED},
    GrantStatus.PUBLISHED: {GrantStatus.REJECTED},
}


class Topic(models.TextChoices):
    """What a subscriber wants to hear about; an issue is for one topic or for everyone."""

    CENTER = "center", _("The center in general")
    EVENTS = "events", _("Courses and events")
    GRANTS = "grants", _("Grant information")


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for confirmation")
    ACTIVE = "active", _("Subscribed")
    UNSUBSCRIBED = "unsubscribed", _("Unsubscribed")
    BOUNCED = "bounced", _("Stopped: mail to it bounced")


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")


ISSUE_TRANSITIONS = {
    IssueStatus.DRAFT: {IssueStatus.SENDING},
    IssueStatus.SENDING: {IssueStatus.SENT},
}
