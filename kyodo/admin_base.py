"""Shared pieces of the backoffice."""

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from kyodo.bounds import parse_int
from kyodo.widgets import SplitDateTimeInput, date_input, split_datetime_input, time_input

# The browser's own date and time pickers instead of the admin's calendar and clock links:
# those links' accessible names ("Today (…)") are not in Django's Japanese catalogue, so they
# do not match the words shown (axe: label-content-name-mismatch), and the native pickers work
# with the keyboard and screen readers as every other form of the portal does.
NATIVE_DATE_WIDGETS = {
    models.DateField: {"widget": date_input()},
    models.TimeField: {"widget": time_input()},
    models.DateTimeField: {"widget": split_datetime_input()},
}


def _name_inputs(form):
    """A table row of fields (a tabular inline, an editable list) shows each field's name only
    once, in the column header: give each input that name too, so that it has one."""
    for field in form.fields.values():
        widget = getattr(field.widget, "widget", field.widget)  # inside the add/edit links
        if field.label and not widget.is_hidden:
            widget.attrs.setdefault("aria-label", field.label)


def with_named_inputs(formset_class):
    """The formset class, each of whose forms (the empty one for "add another" too) has
    named inputs."""

    class NamedInputsFormSet(formset_class):
        def add_fields(self, form, index):
            super().add_fields(form, index)
            _name_inputs(form)

    NamedInputsFormSet.__name__ = formset_class.__name__
    return NamedInputsFormSet


class BackofficeFieldsMixin:
    """Our admins' and inlines' form fields: native date pickers, and a file input or a date
    and time named by their field (Django puts them in a <fieldset> whose <legend>, unlike a
    <label>, does not name the input)."""

    formfield_overrides = NATIVE_DATE_WIDGETS

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None or not formfield.label:
            return formfield
        if isinstance(db_field, models.FileField):
            formfield.widget.attrs.setdefault("aria-label", formfield.label)
        elif isinstance(formfield.widget, SplitDateTimeInput):
            formfield.widget.widgets[0].attrs.setdefault("aria-label", formfield.label)
        return formfield


class TabularInline(BackofficeFieldsMixin, admin.TabularInline):
    """Every tabular inline of ours: inputs named, native date pickers."""

    def get_formset(self, request, obj=None, **kwargs):
        return with_named_inputs(super().get_formset(request, obj, **kwargs))


class StackedInline(BackofficeFieldsMixin, admin.StackedInline):
    pass


class CheckboxManyMixin:
    """Many-to-many fields as a list of checkboxes: the lists are short (activity fields, the
    proposals of one call), and Django's two-box picker marks up its search icon with ARIA that
    its element may not have (axe: aria-prohibited-attr)."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxSelectMultiple)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class HistoryInline(TabularInline):
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


class HistoryAdmin(BackofficeFieldsMixin, SimpleHistoryAdmin):
    """simple-history's list of changes, without its "revert": a revert writes an old row
    back whole (a status too), past the services and their history rows, and simple-history
    accepts that POST from anyone who may merely view the history. Every admin of a model
    with history uses this class. It also gives the editable list's inputs their names and
    uses the native date pickers (BackofficeFieldsMixin)."""

    def get_changelist_formset(self, request, **kwargs):
        return with_named_inputs(super().get_changelist_formset(request, **kwargs))

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
