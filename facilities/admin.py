"""The backoffice for 施設予約. Resources, hours, slots, prices, reductions and the booking rules
are data staff edit here. A booking's time, resource and status change only through the
services (the overlap check, the history rows, the mails), so they are read-only here: staff
book, move and cancel on the staff pages, and mark use or no-show with the actions below.
The audit trail is simple-history's."""

import datetime as dt

from django import forms
from django.contrib import admin, messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from facilities import staff_services
from facilities.enums import ResourceKind
from facilities.models import (
    Booking,
    BookingEvent,
    BookingPolicy,
    CalendarFeed,
    Discount,
    MonthlyStatement,
    Price,
    PrinterUsage,
    Receipt,
    Resource,
    ResourceHours,
    Series,
    TimeSlot,
    WaitlistEntry,
)
from facilities.views.staff import bookings_csv_response
from kyodo.admin_base import HistoryAdmin, HistoryInline, ReadOnlyAdmin, TabularInline
from kyodo.exceptions import DomainError

# --- resources and rules ---------------------------------------------------------------------


class ResourceHoursInline(TabularInline):
    model = ResourceHours
    extra = 0


class TimeSlotInline(TabularInline):
    model = TimeSlot
    extra = 0


class PriceInline(TabularInline):
    model = Price
    extra = 0

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        # Only the resource's own slots (the resource is in the URL of its change page).
        if db_field.name == "slot":
            resource_id = request.resolver_match.kwargs.get("object_id")
            kwargs["queryset"] = TimeSlot.objects.filter(resource_id=resource_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Resource)
class ResourceAdmin(HistoryAdmin):
    list_display = [
        "name",
        "name_en",
        "kind",
        "parent",
        "capacity",
        "mode",
        "bookable_online",
        "needs_approval",
        "is_active",
        "order",
    ]
    list_filter = ["kind", "is_active", "bookable_online", "needs_approval"]
    list_select_related = ["parent"]
    search_fields = ["name", "name_en"]
    ordering = ["order", "pk"]
    inlines = [ResourceHoursInline, TimeSlotInline, PriceInline]
    fieldsets = [
        (
            None,
            {"fields": ["name", "name_en", "kind", "parent", "capacity", "order", "is_active"]},
        ),
        (_("Description"), {"fields": ["photo", "description", "rules_text"]}),
        (
            _("Booking"),
            {
                "fields": [
                    "bookable_online",
                    "needs_approval",
                    "mode",
                    "grid_minutes",
                    "buffer_minutes",
                    "min_minutes",
                    "max_minutes",
                    "follows_room_hours",
                ]
            },
        ),
        (_("Printer prices"), {"fields": ["price_per_master", "price_per_sheet"]}),
    ]


@admin.register(BookingPolicy)
class BookingPolicyAdmin(HistoryAdmin):
    """One row of rules: the list opens that row."""

    list_display = ["__str__", "window_months", "max_per_month", "max_per_day", "no_show_limit"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not BookingPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        policy = BookingPolicy.objects.first()
        if policy is not None:
            return redirect("admin:facilities_bookingpolicy_change", policy.pk)
        return super().changelist_view(request, extra_context)


@admin.register(Discount)
class DiscountAdmin(HistoryAdmin):
    list_display = ["name", "name_en", "percent_off", "for_registered"]


# --- bookings --------------------------------------------------------------------------------


class DayFilter(admin.SimpleListFilter):
    """Today's counter in the admin: the day's bookings, then the actions below."""

    title = _("day")
    parameter_name = "day"

    def lookups(self, request, model_admin):
        return [
            ("today", _("Today")),
            ("tomorrow", _("Tomorrow")),
            ("yesterday", _("Yesterday")),
            ("week", _("Next 7 days")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        ranges = {
            "today": (today, 1),
            "tomorrow": (today + dt.timedelta(days=1), 1),
            "yesterday": (today - dt.timedelta(days=1), 1),
            "week": (today, 7),
        }
        if self.value() not in ranges:
            return queryset
        first, days = ranges[self.value()]
        start = timezone.make_aware(dt.datetime.combine(first, dt.time.min))
        return queryset.filter(start__gte=start, start__lt=start + dt.timedelta(days=days))


class BookingEventInline(HistoryInline):
    model = BookingEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


class PrinterUsageInline(HistoryInline):
    model = PrinterUsage
    fields = ["used_on", "masters", "sheets", "amount", "recorded_by"]
    related = ("recorded_by",)


@admin.register(Booking)
class BookingAdmin(HistoryAdmin):
    list_display = ["resource", "start", "end_time", "organization", "status", "charged"]
    list_filter = ["status", DayFilter, "resource", ("start", admin.DateFieldListFilter)]
    search_fields = ["organization__name", "organization__name_kana", "purpose"]
    # No date_hierarchy: its links list the distinct years and months of every booking, a scan
    # of the whole table on each page; the day and date filters choose the same dates. Nor the
    # second COUNT of the whole table behind "N total" when a filter is on.
    show_full_result_count = False
    list_select_related = ["resource", "organization"]
    list_per_page = 50
    ordering = ["start", "pk"]
    readonly_fields = [
        "resource",
        "organization",
        "is_block",
        "start",
        "end",
        "status",
        "series",
        "list_price",
        "charged",
        "discount_name",
        "booked_by",
        "reminded_at",
        "created_at",
        "staff_page",
    ]
    fields = [
        "staff_page",
        "resource",
        "organization",
        "is_block",
        "start",
        "end",
        "status",
        "purpose",
        "attendees",
        "series",
        "list_price",
        "charged",
        "discount_name",
        "booked_by",
        "reminded_at",
        "created_at",
    ]
    inlines = [BookingEventInline, PrinterUsageInline]
    actions = ["mark_used", "mark_no_show", "export_csv"]

    def has_add_permission(self, request):
        # A booking is made through booking_create (the overlap check): on the staff page.
        return False

    @admin.display(description=_("until"), ordering="end")
    def end_time(self, obj):
        return f"{timezone.localtime(obj.end):%H:%M}"

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("facilities_staff:booking_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Move or cancel on the staff page"))

    def _run(self, request, queryset, service, done_message):
        done, refused = 0, []
        for booking in queryset.select_related("resource", "organization"):
            try:
                service(booking=booking, by=request.user)
            except DomainError as error:
                refused.append(f"{booking}: {error.message}")
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("Mark as used (checked in)"), permissions=["change"])
    def mark_used(self, request, queryset):
        self._run(
            request,
            queryset,
            staff_services.booking_check_in,
            lambda n: (
                ngettext(
                    "%(count)d booking was checked in.", "%(count)d bookings were checked in.", n
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Mark as no-show"), permissions=["change"])
    def mark_no_show(self, request, queryset):
        self._run(
            request,
            queryset,
            staff_services.booking_no_show,
            lambda n: (
                ngettext(
                    "%(count)d booking was recorded as a no-show.",
                    "%(count)d bookings were recorded as no-shows.",
                    n,
                )
                % {"count": n}
            ),
        )

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        bookings = queryset.select_related("resource", "organization", "booked_by").order_by(
            "start", "pk"
        )
        return bookings_csv_response(
            bookings, filename=f"bookings-{timezone.localdate():%Y%m%d}.csv"
        )


@admin.register(BookingEvent)
class BookingEventAdmin(ReadOnlyAdmin):
    list_display = ["booking", "old_status", "new_status", "changed_by", "changed_at"]
    list_filter = ["new_status"]
    list_select_related = ["booking__resource", "changed_by"]
    date_hierarchy = "changed_at"


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    list_display = ["resource", "organization", "description", "created_at"]
    list_filter = ["resource"]
    list_select_related = ["resource", "organization"]
    search_fields = ["organization__name", "organization__name_kana"]


@admin.register(WaitlistEntry)
class WaitlistEntryAdmin(ReadOnlyAdmin):
    list_display = ["resource", "start", "organization", "status", "offer_expires_at"]
    list_filter = ["status", "resource"]
    list_select_related = ["resource", "organization"]
    search_fields = ["organization__name", "organization__name_kana"]
    exclude = ["token"]


# --- printers and documents ------------------------------------------------------------------


class PrinterUsageAdminForm(forms.ModelForm):
    class Meta:
        model = PrinterUsage
        fields = ["resource", "organization", "used_on", "masters", "sheets", "booking"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "resource" in self.fields:
            self.fields["resource"].queryset = Resource.objects.filter(kind=ResourceKind.PRINTER)

    def clean(self):
        data = super().clean()
        if all(data.get(name) is not None for name in ("resource", "organization")):
            for problem in staff_services.printer_usage_problems(
                resource=data["resource"],
                organization=data["organization"],
                masters=data.get("masters") or 0,
                sheets=data.get("sheets") or 0,
                booking=data.get("booking"),
            ):
                self.add_error(None, problem)
        return data


@admin.register(PrinterUsage)
class PrinterUsageAdmin(HistoryAdmin):
    """Counts are entered here or at the counter; the amount is priced by the service. A
    recorded count is corrected by deleting it and entering it again (both in the history)."""

    form = PrinterUsageAdminForm
    list_display = ["used_on", "organization", "resource", "masters", "sheets", "amount"]
    list_filter = ["resource", ("used_on", admin.DateFieldListFilter)]
    search_fields = ["organization__name", "organization__name_kana"]
    date_hierarchy = "used_on"
    list_select_related = ["organization", "resource"]
    raw_id_fields = ["booking"]
    readonly_fields = ["amount", "recorded_by", "recorded_at"]

    def has_change_permission(self, request, obj=None):
        # Viewing the list and a row stays possible; editing a recorded count does not.
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        usage = staff_services.printer_usage_record(
            resource=data["resource"],
            organization=data["organization"],
            used_on=data["used_on"],
            masters=data["masters"],
            sheets=data["sheets"],
            booking=data.get("booking"),
            by=request.user,
        )
        # The admin logs and links the object it was given: make it the recorded one.
        obj.pk, obj.amount, obj.recorded_by, obj.recorded_at = (
            usage.pk,
            usage.amount,
            usage.recorded_by,
            usage.recorded_at,
        )
        obj._state.adding = False


@admin.register(Receipt)
class ReceiptAdmin(ReadOnlyAdmin):
    list_display = ["number", "organization", "description", "amount", "issued_on"]
    list_select_related = ["organization"]
    search_fields = ["number", "organization__name", "organization__name_kana"]
    date_hierarchy = "issued_on"


@admin.register(MonthlyStatement)
class MonthlyStatementAdmin(ReadOnlyAdmin):
    list_display = ["organization", "month", "created_at"]
    list_select_related = ["organization"]
    search_fields = ["organization__name", "organization__name_kana"]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(ReadOnlyAdmin):
    list_display = ["organization", "created_at", "revoked_at"]
    list_select_related = ["organization"]
    exclude = ["token"]
