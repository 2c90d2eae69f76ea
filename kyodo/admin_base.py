"""Shared pieces of the backoffice."""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from kyodo.bounds import parse_int


class HistoryInline(admin.TabularInline):
    """A read-only list of a record's history rows (status changes, uses …): nobody adds,
    edits or deletes history by hand. Subclasses set ``model``, ``fields`` and ``related``
    (the foreign keys to fetch with the rows)."""

    extra = 0
    can_delete = False
    related: tuple[str, ...] = ()

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        # select_related() with no names is deprecated (and fetches every relation).
        return queryset.select_related(*self.related) if self.related else queryset


class HistoryAdmin(SimpleHistoryAdmin):
    """simple-history's list of changes, without its "revert": a revert writes an old row
    back whole (a status too), past the services and their history rows, and simple-history
    accepts that POST from anyone who may merely view the history. Every admin of a model
    with history uses this class."""

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        if parse_int(unquote(object_id)) is None:  # see history_form_view
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied
        # simple-history looks the version up with the ids as they come in the URL: one that
        # is no number would be a database error instead of "not found".
        if parse_int(unquote(object_id)) is None or parse_int(version_id) is None:
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)


class ReadOnlyAdminMixin:
    """Rows written by the services: staff look, never add or edit (deleting stays as the
    model admin has it, e.g. so that deleting an organization can cascade)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class AuditAdminMixin(ReadOnlyAdminMixin):
    """Audit rows (history, reviews, reminders): looked at, never added, changed or deleted."""

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    pass


class AuditAdmin(AuditAdminMixin, admin.ModelAdmin):
    pass
