"""The backoffice for 団体登録. Status, 登録番号 and validity change only through the services
(review, suspend, renewal), so they are read-only here; the audit trail is simple-history's."""

import datetime as dt

from django.contrib import admin, messages
from django.db.models import Count, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from kyodo.admin_base import CheckboxManyMixin, HistoryAdmin, ReadOnlyAdminMixin, TabularInline
from kyodo.exceptions import DomainError
from kyodo.text import search_key
from organizations import services
from organizations.enums import ApplicationStatus, ChangeStatus
from organizations.exports import organization_csv_response
from organizations.models import (
    ActivityField,
    Application,
    Invitation,
    Membership,
    Organization,
    OrganizationDocument,
    OrganizationEvent,
    ProfileChange,
    RegistrationCertificate,
    RegistrationRules,
)

ADMIN_SUSPENSION_REASON = _("Suspended by staff from the admin")


class ExpiryFilter(admin.SimpleListFilter):
    title = _("expiry")
    parameter_name = "expiry"

    def lookups(self, request, model_admin):
        return [
            ("expired", _("expired")),
            ("30", _("within 30 days")),
            ("90", _("within 90 days")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        value = self.value()
        if value == "expired":
            return queryset.filter(valid_until__lt=today)
        if value in ("30", "90"):
            return queryset.filter(
                valid_until__gte=today, valid_until__lte=today + dt.timedelta(days=int(value))
            )
        return queryset


class MembershipInline(TabularInline):
    model = Membership
    extra = 0
    fields = ["user", "role", "joined_at"]
    readonly_fields = ["joined_at"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


class OrganizationDocumentInline(TabularInline):
    """Documents are uploaded and removed on the organization's page (type and size checks,
    timeline); here staff see and open them."""

    model = OrganizationDocument
    extra = 0
    fields = ["download", "kind", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("uploaded_by")

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("organizations:document_download", args=[obj.organization_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.original_name)


@admin.register(Organization)
class OrganizationAdmin(CheckboxManyMixin, HistoryAdmin):
    list_display = [
        "registration_number",
        "name",
        "name_kana",
        "org_type",
        "status",
        "valid_until",
        "portal_members",
    ]
    list_display_links = ["registration_number", "name"]
    list_filter = ["status", "org_type", "activity_fields", ExpiryFilter]
    search_fields = ["name", "name_kana", "registration_number"]
    ordering = ["name_kana", "pk"]
    list_per_page = 50
    raw_id_fields = ["contact_person"]
    readonly_fields = [
        "status",
        "registration_number",
        "registered_on",
        "valid_until",
        "created_at",
        "updated_at",
        "staff_page",
    ]
    inlines = [MembershipInline, OrganizationDocumentInline]
    actions = ["send_renewal_reminder", "suspend", "export_csv"]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(portal_member_total=Count("memberships", distinct=True))
        )

    def get_search_results(self, request, queryset, search_term):
        # Like the admin's own search (every word must match), and a name also matches however
        # it was typed: ひらがな/カタカナ, half or full width, with or without spaces.
        for term in search_term.split():
            condition = Q(name__icontains=term) | Q(name_kana__icontains=term)
            condition |= Q(registration_number__icontains=term)
            if key := search_key(term):
                condition |= Q(search_key__contains=key)
            queryset = queryset.filter(condition)
        return queryset, False

    def save_model(self, request, obj, form, change):
        obj.search_key = search_key(f"{obj.name}{obj.name_kana}")
        super().save_model(request, obj, form, change)

    @admin.display(description=_("portal members"), ordering="portal_member_total")
    def portal_members(self, obj):
        return obj.portal_member_total

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if obj.pk is None:
            return "—"
        url = reverse("organizations:staff_detail", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the staff page"))

    @admin.action(description=_("Send a renewal reminder now"), permissions=["change"])
    def send_renewal_reminder(self, request, queryset):
        reminded, refused = 0, []
        for organization in queryset:
            try:
                services.renewal_reminder_send_now(organization=organization, by=request.user)
            except DomainError as error:
                refused.append(f"{organization}: {error.message}")
            else:
                reminded += 1
        if reminded:
            self.message_user(
                request,
                ngettext(
                    "A renewal reminder was sent to %(count)d organization.",
                    "Renewal reminders were sent to %(count)d organizations.",
                    reminded,
                )
                % {"count": reminded},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("Suspend the registration"), permissions=["change"])
    def suspend(self, request, queryset):
        suspended, refused = 0, []
        for organization in queryset:
            try:
                services.organization_suspend(
                    organization=organization, by=request.user, reason=str(ADMIN_SUSPENSION_REASON)
                )
            except DomainError as error:
                refused.append(f"{organization}: {error.message}")
            else:
                suspended += 1
        if suspended:
            self.message_user(
                request,
                ngettext(
                    "%(count)d organization was suspended.",
                    "%(count)d organizations were suspended.",
                    suspended,
                )
                % {"count": suspended},
                messages.SUCCESS,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)

    @admin.action(description=_("Export as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        return organization_csv_response(queryset.order_by("name_kana", "pk"))


@admin.register(Application)
class ApplicationAdmin(HistoryAdmin):
    """Decisions are made on the staff review page (a return or rejection needs a reason the
    applicant reads); the list links there, and approval can be done in bulk."""

    list_display = [
        "organization",
        "kind",
        "fiscal_year",
        "status",
        "submitted_at",
        "submitted_by",
        "decided_at",
        "review_link",
    ]
    list_filter = ["status", "kind", "fiscal_year"]
    search_fields = [
        "organization__name",
        "organization__name_kana",
        "organization__registration_number",
    ]
    list_select_related = ["organization", "submitted_by"]
    date_hierarchy = "submitted_at"
    readonly_fields = [
        "organization",
        "kind",
        "fiscal_year",
        "status",
        "note",
        "submitted_by",
        "submitted_at",
        "decided_at",
        "decided_by",
        "reason",
    ]
    actions = ["approve"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=pgettext_lazy("registration", "review"))
    def review_link(self, obj):
        url = reverse("organizations:application_review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, pgettext("registration", "Review"))

    @admin.action(description=_("Approve the selected applications"), permissions=["change"])
    def approve(self, request, queryset):
        approved, refused = 0, []
        for application in queryset.filter(status=ApplicationStatus.SUBMITTED):
            try:
                services.application_approve(application=application, by=request.user)
            except DomainError as error:
                refused.append(f"{application.organization}: {error.message}")
            else:
                approved += 1
        skipped = queryset.exclude(status=ApplicationStatus.SUBMITTED).count()
        if approved:
            self.message_user(
                request,
                ngettext(
                    "%(count)d application was approved.",
                    "%(count)d applications were approved.",
                    approved,
                )
                % {"count": approved},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d application was not under review and was left as it was.",
                    "%(count)d applications were not under review and were left as they were.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
        for message in refused:
            self.message_user(request, message, messages.WARNING)


@admin.register(ProfileChange)
class ProfileChangeAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "organization",
        "changed_fields",
        "status",
        "requested_at",
        "requested_by",
        "review_link",
    ]
    list_filter = ["status"]
    search_fields = [
        "organization__name",
        "organization__name_kana",
        "organization__registration_number",
    ]
    list_select_related = ["organization", "requested_by"]
    date_hierarchy = "requested_at"

    @admin.display(description=_("changes"))
    def changed_fields(self, obj):
        return ", ".join(
            str(Organization._meta.get_field(name).verbose_name) for name in obj.changes
        )

    @admin.display(description=pgettext_lazy("registration", "review"))
    def review_link(self, obj):
        if obj.status != ChangeStatus.PENDING:
            return "—"
        url = reverse("organizations:change_review", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, pgettext("registration", "Review"))


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["email", "organization", "role", "created_at", "expires_at", "state"]
    list_filter = ["role"]
    search_fields = ["email", "organization__name", "organization__name_kana"]
    list_select_related = ["organization"]
    exclude = ["token"]  # the token lets whoever holds it join: never shown
    actions = ["revoke"]

    @admin.display(description=_("state"))
    def state(self, obj):
        if obj.accepted_at:
            return _("accepted")
        if obj.revoked_at:
            return _("revoked")
        return _("open") if obj.is_open else _("expired")

    def has_revoke_permission(self, request):
        return request.user.has_perm("organizations.change_invitation")

    @admin.action(description=_("Revoke the selected invitations"), permissions=["revoke"])
    def revoke(self, request, queryset):
        revoked = 0
        for invitation in queryset.select_related("organization"):
            try:
                services.invitation_revoke(invitation=invitation, by=request.user)
            except DomainError:
                continue
            revoked += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation was revoked.",
                "%(count)d invitations were revoked.",
                revoked,
            )
            % {"count": revoked},
            messages.SUCCESS,
        )


@admin.register(RegistrationRules)
class RegistrationRulesAdmin(HistoryAdmin):
    """One row: the list goes straight to it."""

    list_display = [
        "__str__",
        "min_members",
        "rules_document_required",
        "ward_activity_required",
        "first_reminder_days",
        "second_reminder_days",
    ]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not RegistrationRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        rules = RegistrationRules.objects.first()
        if rules is not None and self.has_view_or_change_permission(request, rules):
            return redirect("admin:organizations_registrationrules_change", rules.pk)
        return super().changelist_view(request, extra_context)


@admin.register(ActivityField)
class ActivityFieldAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The 20 fields of the NPO law, set by a data migration."""

    list_display = ["number", "name", "name_en"]
    ordering = ["number"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RegistrationCertificate)
class RegistrationCertificateAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["organization", "registration_number", "valid_until", "issued_on", "state"]
    search_fields = ["organization__name", "registration_number"]
    list_select_related = ["organization", "document"]
    date_hierarchy = "issued_on"

    @admin.display(description=_("document"))
    def state(self, obj):
        return obj.document.get_status_display()


@admin.register(OrganizationEvent)
class OrganizationEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = [
        "changed_at",
        "organization",
        "kind",
        "action",
        "old_status",
        "new_status",
        "changed_by",
        "reason",
    ]
    list_filter = ["kind", "action"]
    search_fields = ["organization__name", "organization__registration_number", "reason"]
    list_select_related = ["organization", "changed_by"]
    date_hierarchy = "changed_at"
