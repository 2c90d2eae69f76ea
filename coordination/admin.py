"""The backoffice of the board: areas and towns (staff-edited data), the board's settings, and
the posts with their status history. Status moves happen on the staff pages (through the
workflow service), so the status and the dates it sets are read-only here."""

from django.contrib import admin
from django.shortcuts import redirect

from coordination import library
from coordination.models import (
    Attendance,
    BoardSettings,
    CouncilMember,
    Interest,
    LibraryCategory,
    LibraryDocument,
    LibraryVersion,
    Material,
    Meeting,
    Minutes,
    MinutesEvent,
    Post,
    PostEvent,
    Region,
    Town,
)
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


# --- the council ---------------------------------------------------------------------------


@admin.register(CouncilMember)
class CouncilMemberAdmin(HistoryAdmin):
    list_display = ["user", "category", "affiliation", "term_start", "term_end", "is_chair"]
    list_filter = ["category", "is_chair"]
    list_select_related = ["user"]
    search_fields = ["user__family_name", "user__given_name", "affiliation"]


class AttendanceInline(TabularInline):
    model = Attendance
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member":
            kwargs["queryset"] = CouncilMember.objects.select_related("user")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class MaterialInline(TabularInline):
    """Materials are added on the meeting's staff page (which tells the members); here they
    are listed, and the public flag can be corrected."""

    model = Material
    extra = 0
    fields = ["title", "original_name", "is_public", "uploaded_by", "uploaded_at"]
    readonly_fields = ["original_name", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Meeting)
class MeetingAdmin(HistoryAdmin):
    list_display = ["title", "starts_at", "place", "is_public"]
    list_filter = ["is_public"]
    search_fields = ["title", "agenda"]
    inlines = [MaterialInline, AttendanceInline]


class MinutesEventInline(HistoryInline):
    model = MinutesEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


@admin.register(Minutes)
class MinutesAdmin(HistoryAdmin):
    """Written and moved on the meeting's staff page; read here."""

    list_display = ["meeting", "status", "published_at"]
    list_filter = ["status"]
    list_select_related = ["meeting"]
    readonly_fields = ["meeting", "text", "status", "published_at"]
    inlines = [MinutesEventInline]

    def has_add_permission(self, request):
        return False


# --- the documents library -----------------------------------------------------------------


@admin.register(LibraryCategory)
class LibraryCategoryAdmin(HistoryAdmin):
    list_display = ["name", "name_en", "order"]


class LibraryVersionInline(TabularInline):
    """Earlier versions are kept as they are; a new file is added as the next version."""

    model = LibraryVersion
    extra = 1
    can_delete = False
    fields = ["number", "file", "note", "original_name", "uploaded_by", "uploaded_at"]
    readonly_fields = ["number", "original_name", "uploaded_by", "uploaded_at"]


@admin.register(LibraryDocument)
class LibraryDocumentAdmin(HistoryAdmin):
    list_display = ["title", "slug", "category", "members_only", "is_published"]
    list_filter = ["category", "members_only", "is_published"]
    list_select_related = ["category"]
    search_fields = ["title", "slug"]
    inlines = [LibraryVersionInline]

    def save_formset(self, request, form, formset, change):
        if formset.model is not LibraryVersion:
            return super().save_formset(request, form, formset, change)
        # Only new files count: each becomes the next version through the library's service
        # (numbered once, earlier versions untouched).
        for version_form in formset.forms:
            if version_form.instance.pk or not version_form.has_changed():
                continue
            upload = version_form.cleaned_data.get("file")
            if upload:
                library.version_add(
                    document=form.instance,
                    by=request.user,
                    upload=upload,
                    note=version_form.cleaned_data.get("note", ""),
                )
        return None
