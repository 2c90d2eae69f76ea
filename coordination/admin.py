"""The backoffice of the board: areas and towns (staff-edited data), the board's settings, and
the posts with their status history. Status moves happen on the staff pages (through the
workflow service), so the status and the dates it sets are read-only here."""

from django.contrib import admin
from django.shortcuts import redirect

from coordination.models import BoardSettings, Interest, Post, PostEvent, Region, Town
from kyodo.admin_base import CheckboxManyMixin, HistoryAdmin, HistoryInline, TabularInline


class TownInline(TabularInline):
    model = Town
    extra = 0


@admin.register(Region)
class RegionAdmin(HistoryAdmin):
    list_display = ["name", "name_en", "order"]
    inlines = [TownInline]


@admin.register(Town)
class TownAdmin(HistoryAdmin):
    list_display = ["name", "name_en", "region", "order", "is_active"]
    list_filter = ["region", "is_active"]
    list_select_related = ["region"]


@admin.register(BoardSettings)
class BoardSettingsAdmin(HistoryAdmin):
    """One row of rules: the list opens that row."""

    list_display = ["__str__", "validity_days", "reminder_days"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BoardSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        settings = BoardSettings.objects.first()
        if settings is not None:
            return redirect("admin:coordination_boardsettings_change", settings.pk)
        return super().changelist_view(request, extra_context)


class PostEventInline(HistoryInline):
    model = PostEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


class InterestInline(TabularInline):
    model = Interest
    extra = 0
    can_delete = False
    fields = ["party_key", "organization", "department", "user", "case", "outcome", "created_at"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Post)
class PostAdmin(CheckboxManyMixin, HistoryAdmin):
    list_display = ["number", "title", "kind", "category", "region", "status", "valid_until"]
    list_filter = ["status", "kind", "category", "region"]
    list_select_related = ["region", "organization"]
    search_fields = ["number", "title", "organization__name", "department"]
    readonly_fields = [
        "number",
        "status",
        "poster_kind",
        "organization",
        "valid_until",
        "reminded_for",
        "published_at",
        "created_by",
        "created_at",
        "updated_at",
    ]
    inlines = [InterestInline, PostEventInline]

    def has_add_permission(self, request):
        return False  # posts come from the board's form, with their poster


@admin.register(Interest)
class InterestAdmin(HistoryAdmin):
    list_display = ["__str__", "outcome", "created_at"]
    list_filter = ["outcome"]
    list_select_related = ["post", "organization", "case"]
    readonly_fields = [
        "post",
        "party_key",
        "organization",
        "department",
        "user",
        "message",
        "case",
        "created_at",
    ]

    def has_add_permission(self, request):
        return False
