"""The backoffice for 協働事業提案. Staff set up the calls here: themes, criteria, stages and
the reviewer assignments. Every status (proposal, stage, project) changes only through the
services on the staff pages (/staff/proposals/…), which check the move and write the history
rows, so statuses are read-only here; what the organization writes is read-only too, and
nobody edits a reviewer's score. The audit trail of the rest is simple-history's."""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from accounts.roles import Role
from kyodo.admin_base import (
    AuditAdmin,
    CheckboxManyMixin,
    HistoryAdmin,
    HistoryInline,
    StackedInline,
    TabularInline,
)
from kyodo.exceptions import DomainError
from proposals import rules, services
from proposals.enums import IN_REVIEW_STATUSES, ProposalStatus
from proposals.models import (
    Assignment,
    BudgetLine,
    ConflictDeclaration,
    Criterion,
    Decision,
    Presentation,
    Project,
    ProjectEvent,
    ProjectNote,
    ProjectYear,
    Proposal,
    ProposalAttachment,
    ProposalEvent,
    ProposalReminder,
    ProposalVersion,
    Review,
    ReviewEvent,
    Round,
    Score,
    Stage,
    StageEvent,
    Theme,
)


def _reviewers():
    return (
        get_user_model()
        .objects.filter(
            groups__name__in=[Role.COUNCIL_MEMBER.value, Role.WARD_OFFICIAL.value], is_active=True
        )
        .distinct()
        .order_by("family_name_kana", "given_name_kana", "pk")
    )


def _staff_link(url_name, pk, label):
    return format_html('<a href="{}">{}</a>', reverse(url_name, args=[pk]), label)


def _round_reviewed(round_) -> bool:
    """Once a reviewer has scored, the yardstick (criteria, points) must not move."""
    return round_ is not None and Review.objects.filter(stage__round=round_).exists()


# --- calls -----------------------------------------------------------------------------------


class ThemeInline(StackedInline):
    model = Theme
    extra = 0
    fields = [("order", "title", "title_en"), "department", "description"]


class CriterionInline(TabularInline):
    model = Criterion
    extra = 0
    fields = ["order", "name", "name_en", "description", "weight"]

    def get_readonly_fields(self, request, obj=None):
        return self.fields if _round_reviewed(obj) else []

    def has_add_permission(self, request, obj=None):
        return not _round_reviewed(obj) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not _round_reviewed(obj) and super().has_delete_permission(request, obj)


class StageInline(TabularInline):
    """Stages are opened and closed on the staff page (stage_open / stage_close)."""

    model = Stage
    extra = 0
    fields = [
        "number",
        "name",
        "name_en",
        "review_opens_on",
        "review_deadline",
        "status",
        "closed_at",
    ]
    readonly_fields = ["status", "closed_at"]

    def has_delete_permission(self, request, obj=None):
        # Deleting a stage would delete its reviews with it.
        return not _round_reviewed(obj) and super().has_delete_permission(request, obj)


@admin.register(Round)
class RoundAdmin(HistoryAdmin):
    list_display = [
        "title",
        "fiscal_year",
        "is_published",
        "call_opens_on",
        "submission_deadline",
        "proposal_count",
        "decisions_released_at",
        "staff_page",
    ]
    list_filter = ["fiscal_year", "is_published"]
    search_fields = ["title"]
    ordering = ["-fiscal_year", "-pk"]
    inlines = [ThemeInline, CriterionInline, StageInline]
    actions = ["add_default_criteria"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "fiscal_year",
                    "title",
                    "title_en",
                    "summary",
                    "is_published",
                    "staff_page",
                ]
            },
        ),
        (_("Guide"), {"fields": ["guide_text", "guide_file", "accepts_free_proposals"]}),
        (
            pgettext_lazy("call", "Dates"),
            {
                "fields": [
                    ("pre_consultation_from", "pre_consultation_until"),
                    ("call_opens_on", "submission_deadline"),
                    "decision_due_on",
                ]
            },
        ),
        (
            pgettext_lazy("proposals", "Review"),
            {"fields": ["chair", "max_points", "adoption_line", "hide_scores_until_submitted"]},
        ),
        (
            _("Release"),
            {"fields": ["decisions_released_at", "decisions_released_by", "created_at"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(proposal_total=Count("proposals"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "chair":  # the chair is a council member
            kwargs["queryset"] = (
                get_user_model()
                .objects.filter(groups__name=Role.COUNCIL_MEMBER.value, is_active=True)
                .order_by("family_name_kana", "given_name_kana", "pk")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_readonly_fields(self, request, obj=None):
        fields = ["decisions_released_at", "decisions_released_by", "created_at", "staff_page"]
        if _round_reviewed(obj):
            fields.append("max_points")
        return fields

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if not change:
            services.round_add_default_criteria(round_=form.instance)

    @admin.display(description=_("proposals"), ordering="proposal_total")
    def proposal_count(self, obj):
        return obj.proposal_total

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if obj.pk is None:
            return "—"
        return _staff_link(
            "proposals_staff:round", obj.pk, _("Stages, proposals and decisions on the staff page")
        )

    @admin.action(description=_("Add the 10 default criteria"), permissions=["change"])
    def add_default_criteria(self, request, queryset):
        added, skipped = 0, 0
        for round_ in queryset:
            if round_.criteria.exists():
                skipped += 1
                continue
            services.round_add_default_criteria(round_=round_)
            added += 1
        if added:
            self.message_user(
                request,
                ngettext(
                    "The default criteria were added to %(count)d call.",
                    "The default criteria were added to %(count)d calls.",
                    added,
                )
                % {"count": added},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d call already had criteria and was left as it was.",
                    "%(count)d calls already had criteria and were left as they were.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )


class StageEventInline(HistoryInline):
    model = StageEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


@admin.register(Stage)
class StageAdmin(HistoryAdmin):
    list_display = ["__str__", "number", "status", "review_opens_on", "review_deadline"]
    list_filter = ["status", "round"]
    list_select_related = ["round"]
    search_fields = ["name", "name_en", "round__title"]
    readonly_fields = ["status", "closed_at", "staff_page"]
    inlines = [StageEventInline]

    def has_delete_permission(self, request, obj=None):
        return (obj is None or not obj.reviews.exists()) and super().has_delete_permission(
            request, obj
        )

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if obj.pk is None:
            return "—"
        return _staff_link(
            "proposals_staff:round", obj.round_id, _("Open or close on the staff page")
        )


# --- reviewers -------------------------------------------------------------------------------


class ReviewerField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj} <{obj.email}>"


class AssignmentForm(forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["stage", "reviewer", "all_proposals", "proposals"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"] = ReviewerField(
            queryset=_reviewers(),
            label=Assignment._meta.get_field("reviewer").verbose_name,
            help_text=_("Council members and ward officials."),
        )
        self.fields["stage"].queryset = Stage.objects.select_related("round").order_by(
            "-round__fiscal_year", "round", "number"
        )
        self.fields["proposals"].queryset = (
            Proposal.objects.filter(number__isnull=False)
            .select_related("round")
            .order_by("-round__fiscal_year", "round", "number")
        )
        self.fields["proposals"].required = False

    def clean_reviewer(self):
        reviewer = self.cleaned_data["reviewer"]
        if not rules.can_be_reviewer(reviewer):
            raise forms.ValidationError(_("Only council members and ward officials can review."))
        return reviewer

    def clean(self):
        data = super().clean()
        stage, chosen = data.get("stage"), data.get("proposals")
        if data.get("all_proposals"):
            data["proposals"] = Proposal.objects.none()
        elif not chosen:
            self.add_error("proposals", _("Choose the proposals, or assign all of them."))
        elif stage is not None and any(p.round_id != stage.round_id for p in chosen):
            self.add_error("proposals", _("Choose proposals of the stage's call."))
        return data


@admin.register(Assignment)
class AssignmentAdmin(CheckboxManyMixin, HistoryAdmin):
    form = AssignmentForm
    list_display = ["reviewer", "stage", "all_proposals", "chosen"]
    list_filter = ["stage__round", "stage__number", "all_proposals"]
    list_select_related = ["reviewer", "stage__round"]
    search_fields = [
        "reviewer__family_name",
        "reviewer__given_name",
        "reviewer__family_name_kana",
        "reviewer__email",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(chosen_total=Count("proposals"))

    @admin.display(description=_("proposals chosen"), ordering="chosen_total")
    def chosen(self, obj):
        return "—" if obj.all_proposals else obj.chosen_total


# --- proposals -------------------------------------------------------------------------------


class BudgetLineInline(HistoryInline):
    model = BudgetLine
    fields = ["year", "category", "item", "amount", "borne_by"]


class AttachmentInline(HistoryInline):
    model = ProposalAttachment
    fields = ["download", "uploaded_by", "uploaded_at", "removed_at"]
    related = ("uploaded_by",)

    @admin.display(description=_("file"))
    def download(self, obj):
        url = reverse("proposals:attachment", args=[obj.proposal_id, obj.pk])
        return format_html('<a href="{}">{}</a>', url, obj.title)


class VersionInline(HistoryInline):
    model = ProposalVersion
    fields = ["number", "submitted_at", "submitted_by"]
    related = ("submitted_by",)


class ProposalEventInline(HistoryInline):
    model = ProposalEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


@admin.register(Proposal)
class ProposalAdmin(HistoryAdmin):
    """Shown, not edited: the organization writes it, staff act on it through the staff page
    (return, 事前相談, department, shortlist, decision)."""

    list_display = ["reference", "title", "organization", "round", "kind", "status", "staff_page"]
    list_display_links = ["reference", "title"]
    list_filter = ["round", "status", "kind"]
    list_select_related = ["round", "organization"]
    search_fields = ["title", "organization__name", "organization__name_kana"]
    ordering = ["-round__fiscal_year", "round", "number", "pk"]
    list_per_page = 50
    inlines = [BudgetLineInline, AttachmentInline, VersionInline, ProposalEventInline]
    readonly_fields = ["staff_page"]
    fieldsets = [
        (None, {"fields": ["staff_page", "round", "organization", "number", "status"]}),
        (
            _("The proposal"),
            {"fields": ["kind", "theme", "title", *services.TEXT_FIELDS[1:]]},
        ),
        (
            _("Handling"),
            {
                "fields": [
                    "department",
                    "department_official",
                    "pre_consultation_on",
                    "pre_consultation_case",
                    "resubmit_by",
                    "submitted_version",
                    "created_by",
                    "created_at",
                    "updated_at",
                ]
            },
        ),
    ]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        # A draft that was never submitted may go; anything reviewed stays on record.
        return (
            obj is not None
            and obj.status == ProposalStatus.DRAFT
            and obj.submitted_version_id is None
            and super().has_delete_permission(request, obj)
        )

    @admin.display(description=_("number"), ordering="number")
    def reference(self, obj):
        return obj.reference

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if obj.pk is None:
            return "—"
        return _staff_link("proposals_staff:proposal", obj.pk, _("Act on the staff page"))


@admin.register(Presentation)
class PresentationAdmin(HistoryAdmin):
    """Proposals are shortlisted (and taken off) on the staff page; the time and place can be
    corrected here."""

    list_display = ["proposal", "stage", "starts_at", "place"]
    list_filter = ["stage__round"]
    list_select_related = ["proposal__round", "stage__round"]
    search_fields = ["proposal__title", "proposal__organization__name"]
    readonly_fields = ["stage", "proposal"]
    fields = ["stage", "proposal", "starts_at", "place"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DecisionAdminForm(forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["outcome", "council_comment", "conditions"]

    def clean(self):
        # The same refusals as services.decision_prepare, shown on the form; the service
        # (called by save_model) checks them again under a lock.
        data = super().clean()
        proposal = self.instance.proposal
        if proposal.round.decisions_released:
            raise forms.ValidationError(_("The decisions of this call have been released."))
        if proposal.status not in IN_REVIEW_STATUSES:
            raise forms.ValidationError(_("Only a proposal in review can be decided."))
        return data


@admin.register(Decision)
class DecisionAdmin(HistoryAdmin):
    """Prepared on the staff page (decision_prepare); before the release it can be corrected
    here, through the same service; after the release it is on record and read-only."""

    form = DecisionAdminForm
    list_display = [
        "proposal",
        "outcome",
        "prepared_by",
        "prepared_at",
        "released_at",
        "notified_at",
    ]
    list_filter = ["outcome", "proposal__round", ("released_at", admin.EmptyFieldListFilter)]
    list_select_related = ["proposal__round", "prepared_by"]
    search_fields = ["proposal__title", "proposal__organization__name"]
    readonly_fields = [
        "proposal",
        "prepared_by",
        "prepared_at",
        "released_at",
        "letter",
        "notified_at",
    ]
    fields = [
        "proposal",
        "outcome",
        "council_comment",
        "conditions",
        "prepared_by",
        "prepared_at",
        "released_at",
        "letter",
        "notified_at",
    ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        if obj is not None and (obj.released_at or obj.proposal.round.decisions_released):
            return False
        return super().has_change_permission(request, obj)

    def save_model(self, request, obj, form, change):
        try:
            services.decision_prepare(
                proposal=obj.proposal,
                by=request.user,
                outcome=obj.outcome,
                council_comment=obj.council_comment,
                conditions=obj.conditions,
            )
        except DomainError as error:
            # Lost a race with the release or a status change: nothing was saved.
            self.message_user(request, error.message, messages.ERROR)
        obj.refresh_from_db()


# --- reviews: on record, never edited --------------------------------------------------------


class ScoreInline(HistoryInline):
    model = Score
    fields = ["criterion", "points", "comment"]
    related = ("criterion",)


class ReviewEventInline(HistoryInline):
    model = ReviewEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


@admin.register(Review)
class ReviewAdmin(AuditAdmin, HistoryAdmin):
    list_display = ["proposal", "stage", "reviewer", "status", "submitted_at"]
    list_filter = ["status", "stage__round", "stage__number"]
    list_select_related = ["proposal__round", "stage__round", "reviewer"]
    search_fields = ["proposal__title", "reviewer__family_name", "reviewer__email"]
    inlines = [ScoreInline, ReviewEventInline]


@admin.register(Score)
class ScoreAdmin(AuditAdmin):
    list_display = ["review", "criterion", "points"]
    list_filter = ["review__stage__round"]
    list_select_related = [
        "review__proposal__round",
        "review__stage__round",
        "review__reviewer",
        "criterion",
    ]
    search_fields = ["review__proposal__title", "review__reviewer__family_name"]


@admin.register(ConflictDeclaration)
class ConflictDeclarationAdmin(AuditAdmin, HistoryAdmin):
    list_display = ["proposal", "reviewer", "has_conflict", "declared_at"]
    list_filter = ["has_conflict", "proposal__round"]
    list_select_related = ["proposal__round", "reviewer"]
    search_fields = ["proposal__title", "reviewer__family_name", "reviewer__email"]


# --- projects --------------------------------------------------------------------------------


class ProjectNoteInline(StackedInline):
    model = ProjectNote
    extra = 0
    fields = [("held_on", "author"), "text"]
    readonly_fields = ["author"]


class ProjectYearInline(TabularInline):
    """Years start and get their verdicts on the staff page (project_start_year,
    project_verdict); the wording of a verdict can be corrected here."""

    model = ProjectYear
    extra = 0
    can_delete = False
    fields = ["year", "fiscal_year", "status", "verdict", "verdict_on", "verdict_text"]
    readonly_fields = ["year", "fiscal_year", "status", "verdict", "verdict_on"]

    def has_add_permission(self, request, obj=None):
        return False


class ProjectEventInline(HistoryInline):
    model = ProjectEvent
    fields = ["changed_at", "old_status", "new_status", "changed_by", "reason"]
    related = ("changed_by",)


@admin.register(Project)
class ProjectAdmin(HistoryAdmin):
    list_display = ["proposal", "organization", "status", "agreement_starts_on", "staff_page"]
    list_filter = ["status", "proposal__round"]
    list_select_related = ["proposal__round", "proposal__organization"]
    search_fields = ["proposal__title", "proposal__organization__name"]
    readonly_fields = ["proposal", "status", "agreement_file", "staff_page"]
    fields = [
        "staff_page",
        "proposal",
        "status",
        ("budget_passed_on", "budget_amount"),
        "agreement_file",
        ("agreement_signed_on", "agreement_starts_on", "agreement_ends_on"),
        "outcome_note",
    ]
    inlines = [ProjectNoteInline, ProjectYearInline, ProjectEventInline]

    def has_add_permission(self, request):
        return False  # a project is made when an adopted proposal's decision is released

    def has_delete_permission(self, request, obj=None):
        return False

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, ProjectNote) and instance.author_id is None:
                instance.author = request.user
            instance.save()
        for instance in formset.deleted_objects:
            instance.delete()
        formset.save_m2m()

    @admin.display(description=_("organization"), ordering="proposal__organization__name_kana")
    def organization(self, obj):
        return obj.proposal.organization

    @admin.display(description=_("staff page"))
    def staff_page(self, obj):
        if obj.pk is None:
            return "—"
        return _staff_link("proposals_staff:project", obj.pk, _("Act on the staff page"))


@admin.register(ProposalReminder)
class ProposalReminderAdmin(AuditAdmin):
    list_display = ["key", "email", "sent_at"]
    search_fields = ["key", "email"]
    date_hierarchy = "sent_at"
