from django import forms
from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kyodo import dates
from kyodo.admin_base import HistoryAdmin, HistoryInline
from kyodo.models import (
    AnnualClosure,
    CenterProfile,
    Closure,
    DocumentEvent,
    DocumentStatus,
    GeneratedDocument,
    HolidayRule,
    OpeningHours,
    OutboxMail,
    SentMail,
)
from kyodo.services import document_retry, guide_make


@admin.register(CenterProfile)
class CenterProfileAdmin(HistoryAdmin):
    list_display = ["name", "name_en", "phone", "email", "operator_name"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not CenterProfile.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OpeningHours)
class OpeningHoursAdmin(HistoryAdmin):
    list_display = ["weekday", "is_closed", "opens", "closes"]
    list_editable = ["is_closed", "opens", "closes"]


@admin.register(AnnualClosure)
class AnnualClosureAdmin(HistoryAdmin):
    list_display = ["name", "name_en", "start_month", "start_day", "end_month", "end_day"]


def _holiday_name_choices():
    # The exact names the holiday library uses, over a few years (names rarely change).
    this_year = timezone.localdate().year
    names = set()
    for year in range(this_year - 1, this_year + 3):
        names.update(dates.japan_holidays(year).values())
    return [(name, name) for name in sorted(names)]


class HolidayRuleForm(forms.ModelForm):
    holiday_name = forms.ChoiceField(label=_("holiday"), choices=_holiday_name_choices)

    class Meta:
        model = HolidayRule
        fields = ["holiday_name", "is_open"]


@admin.register(HolidayRule)
class HolidayRuleAdmin(HistoryAdmin):
    form = HolidayRuleForm
    list_display = ["holiday_name", "is_open"]
    list_editable = ["is_open"]


@admin.register(Closure)
class ClosureAdmin(HistoryAdmin):
    list_display = ["date", "reason", "opens", "closes"]
    date_hierarchy = "date"
    search_fields = ["reason"]


@admin.register(SentMail)
class SentMailAdmin(admin.ModelAdmin):
    list_display = ["sent_at", "to", "subject", "purpose", "language", "status"]
    list_filter = ["status", "purpose", "language", ("sent_at", admin.DateFieldListFilter)]
    search_fields = ["to", "subject", "purpose"]
    date_hierarchy = "sent_at"

    # The log is evidence of what was sent: nobody edits or adds to it by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(OutboxMail)
class OutboxMailAdmin(admin.ModelAdmin):
    """The outbox: what is waiting to be sent, what was, and what was given up (with the
    error), for staff to send again once the mail server is mended."""

    list_display = ["created_at", "to", "subject", "purpose", "status", "attempts", "sent_at"]
    list_filter = ["status", "purpose", ("created_at", admin.DateFieldListFilter)]
    search_fields = ["to", "subject", "purpose"]
    date_hierarchy = "created_at"
    exclude = ["text_body", "html_body"]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Send the selected unsent e-mails again now"), permissions=["view"])
    def send_again(self, request, queryset):
        from kyodo.mail import outbox_retry

        count = outbox_retry(outbox_ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(
            request,
            ngettext("%d e-mail queued again.", "%d e-mails queued again.", count) % count,
            messages.SUCCESS,
        )


class DocumentEventInline(HistoryInline):
    model = DocumentEvent
    fields = ["old_status", "new_status", "changed_by", "changed_at", "reason"]
    related = ("changed_by",)


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    list_display = ["filename", "kind", "language", "status", "created_at", "finished_at"]
    list_filter = ["kind", "status", "language"]
    readonly_fields = [
        "kind",
        "template_name",
        "filename",
        "language",
        "status",
        "file",
        "requested_by",
        "created_at",
        "finished_at",
        # The lease of the worker rendering it (kyodo.services): only the pipeline moves it.
        "queued_at",
        "claimed_at",
        "attempts",
    ]
    inlines = [DocumentEventInline]
    actions = ["retry_failed", "regenerate_guide"]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("Try the selected failed documents again"))
    def retry_failed(self, request, queryset):
        failed = list(queryset.filter(status=DocumentStatus.FAILED))
        for document in failed:
            document_retry(document=document, by=request.user)
        self.message_user(
            request,
            ngettext("%d document queued again.", "%d documents queued again.", len(failed))
            % len(failed),
            messages.SUCCESS,
        )

    @admin.action(description=_("Make a new guide PDF in every language"))
    def regenerate_guide(self, request, queryset):
        from django.conf import settings

        for code, _name in settings.LANGUAGES:
            guide_make(language=code, by=request.user)
        self.message_user(
            request, _("The guide was made again in every language."), messages.SUCCESS
        )
