"""Shared pieces of the backoffice."""

from django.contrib import admin


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
        return super().get_queryset(request).select_related(*self.related)
