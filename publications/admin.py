"""The backoffice of 情報. News and grant listings are saved through the services: the news
text is sanitised and the search keys kept. A listing's status changes on the staff page of
suggestions (a history row each); here it is read-only."""

from django.contrib import admin
from django.utils.translation import pgettext_lazy

from kyodo.admin_base import CheckboxManyMixin, HistoryAdmin, HistoryInline
from kyodo.exceptions import DomainError
from publications import services
from publications.forms import NewsAdminForm
from publications.models import GrantEvent, GrantListing, NewsItem


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
