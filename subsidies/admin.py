"""The backoffice of the subsidy. Staff set up each 年度's programme here: its figures, cost
categories, schedule and forms. Applications are the organizations' writing: read-only here,
their status changes only through the services (which write the history rows); the audit
trail of the rest is simple-history's."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from kyodo.admin_base import AuditAdmin, HistoryAdmin, HistoryInline, StackedInline, TabularInline
from subsidies.models import (
    AdvancePayment,
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationVersion,
    BudgetLine,
    CostCategory,
    Decision,
    Programme,
    ProgrammeForm,
)


class CostCategoryInline(StackedInline):
    model = CostCategory
    extra = 0
    fields = [
        ("order", "name", "name_en"),
        ("eligible", "unit_cap", "unit_label", "unit_label_en"),
        "description",
        "description_en",
    ]


class ProgrammeFormInline(TabularInline):
    model = ProgrammeForm
    extra = 0
    fields = ["order", "title", "title_en", "file"]


@admin.register(Programme)
class ProgrammeAdmin(HistoryAdmin):
    list_display = [
        "title",
        "fiscal_year",
        "is_published",
        "applications_open_on",
        "application_deadline",
        "cap",
    ]
    list_filter = ["is_published"]
    search_fields = ["title"]
    inlines = [CostCategoryInline, ProgrammeFormInline]
    readonly_fields = ["decisions_released_at", "decisions_released_by"]
    fieldsets = [
        (None, {"fields": ["fiscal_year", "title", "title_en", "summary", "is_published"]}),
        (
            pgettext_lazy("subsidy", "Guide"),
            {"fields": ["guide_text", "guide_file", "criteria_text"]},
        ),
        (
            _("Amount"),
            {
                "fields": [
                    ("rate_numerator", "rate_denominator"),
                    "cap",
                    "rounding_unit",
                    "max_consecutive_years",
                    "advance_payment_allowed",
                ]
            },
        ),
        (
            _("Schedule"),
            {
                "fields": [
                    ("applications_open_on", "application_deadline"),
                    "document_review_on",
                    "presentation_on",
                    "decision_on",
                    ("report_due_days", "report_due_latest"),
                    ("decisions_released_at", "decisions_released_by"),
                ]
            },
        ),
    ]


class BudgetLineInline(TabularInline):
    model = BudgetLine
    extra = 0
    can_delete = False
    fields = ["order", "category", "item", "quantity", "unit_price"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class AttachmentInline(TabularInline):
    model = ApplicationAttachment
    extra = 0
    can_delete = False
    fields = ["title", "uploaded_by", "uploaded_at", "removed_at"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields

    def has_add_permission(self, request, obj=None):
        return False


class EventInline(HistoryInline):
    model = ApplicationEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


@admin.register(Application)
class ApplicationAdmin(HistoryAdmin):
    list_display = ["__str__", "organization", "programme", "status", "requested_amount"]
    list_filter = ["programme", "status"]
    search_fields = ["title", "organization__name"]
    list_select_related = ["organization", "programme"]
    inlines = [BudgetLineInline, AttachmentInline, EventInline]
    readonly_fields = [
        "programme",
        "organization",
        "number",
        "status",
        "requested_amount",
        "submitted_version",
        "declarations",
        "declared_at",
        "created_by",
        "consultation_case",
    ]
    fields = [
        "programme",
        "organization",
        "number",
        "status",
        "title",
        "purpose",
        "need",
        "content",
        "schedule",
        "place",
        ("starts_on", "ends_on"),
        "effects",
        "indicators",
        "other_income",
        ("responsible_person", "contact_person", "contact_phone"),
        "consultation_case",
        "requested_amount",
        "submitted_version",
        ("declarations", "declared_at"),
        "created_by",
    ]

    def has_add_permission(self, request):
        return False

    def get_readonly_fields(self, request, obj=None):
        # What the organization wrote is its own: staff read it.
        return [
            field for row in self.fields for field in (row if isinstance(row, tuple) else (row,))
        ]


@admin.register(ApplicationVersion)
class ApplicationVersionAdmin(AuditAdmin):
    list_display = ["__str__", "submitted_by", "submitted_at"]
    list_select_related = ["application__programme", "submitted_by"]
    readonly_fields = ["application", "number", "data", "submitted_by", "submitted_at"]


@admin.register(Decision)
class DecisionAdmin(HistoryAdmin):
    """Decisions are made on the staff pages (/staff/subsidies/) and released there, once:
    read here with their history."""

    list_display = ["application", "outcome", "amount", "released_at"]
    list_filter = ["outcome", "application__programme"]
    list_select_related = ["application__programme"]
    fields = [
        "application",
        "outcome",
        "amount",
        "conditions",
        "reasons",
        "decided_by",
        "decided_at",
        "released_at",
        "letter",
        "notified_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(AdvancePayment)
class AdvancePaymentAdmin(HistoryAdmin):
    """概算払 are asked for by the groups and their payment recorded on the staff pages."""

    list_display = ["application", "amount", "requested_at", "paid_on"]
    list_select_related = ["application__programme"]
    fields = [
        "application",
        "amount",
        "requested_by",
        "requested_at",
        "paid_on",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
