"""The backoffice of 情報. News and grant listings are saved through the services: the news
text is sanitised and the search keys kept. A listing's status changes on the staff page of
suggestions (a history row each); here it is read-only."""

from django import forms
from django.contrib import admin
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyodo.admin_base import CheckboxManyMixin, HistoryAdmin, HistoryInline, ReadOnlyAdmin
from kyodo.exceptions import DomainError
from publications import newsletter, services
from publications.blocks import blocks as newsletter_blocks
from publications.enums import IssueStatus
from publications.forms import NewsAdminForm
from publications.models import (
    GrantEvent,
    GrantListing,
    Issue,
    IssueEvent,
    NewsItem,
    Subscriber,
)


@admin.register(NewsItem)
class NewsItemAdmin(HistoryAdmin):
    form = NewsAdminForm
    list_display = ("title", "category", "publish_at", "expires_at", "pinned")
    list_filter = ("category", "pinned")
    search_fields = ("title",)
    readonly_fields = ("created_by", "created_at", "updated_at")
    fields = (
        "title",
        "category",
        "summary",
        "body",
        "image",
        "image_alt",
        "publish_at",
        "expires_at",
        "pinned",
        "created_by",
        "created_at",
        "updated_at",
    )

    def save_model(self, request, obj, form, change):
        try:
            services.news_save(item=obj, by=request.user)
        except DomainError as error:  # the form's constraint check catches it first
            self.message_user(request, error.message, level="error")


class GrantEventInline(HistoryInline):
    model = GrantEvent
    fields = ("old_status", "new_status", "changed_by", "changed_at", "reason")
    related = ("changed_by",)


@admin.register(GrantListing)
class GrantListingAdmin(CheckboxManyMixin, HistoryAdmin):
    list_display = ("programme", "funder", "deadline", "status")
    list_filter = ("status", "deadline_rule")
    search_fields = ("programme", "funder")
    readonly_fields = ("status", "published_at", "suggested_by", "suggested_for", "created_at")
    inlines = [GrantEventInline]
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "funder",
                    "programme",
                    "activity_fields",
                    "eligibility",
                    ("amount_min", "amount_max"),
                    "opens_on",
                    ("deadline", "deadline_rule"),
                    "url",
                    "notes",
                )
            },
        ),
        (
            pgettext_lazy("grant listing", "Status"),
            {"fields": ("status", "published_at", "suggested_by", "suggested_for", "created_at")},
        ),
    )

    def save_model(self, request, obj, form, change):
        services.grant_save(listing=obj, by=request.user)


class IssueEventInline(HistoryInline):
    model = IssueEvent
    fields = ("old_status", "new_status", "changed_by", "changed_at", "reason")
    related = ("changed_by",)


class IssueAdminForm(forms.ModelForm):
    blocks = forms.MultipleChoiceField(
        label=_("Blocks"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Content pulled in when the issue is saved: recent news, new grants …"),
    )

    class Meta:
        model = Issue
        fields = ["number", "subject", "topic", "body", "blocks"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["blocks"].choices = [(b.key, b.title) for b in newsletter_blocks()]


@admin.register(Issue)
class IssueAdmin(HistoryAdmin):
    """Staff write an issue here; it is previewed, tested and sent from its staff page."""

    list_display = ("number", "subject", "topic", "status", "sent_at")
    list_filter = ("status", "topic")
    readonly_fields = ("status", "sent_at")
    form = IssueAdminForm
    fields = ("number", "subject", "topic", "body", "blocks", "status", "sent_at")
    inlines = [IssueEventInline]

    def has_change_permission(self, request, obj=None):
        # A sent issue is a record: it stays as it was sent (its archive page shows it).
        if obj is not None and obj.status != IssueStatus.DRAFT:
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        newsletter.issue_save(issue=obj)

    def response_add(self, request, obj, post_url_continue=None):
        return redirect("publications_staff:newsletter_issue", pk=obj.pk)

    def response_change(self, request, obj):
        return redirect("publications_staff:newsletter_issue", pk=obj.pk)


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyAdmin):
    """Subscriptions change only by their owners' links (confirm, unsubscribe)."""

    list_display = ("email", "status", "confirmed_at", "unsubscribed_at")
    list_filter = ("status",)
    search_fields = ("email",)
