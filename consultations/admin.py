"""The backoffice for 相談.

What the admin deliberately does not do:
- It shows no timeline entries. A 要配慮 case (one marked so now, whatever its older versions
  say) is not opened here at all — neither its change page nor its history: the staff page
  asks the reason for each reading and logs it, and the admin sends staff there. Its title is
  masked in the list and is not searched. Opening an ordinary case here (or an older version of
  it) shows its request, so it is logged as a reading like on the staff page.
- It neither adds nor deletes cases and never changes their status: a case is numbered and
  opened by the services, its status moves through case_move (with history), and deletion is
  the audited retention run, which keeps the figures for the statistics.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db.models import Max, Min
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.roles import Role
from consultations.exports import case_csv_response as export_cases
from consultations.models import (
    Case,
    CaseEvent,
    Category,
    ConsultationSettings,
    FollowUp,
    NoteAccess,
    Outcome,
    Party,
    RetentionRun,
)
from consultations.rules import can_read_access_log
from consultations.selectors import case_search
from consultations.services import notes_read
from kyodo.admin_base import AuditAdminMixin, HistoryAdmin, HistoryInline, TabularInline
from kyodo.bounds import EARLIEST_DATE, LATEST_DATE, parse_int
from kyodo.dates import fiscal_year, fiscal_year_label, fiscal_year_range


class ManagerOnlyMixin:
    """Visible to the センター責任者 only. The view permission is given to that role; asking
    the role's predicate as well keeps the log closed to plain staff whatever a group was
    granted by hand."""

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and can_read_access_log(request.user)

    def has_module_permission(self, request):
        return super().has_module_permission(request) and can_read_access_log(request.user)


class FiscalYearFilter(admin.SimpleListFilter):
    title = _("fiscal year")
    parameter_name = "fiscal_year"

    def lookups(self, request, model_admin):
        span = model_admin.get_queryset(request).aggregate(
            first=Min("opened_on"), last=Max("opened_on")
        )
        if span["first"] is None:
            return []
        first, last = fiscal_year(span["first"]), fiscal_year(span["last"])
        return [(str(year), fiscal_year_label(year)) for year in range(last, first - 1, -1)]

    def queryset(self, request, queryset):
        year = parse_int(self.value(), minimum=EARLIEST_DATE.year, maximum=LATEST_DATE.year - 1)
        if year is not None:
            return queryset.filter(opened_on__range=fiscal_year_range(year))
        return queryset


# --- the CSV of selected cases -----------------------------------------------------------------


def case_csv_response(cases) -> HttpResponse:
    cases = cases.select_related("assigned_to", "organization").prefetch_related("categories")
    return export_cases(cases)


# --- cases -------------------------------------------------------------------------------------


class PartyInline(TabularInline):
    model = Party
    extra = 0
    fields = ["role", "kind", "organization", "name", "contact"]
    raw_id_fields = ["organization"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")


class OutcomeInline(TabularInline):
    model = Outcome
    fk_name = "case"
    extra = 0
    fields = ["kind", "organization", "related_case", "reference", "note"]
    raw_id_fields = ["organization", "related_case"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization", "related_case")


class FollowUpInline(TabularInline):
    model = FollowUp
    extra = 0
    fields = ["description", "due_on", "assignee", "done_at", "reminded_at"]
    readonly_fields = ["reminded_at"]  # written by the reminder sweep only
    raw_id_fields = ["assignee"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("assignee")


class CaseEventInline(HistoryInline):
    model = CaseEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


@admin.register(Case)
class CaseAdmin(HistoryAdmin):
    list_display = [
        "number",
        "opened_on",
        "masked_title",
        "channel",
        "status",
        "assigned_to",
        "is_sensitive",
    ]
    list_display_links = ["number", "masked_title"]
    list_filter = [
        "status",
        "categories",
        "channel",
        ("assigned_to", admin.RelatedOnlyFieldListFilter),
        "is_sensitive",
        FiscalYearFilter,
    ]
    date_hierarchy = "opened_on"
    # The search is selectors.case_search (get_search_results): it leaves out the titles of
    # 要配慮 cases, which the list masks.
    search_fields = ["number"]
    list_select_related = ["assigned_to"]
    list_per_page = 50
    raw_id_fields = ["asker", "organization"]
    readonly_fields = [
        "number",
        "status",
        "organization_type",
        "consented_at",
        "closed_on",
        "anonymized_at",
        "created_by",
        "created_at",
        "updated_at",
        "staff_page",
    ]
    inlines = [PartyInline, OutcomeInline, FollowUpInline, CaseEventInline]
    actions = ["export_csv"]

    def get_fields(self, request, obj=None):
        fields = [
            "number",
            "staff_page",
            "title",
            "request",
            "channel",
            "categories",
            "status",
            "assigned_to",
            "is_sensitive",
            "asker",
            "asker_name",
            "asker_email",
            "asker_phone",
            "organization",
            "organization_type",
            "preferred_contact",
            "preferred_times",
            "consented_at",
            "opened_on",
            "closed_on",
            "anonymized_at",
            "created_by",
            "created_at",
            "updated_at",
        ]
        if obj is not None and obj.is_sensitive:
            # The request of a 要配慮 case is read on the staff page, which logs the reading.
            fields.remove("request")
        return fields

    def get_exclude(self, request, obj=None):
        return ["request"] if obj is not None and obj.is_sensitive else []

    def has_add_permission(self, request):
        return False  # opened on the staff pages, which number the case and start its history

    def has_delete_permission(self, request, obj=None):
        return False  # removed only by the audited retention run, keeping the statistics

    def has_change_permission(self, request, obj=None):
        # An anonymised case keeps only figures: nothing personal may be written back into it.
        if obj is not None and obj.anonymized_at is not None:
            return False
        return super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assigned_to":
            kwargs["queryset"] = User.objects.filter(
                groups__name=Role.CENTER_STAFF, is_active=True
            ).order_by("family_name_kana", "given_name_kana", "pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "categories":
            kwargs["widget"] = forms.CheckboxSelectMultiple  # a short list: no picker needed
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        # Kept on anonymisation for the statistics, so it follows the organization as the
        # services keep it.
        obj.organization_type = obj.organization.org_type if obj.organization else ""
        super().save_model(request, obj, form, change)

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(case_search(search_term)), False

    @admin.display(description=pgettext_lazy("consultation", "title"), ordering="title")
    def masked_title(self, obj):
        return obj.list_title

    def _sensitive_elsewhere(self, request, object_id):
        """For a 要配慮 case (as it is now): a redirect to its staff page, which asks the
        reason for reading and logs it; None for any other case."""
        # An id that is no number is left to the admin, which says the case does not exist.
        cases = Case.objects.filter(pk=parse_int(object_id))
        case = cases.only("pk", "is_sensitive", "anonymized_at").first()
        # An anonymised case holds nothing personal any more: it opens here like any other.
        if case is None or not case.is_sensitive or case.anonymized_at is not None:
            return None
        self.message_user(
            request,
            _(
                "This case holds sensitive personal information: open it on the staff page, "
                "where each reading is given a reason and logged."
            ),
            messages.WARNING,
        )
        return redirect(case.get_absolute_url())

    def _log_reading(self, request, object_id):
        case = Case.objects.filter(pk=parse_int(object_id), anonymized_at__isnull=True).first()
        if case is not None and request.method == "GET":
            notes_read(case=case, user=request.user)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        elsewhere = self._sensitive_elsewhere(request, unquote(object_id))
        if elsewhere is not None:
            return elsewhere
        response = super().change_view(request, object_id, form_url, extra_context)
        if response.status_code == 200:
            self._log_reading(request, unquote(object_id))  # the page shows the request
        return response

    def history_view(self, request, object_id, extra_context=None):
        # The list of versions shows what changed in each: titles and the asker's details.
        elsewhere = self._sensitive_elsewhere(request, unquote(object_id))
        if elsewhere is not None:
            return elsewhere
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # An older version may predate the 要配慮 mark: what counts is the case as it is now.
        elsewhere = self._sensitive_elsewhere(request, unquote(object_id))
        if elsewhere is not None:
            return elsewhere
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if response.status_code == 200:
            self._log_reading(request, unquote(object_id))
        return response

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("consultations:case_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the staff page"))

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return case_csv_response(queryset.order_by("opened_on", "number"))


@admin.register(Category)
class CategoryAdmin(HistoryAdmin):
    list_display = ["name", "name_en", "order", "is_active", "is_pre_proposal"]
    list_editable = ["order", "is_active", "is_pre_proposal"]
    ordering = ["order", "pk"]

    def has_delete_permission(self, request, obj=None):
        # Deleting a category would take it off every case, past figures included; a category
        # no longer offered is marked "not in use".
        return False


@admin.register(ConsultationSettings)
class ConsultationSettingsAdmin(HistoryAdmin):
    """One row: the list goes straight to it."""

    list_display = ["__str__", "retention_years"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not ConsultationSettings.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        row = ConsultationSettings.objects.first()
        if row is not None and self.has_view_or_change_permission(request, row):
            return redirect("admin:consultations_consultationsettings_change", row.pk)
        return super().changelist_view(request, extra_context)


@admin.register(CaseEvent)
class CaseEventAdmin(AuditAdminMixin, admin.ModelAdmin):
    list_display = ["changed_at", "case", "old_status", "new_status", "changed_by", "reason"]
    list_filter = ["new_status"]
    search_fields = ["case__number"]
    list_select_related = ["case", "changed_by"]
    date_hierarchy = "changed_at"


@admin.register(NoteAccess)
class NoteAccessAdmin(ManagerOnlyMixin, AuditAdminMixin, admin.ModelAdmin):
    list_display = ["accessed_at", "case", "user", "reason"]
    search_fields = ["case__number", "user__email", "user__family_name", "reason"]
    list_select_related = ["case", "user"]
    date_hierarchy = "accessed_at"


@admin.register(RetentionRun)
class RetentionRunAdmin(ManagerOnlyMixin, AuditAdminMixin, admin.ModelAdmin):
    list_display = ["run_at", "run_by", "cutoff", "case_count", "numbers"]
    list_select_related = ["run_by"]
    date_hierarchy = "run_at"

    @admin.display(description=_("cases"))
    def case_count(self, obj):
        return len(obj.case_numbers)

    @admin.display(description=_("cases anonymised"))
    def numbers(self, obj):
        return ", ".join(obj.case_numbers)
