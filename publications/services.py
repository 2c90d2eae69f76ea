"""Writes of 情報: news and grant listings."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.exceptions import DomainError
from kyodo.text import search_key
from kyodo.workflow import transition
from publications.enums import GRANT_TRANSITIONS, GrantStatus
from publications.models import GrantEvent, GrantListing, NewsItem
from publications.sanitize import plain_text, sanitize_html


def news_search_key(item: NewsItem) -> str:
    return search_key(" ".join([item.title, item.summary, plain_text(item.body)]))


@transaction.atomic
def news_save(*, item: NewsItem, by=None) -> NewsItem:
    """Save a news item (new or changed) written in the admin or a staff page: its HTML
    sanitised, its search key refreshed. Side effects: the row and its history row."""
    if item.publish_at and item.expires_at and item.expires_at <= item.publish_at:
        raise DomainError(_("The expiry must come after the publication."))
    item.body = sanitize_html(item.body)
    item.search_key = news_search_key(item)
    if item.pk is None and by is not None and getattr(by, "is_authenticated", False):
        item.created_by = by
    item.save()
    return item


def grant_search_key(listing: GrantListing) -> str:
    return search_key(" ".join([listing.funder, listing.programme, listing.eligibility]))


def _check_grant(listing: GrantListing) -> None:
    if (
        listing.amount_min is not None
        and listing.amount_max is not None
        and listing.amount_min > listing.amount_max
    ):
        raise DomainError(_("The smallest grant cannot be above the largest."))
    if listing.opens_on and listing.opens_on > listing.deadline:
        raise DomainError(_("Applications cannot open after the deadline."))


@transaction.atomic
def grant_save(*, listing: GrantListing, fields=None, by=None) -> GrantListing:
    """Save a listing staff entered or edited; a new one is published at once. ``fields``:
    the activity fields to set (None leaves them). Side effects: the row, its history row."""
    _check_grant(listing)
    listing.search_key = grant_search_key(listing)
    if listing.status == GrantStatus.PUBLISHED and listing.published_at is None:
        listing.published_at = timezone.now()
    listing.save()
    if fields is not None:
        listing.activity_fields.set(fields)
    return listing


@transaction.atomic
def grant_suggest(*, data: dict, fields, organization, by) -> GrantListing:
    """A registered group suggests a listing; staff check it before anyone sees it.
    Side effects: the row (status suggested), a history row, a notice to the center's address."""
    from kyodo.mail import absolute_url, queue_notice
    from kyodo.selectors import center_profile

    if not organization.is_valid_on(timezone.localdate()):
        raise DomainError(_("Only a registered group may suggest a grant listing."))
    listing = GrantListing(
        **data, status=GrantStatus.SUGGESTED, suggested_by=by, suggested_for=organization
    )
    _check_grant(listing)
    listing.search_key = grant_search_key(listing)
    listing.save()
    listing.activity_fields.set(fields)
    GrantEvent.objects.create(
        listing=listing, old_status="", new_status=GrantStatus.SUGGESTED, changed_by=by
    )
    center = center_profile()
    if center.email:
        from django.urls import reverse
        from django.utils.translation import gettext_lazy

        queue_notice(
            [center.email],
            purpose="publications.grant_suggested",
            subject=gettext_lazy("A group suggested a grant listing"),
            paragraphs=[gettext_lazy("Check it and publish it, or decline it.")],
            facts=[(gettext_lazy("Programme"), str(listing))],
            action_url=absolute_url(reverse("publications_staff:grant_suggestions")),
            action_label=gettext_lazy("Open the suggestions"),
        )
    return listing


@transaction.atomic
def grant_set_status(*, listing: GrantListing, to: str, by, reason: str = "") -> GrantListing:
    """Publish a suggested listing or decline it (and back). Side effects: the status (a
    compare-and-set), a GrantEvent row; publishing stamps published_at the first time."""
    extra = {}
    if to == GrantStatus.PUBLISHED and listing.published_at is None:
        extra["published_at"] = timezone.now()
    return transition(
        instance=listing,
        to=to,
        transitions=GRANT_TRANSITIONS,
        history_model=GrantEvent,
        history_fk="listing",
        by=by,
        reason=reason,
        extra_fields=extra,
    )
