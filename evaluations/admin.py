"""The backoffice for the 協働事業評価. Staff edit here the check-sheet template of each 年度
(its items, the weights of the sides, whether earlier sheets are shown) and the council
members assigned; statuses, sheets, scores, targets once confirmed and reports change only
through the services (the staff pages at /staff/evaluations/), so they are read-only here.
Every model keeps its audit trail in simple-history."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from evaluations.models import (
    CouncilAssignment,
    Evaluation,
    EvaluationEvent,
    EvaluationReminder,
    EvaluationReport,
    Sheet,
    SheetScore,
    SheetTemplate,
    Target,
    TargetSheet,
    TemplateItem,
)
from kyodo.admin_base import AuditAdmin, HistoryAdmin, HistoryInline, TabularInline


class TemplateItemInline(TabularInline):
    model = TemplateItem
    extra = 1
    fields = ["order", "name", "name_en", "description"]


@admin.register(SheetTemplate)
class SheetTemplateAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "weight_self",
        "weight_department",
        "weight_council",
        "show_earlier_sheets",
    ]
    fields = [
        "fiscal_year",
        ("weight_self", "weight_department", "weight_council"),
        "show_earlier_sheets",
    ]
    inlines = [TemplateItemInline]


class CouncilAssignmentInline(TabularInline):
    model = CouncilAssignment
    extra = 1
    fields = ["member"]
    autocomplete_fields = []


class EvaluationEventInline(HistoryInline):
    model = EvaluationEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


@admin.register(Evaluation)
class EvaluationAdmin(HistoryAdmin):
    list_display = ["__str__", "status", "self_due", "department_due", "council_due", "staff_page"]
    list_filter = ["status", "project_year__fiscal_year"]
    list_select_related = ["project_year__project__proposal__round"]
    search_fields = ["project_year__project__proposal__title"]
    readonly_fields = ["project_year", "template", "targets", "status", "staff_page"]
    fields = [
        "staff_page",
        "project_year",
        "template",
        "targets",
        "status",
        ("self_due", "department_due", "council_due"),
    ]
    inlines = [CouncilAssignmentInline, EvaluationEventInline]

    def has_add_permission(self, request):
        return False  # started from the staff page, with its targets

    def has_delete_permission(self, request, obj=None):
        return False

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "member":
            from evaluations.forms import council_members

            kwargs["queryset"] = council_members()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        return format_html(
            '<a href="{}">{}</a>',
            reverse("evaluations_staff:detail", args=[obj.pk]),
            _("Open its staff page"),
        )


class TargetInline(TabularInline):
    model = Target
    extra = 0
    fields = [
        "kind",
        "order",
        "title",
        "indicator",
        "target_value",
        "unit",
        "result_value",
        "result_note",
    ]

    def has_add_permission(self, request, obj=None):
        return obj is not None and not obj.is_frozen

    def has_change_permission(self, request, obj=None):
        return obj is not None and not obj.is_frozen

    def has_delete_permission(self, request, obj=None):
        return obj is not None and not obj.is_frozen


@admin.register(TargetSheet)
class TargetSheetAdmin(HistoryAdmin):
    list_display = ["__str__", "status", "confirmed_at"]
    list_filter = ["status"]
    readonly_fields = ["subject_type", "subject_id", "status", "confirmed_at", "confirmed_by"]
    fields = [
        ("subject_type", "subject_id"),
        "status",
        ("confirmed_at", "confirmed_by"),
        "beneficiary_unmeasured_reason",
    ]
    inlines = [TargetInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.is_frozen:
            fields.append("beneficiary_unmeasured_reason")
        return fields


class SheetScoreInline(TabularInline):
    model = SheetScore
    extra = 0
    fields = ["item", "points", "comment"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Sheet)
class SheetAdmin(HistoryAdmin):
    list_display = ["__str__", "side", "author", "status", "submitted_at"]
    list_filter = ["side", "status"]
    list_select_related = ["evaluation__project_year__project__proposal__round", "author"]
    readonly_fields = [
        "evaluation",
        "side",
        "author",
        "status",
        "went_well",
        "issues",
        "improvements",
        "submitted_at",
    ]
    fields = readonly_fields
    inlines = [SheetScoreInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(EvaluationReport)
class EvaluationReportAdmin(AuditAdmin):
    list_display = ["__str__", "published_at", "published_by"]
    list_select_related = ["published_by"]


@admin.register(EvaluationReminder)
class EvaluationReminderAdmin(AuditAdmin):
    list_display = ["key", "email", "sent_at"]
    search_fields = ["key"]
