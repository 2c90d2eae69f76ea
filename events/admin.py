"""The backoffice for events. Staff write an event here; its sessions are added, moved and
cancelled on the staff pages (/staff/events/), since a session in a room holds the room
through the facilities booking service: the admin shows them read-only. The audit trail is
simple-history's."""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from events.models import (
    Answer,
    Application,
    ApplicationEvent,
    Event,
    Question,
    Session,
    SessionReminder,
)
from kyodo.admin_base import HistoryAdmin, TabularInline


class SessionInline(TabularInline):
    model = Session
    extra = 0
    can_delete = False
    fields = ["date", "starts", "ends", "resource", "place", "address", "room_hold", "is_cancelled"]
    readonly_fields = fields
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False


class QuestionInline(TabularInline):
    model = Question
    extra = 0
    fields = ["order", "text", "text_en", "kind", "choices", "required"]


@admin.register(Event)
class EventAdmin(HistoryAdmin):
    list_display = [
        "title",
        "kind",
        "first_day",
        "last_day",
        "capacity",
        "fee",
        "organizer",
        "is_published",
    ]
    list_filter = ["kind", "is_published", "organizer"]
    search_fields = ["title", "title_en"]
    list_select_related = ["cohost_organization"]
    autocomplete_fields = ["cohost_organization"]
    readonly_fields = ["first_day", "last_day", "created_by", "created_at", "sessions_page"]
    inlines = [SessionInline, QuestionInline]

    @admin.display(description=_("sessions"))
    def sessions_page(self, obj):
        if obj.pk is None:
            return _("Save the event first, then add its sessions on the staff page.")
        return format_html(
            '<a href="{}">{}</a>',
            reverse("events_staff:event_detail", args=[obj.pk]),
            _("Add, move or cancel sessions"),
        )

    def save_model(self, request, obj, form, change):
        if obj.created_by_id is None:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Session)
class SessionAdmin(HistoryAdmin):
    list_display = ["event", "date", "starts", "ends", "resource", "place", "is_cancelled"]
    list_filter = ["is_cancelled", "resource"]
    list_select_related = ["event", "resource"]
    search_fields = ["event__title"]
    readonly_fields = [f.name for f in Session._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ApplicationEventInline(TabularInline):
    model = ApplicationEvent
    extra = 0
    can_delete = False
    fields = ["old_status", "new_status", "changed_by", "changed_at", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class AnswerInline(TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ["question", "value"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Application)
class ApplicationAdmin(HistoryAdmin):
    """Applications change status only through the services (seats, the waitlist, mails):
    staff approve, decline, promote and cancel on /staff/events/; here contact details may be
    corrected."""

    list_display = ["event", "name", "organization", "seats", "status", "created_at"]
    list_filter = ["status", "event__kind"]
    list_select_related = ["event", "organization"]
    search_fields = ["name", "name_kana", "email", "event__title"]
    readonly_fields = [
        "event",
        "user",
        "organization",
        "seats",
        "status",
        "consent_at",
        "offered_at",
        "offer_expires_at",
        "created_at",
    ]
    fields = ["name", "name_kana", "email", "phone", *readonly_fields]
    inlines = [AnswerInline, ApplicationEventInline]

    def has_add_permission(self, request):
        return False


@admin.register(SessionReminder)
class SessionReminderAdmin(admin.ModelAdmin):
    list_display = ["application", "session", "date", "sent_at"]
    list_select_related = ["application__event", "session__event"]
    readonly_fields = ["application", "session", "date", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
