"""協働事業提案: rounds (募集回) with their criteria and stages, proposals and their frozen
versions, the department's opinion, reviewers, conflict declarations, reviews and scores,
decisions, and the adopted project followed through its two years."""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from kyodo.dates import fiscal_year_label
from kyodo.localized import LocalizedNameMixin
from kyodo.models import StatusEvent
from kyodo.uploads import validate_document
from proposals.enums import (
    BorneBy,
    BudgetCategory,
    CollaborationForm,
    Feasibility,
    Outcome,
    ProjectStatus,
    ProposalKind,
    ProposalStatus,
    Verdict,
    YearStatus,
)
from reviewing.models import (
    AbstractConflictDeclaration,
    AbstractCriterion,
    AbstractReview,
    AbstractScore,
    AbstractStage,
    ReviewSettings,
)


def validate_new_upload(value):
    """The upload limits (size, type, content) for a file just uploaded — in the admin too;
    a file already stored is not read again on every save."""
    if getattr(value, "_committed", True):
        return
    validate_document(value)


def _file_path(instance, filename):
    # A random folder: the path gives nothing away; files are served only by views that check.
    return f"proposals/{secrets.token_hex(10)}/{filename}"


class Round(LocalizedNameMixin, ReviewSettings):
    """One call for proposals (募集回), for projects starting in ``fiscal_year``; its scoring
    settings (points per criterion, adoption line, hidden scores) are reviewing's."""

    fiscal_year = models.PositiveSmallIntegerField(
        _("fiscal year the projects start"),
        validators=[MinValueValidator(2000), MaxValueValidator(2100)],
    )
    title = models.CharField(pgettext_lazy("call", "title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    guide_text = models.TextField(
        _("start guide"),
        blank=True,
        help_text=_("Shown on the public page: how to prepare, whom to ask, what happens when."),
    )
    guide_file = models.FileField(
        _("guide file"),
        upload_to=_file_path,
        blank=True,
        max_length=300,
        validators=[validate_new_upload],
    )
    accepts_free_proposals = models.BooleanField(_("accepts free proposals"), default=True)
    is_published = models.BooleanField(
        _("published"),
        default=False,
        help_text=_("Show the call, its guide and criteria on the public page."),
    )
    pre_consultation_from = models.DateField(_("prior consultations from"))
    pre_consultation_until = models.DateField(_("prior consultations until"))
    call_opens_on = models.DateField(_("call opens on"))
    submission_deadline = models.DateField(
        _("submission deadline"),
        help_text=_("Proposals are accepted until 23:59:59 of this day, Tokyo time."),
    )
    decision_due_on = models.DateField(_("decision announced around"), null=True, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chair"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="chaired_rounds",
        help_text=_("The council member who chairs the review; sees the dashboard."),
    )
    decisions_released_at = models.DateTimeField(_("decisions released at"), null=True, blank=True)
    decisions_released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("decisions released by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year", "-pk"]
        verbose_name = _("call for proposals")
        verbose_name_plural = _("calls for proposals")
        constraints = [
            models.CheckConstraint(
                condition=Q(call_opens_on__lte=models.F("submission_deadline")),
                name="round_call_before_deadline",
            ),
            models.CheckConstraint(
                condition=Q(pre_consultation_from__lte=models.F("pre_consultation_until")),
                name="round_consultation_period_ordered",
            ),
        ]

    localized_field = "title"

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("proposals:round", args=[self.pk])

    @property
    def fiscal_year_label(self) -> str:
        return fiscal_year_label(self.fiscal_year)

    @property
    def decisions_released(self) -> bool:
        return self.decisions_released_at is not None


class Theme(LocalizedNameMixin, models.Model):
    """A 課題設定型 theme the ward sets for the round."""

    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="themes",
        verbose_name=_("call for proposals"),
    )
    title = models.CharField(pgettext_lazy("theme", "title"), max_length=200)
    title_en = models.CharField(_("title in English"), max_length=200, blank=True)
    description = models.TextField(_("description"), blank=True)
    department = models.CharField(_("department in charge"), max_length=100, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "order", "pk"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    localized_field = "title"

    def __str__(self):
        return self.display_name


class Criterion(AbstractCriterion):
    """A scoring criterion of the round: 0 to the round's points, times its weight."""

    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="criteria",
        verbose_name=_("call for proposals"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "order", "pk"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["round", "order"], name="criterion_order_unique"),
            models.CheckConstraint(condition=Q(weight__gt=0), name="criterion_weight_positive"),
        ]


class Stage(AbstractStage):
    """一次審査 (documents) or 二次審査 (presentation) of a round."""

    round = models.ForeignKey(
        Round,
        on_delete=models.CASCADE,
        related_name="stages",
        verbose_name=_("call for proposals"),
    )
    number = models.PositiveSmallIntegerField(
        _("stage"), validators=[MinValueValidator(1), MaxValueValidator(2)]
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "number"]
        verbose_name = _("review stage")
        verbose_name_plural = _("review stages")
        constraints = [
            models.UniqueConstraint(fields=["round", "number"], name="stage_number_unique"),
            models.CheckConstraint(
                condition=Q(review_opens_on__lte=models.F("review_deadline")),
                name="stage_dates_ordered",
            ),
        ]

    def __str__(self):
        return f"{self.round} — {self.display_name}"


class StageEvent(StatusEvent):
    stage = models.ForeignKey(
        Stage,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("review stage"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("stage event")
        verbose_name_plural = _("stage events")


class Proposal(models.Model):
    """A proposal following the 事業構築シート. The organization edits it while it is a draft or
    returned; each submission freezes a ProposalVersion, which is what reviewers see."""

    round = models.ForeignKey(
        Round,
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("call for proposals"),
    )
    organization = models.ForeignKey(
        "organizations.Organization",
        on_delete=models.PROTECT,
        related_name="proposals",
        verbose_name=_("organization"),
    )
    number = models.PositiveSmallIntegerField(_("number"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT
    )
    kind = models.CharField(
        pgettext_lazy("proposal", "type"), max_length=10, choices=ProposalKind.choices
    )
    theme = models.ForeignKey(
        Theme,
        verbose_name=_("theme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    title = models.CharField(_("project title"), max_length=200)
    issue = models.TextField(_("the local issue and its background"), blank=True)
    aims = models.TextField(_("aims of the project"), blank=True)
    outcome_target = models.TextField(_("outcome target"), blank=True)
    activity_indicator = models.TextField(_("activity indicators"), blank=True)
    beneficiary_target = models.TextField(_("beneficiary target"), blank=True)
    year1_activities = models.TextField(_("year 1: activities"), blank=True)
    year1_schedule = models.TextField(_("year 1: schedule"), blank=True)
    year2_activities = models.TextField(_("year 2: activities"), blank=True)
    year2_schedule = models.TextField(_("year 2: schedule"), blank=True)
    role_group = models.TextField(_("the group's part"), blank=True)
    role_ward = models.TextField(_("the ward's part"), blank=True)
    collaboration_form = models.CharField(
        _("form of collaboration"), max_length=20, choices=CollaborationForm.choices, blank=True
    )
    track_record = models.TextField(_("the group's track record"), blank=True)
    department = models.CharField(_("department in charge"), max_length=100, blank=True)
    department_official = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("department official"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals_to_give_opinion",
        help_text=_("The ward official who writes the department's opinion."),
    )
    pre_consultation_on = models.DateField(_("prior consultation on"), null=True, blank=True)
    pre_consultation_case = models.ForeignKey(
        "consultations.Case",
        verbose_name=_("prior consultation case"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    resubmit_by = models.DateField(
        _("resubmit by"),
        null=True,
        blank=True,
        help_text=_("Set when staff return the proposal: the new deadline (23:59:59 Tokyo)."),
    )
    submitted_version = models.ForeignKey(
        "ProposalVersion",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The latest frozen version, which reviewers see."),
        verbose_name=_("submitted version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["round", "number", "pk"]
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "number"],
                condition=Q(number__isnull=False),
                name="proposal_number_unique",
            ),
            models.CheckConstraint(
                condition=Q(kind=ProposalKind.FREE, theme__isnull=True)
                | Q(kind=ProposalKind.THEME, theme__isnull=False),
                name="proposal_theme_matches_kind",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    def get_absolute_url(self):
        return reverse("proposals:detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """2027-003: the fiscal year of the call and the number given at the first submission."""
        if self.number is None:
            return str(_("(draft)"))
        return f"{self.round.fiscal_year}-{self.number:03d}"


class BudgetLine(models.Model):
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="budget_lines",
        verbose_name=_("proposal"),
    )
    year = models.PositiveSmallIntegerField(
        _("project year"), choices=[(1, _("Year 1")), (2, _("Year 2"))]
    )
    category = models.CharField(_("category"), max_length=20, choices=BudgetCategory.choices)
    item = models.CharField(_("item and calculation"), max_length=200)
    amount = models.PositiveIntegerField(_("amount (yen)"))
    borne_by = models.CharField(
        _("borne by"), max_length=10, choices=BorneBy.choices, default=BorneBy.WARD
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["proposal", "year", "order", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return f"{self.item}: {self.amount}"

    # The names the frozen version's lines have too (selectors.version_view), so that one
    # template shows both.
    @property
    def category_label(self) -> str:
        return self.get_category_display()

    @property
    def borne_by_label(self) -> str:
        return self.get_borne_by_display()


class ProposalAttachment(models.Model):
    """A file attached to a proposal. One that belongs to a submitted version is never deleted,
    only marked removed, so the frozen version keeps its files."""

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="attachments",
        verbose_name=_("proposal"),
    )
    title = models.CharField(pgettext_lazy("attachment", "title"), max_length=200)
    file = models.FileField(_("file"), upload_to=_file_path, max_length=300)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)

    class Meta:
        ordering = ["proposal", "uploaded_at", "pk"]
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")

    def __str__(self):
        return self.title


class ProposalVersion(models.Model):
    """The proposal as submitted, frozen: its text, budget and list of attachments."""

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("proposal"),
    )
    number = models.PositiveSmallIntegerField(_("version"))
    data = models.JSONField(_("content"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), auto_now_add=True)

    class Meta:
        ordering = ["proposal", "number"]
        verbose_name = _("submitted version")
        verbose_name_plural = _("submitted versions")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "number"], name="version_number_unique")
        ]

    def __str__(self):
        return f"{self.proposal} v{self.number}"

    @property
    def attachment_ids(self) -> list[int]:
        return [a["id"] for a in self.data.get("attachments", [])]


class ProposalEvent(StatusEvent):
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("proposal"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("proposal event")
        verbose_name_plural = _("proposal events")


class DepartmentOpinion(models.Model):
    """The 所管課's opinion on feasibility, shown to reviewers beside the proposal once given."""

    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.CASCADE,
        related_name="opinion",
        verbose_name=_("proposal"),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    feasibility = models.CharField(_("feasibility"), max_length=20, choices=Feasibility.choices)
    text = models.TextField(_("opinion"))
    submitted_at = models.DateTimeField(_("given at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("department's opinion")
        verbose_name_plural = _("department's opinions")

    def __str__(self):
        return str(self.proposal)

    @property
    def is_submitted(self) -> bool:
        """Given to the reviewers (a draft has no date)."""
        return self.submitted_at is not None


class Presentation(models.Model):
    """A proposal taken into the second stage (the shortlist), with its presentation time."""

    stage = models.ForeignKey(
        Stage,
        on_delete=models.CASCADE,
        related_name="presentations",
        verbose_name=_("review stage"),
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="presentations",
        verbose_name=_("proposal"),
    )
    starts_at = models.DateTimeField(_("presentation starts at"), null=True, blank=True)
    place = models.CharField(_("place"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["stage", "starts_at", "pk"]
        verbose_name = _("presentation")
        verbose_name_plural = _("presentations")
        constraints = [
            models.UniqueConstraint(fields=["stage", "proposal"], name="presentation_once")
        ]

    def __str__(self):
        return f"{self.proposal} @ {self.starts_at}"


class Assignment(models.Model):
    """A reviewer (council member or ward official) assigned to a stage: all of its proposals,
    or the ones chosen."""

    stage = models.ForeignKey(
        Stage,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("review stage"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="review_assignments",
    )
    all_proposals = models.BooleanField(_("all proposals of the stage"), default=True)
    proposals = models.ManyToManyField(
        Proposal, verbose_name=_("proposals"), blank=True, related_name="+"
    )
    history = HistoricalRecords(m2m_fields=[proposals])

    class Meta:
        ordering = ["stage", "pk"]
        verbose_name = _("reviewer assignment")
        verbose_name_plural = _("reviewer assignments")
        constraints = [
            models.UniqueConstraint(fields=["stage", "reviewer"], name="assignment_once")
        ]

    def __str__(self):
        return f"{self.reviewer} — {self.stage}"


class ConflictDeclaration(AbstractConflictDeclaration):
    """A reviewer's declaration of 利害関係 for one proposal, valid for every stage of it.
    A declared conflict is final; "no conflict" may later become a conflict."""

    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        verbose_name=_("proposal"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="conflict_declarations",
        verbose_name=_("reviewer"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["proposal", "reviewer"]
        verbose_name = _("conflict of interest declaration")
        verbose_name_plural = _("conflict of interest declarations")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "reviewer"], name="declaration_once")
        ]

    def __str__(self):
        return f"{self.reviewer} / {self.proposal}: {self.has_conflict}"


class Review(AbstractReview):
    """One reviewer's score sheet for one proposal in one stage."""

    stage = models.ForeignKey(
        Stage,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("review stage"),
    )
    proposal = models.ForeignKey(
        Proposal,
        on_delete=models.CASCADE,
        related_name="reviews",
        verbose_name=_("proposal"),
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="proposal_reviews",
        verbose_name=_("reviewer"),
    )
    version = models.ForeignKey(
        ProposalVersion,
        verbose_name=_("version scored"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["stage", "proposal", "pk"]
        verbose_name = pgettext_lazy("scoring", "review")
        verbose_name_plural = pgettext_lazy("scoring", "reviews")
        constraints = [
            models.UniqueConstraint(
                fields=["stage", "proposal", "reviewer"], name="review_once_per_stage"
            )
        ]

    def __str__(self):
        return f"{self.reviewer} / {self.proposal} ({self.stage.display_name})"


class ReviewEvent(StatusEvent):
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=pgettext_lazy("scoring", "review"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("review event")
        verbose_name_plural = _("review events")


class Score(AbstractScore):
    review = models.ForeignKey(
        Review,
        on_delete=models.CASCADE,
        related_name="scores",
        verbose_name=pgettext_lazy("scoring", "review"),
    )
    criterion = models.ForeignKey(
        Criterion,
        on_delete=models.PROTECT,
        related_name="scores",
        verbose_name=_("criterion"),
    )

    class Meta:
        ordering = ["review", "criterion__order"]
        verbose_name = _("score")
        verbose_name_plural = _("scores")
        constraints = [
            models.UniqueConstraint(fields=["review", "criterion"], name="score_once"),
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__lte=10), name="score_points_range"
            ),
        ]


class Decision(models.Model):
    """The decision staff prepare from the council's deliberation; nobody outside staff sees
    it before the round's decisions are released."""

    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.CASCADE,
        related_name="decision",
        verbose_name=_("proposal"),
    )
    outcome = models.CharField(_("decision"), max_length=20, choices=Outcome.choices)
    council_comment = models.TextField(_("council's comment"), blank=True)
    conditions = models.TextField(
        _("conditions"), blank=True, help_text=_("Required for an adoption with conditions.")
    )
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("prepared by"),
    )
    prepared_at = models.DateTimeField(_("prepared at"), auto_now=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    letter = models.OneToOneField(
        "kyodo.GeneratedDocument",
        verbose_name=_("decision letter"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="proposal_decision",
    )
    notified_at = models.DateTimeField(_("group notified at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.ADOPTED_WITH_CONDITIONS) | ~Q(conditions=""),
                name="decision_conditions_given",
            )
        ]

    def __str__(self):
        return f"{self.proposal}: {self.get_outcome_display()}"


class Project(models.Model):
    """An adopted proposal after the decision: talks with the department, the budget, the
    agreement and the two project years, ending in 委託化 or 終了."""

    proposal = models.OneToOneField(
        Proposal,
        on_delete=models.PROTECT,
        related_name="project",
        verbose_name=_("proposal"),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProjectStatus.choices,
        default=ProjectStatus.CONSULTING,
    )
    budget_passed_on = models.DateField(_("budget passed on"), null=True, blank=True)
    budget_amount = models.PositiveIntegerField(_("budget passed (yen)"), null=True, blank=True)
    agreement_file = models.FileField(
        _("agreement"), upload_to=_file_path, blank=True, max_length=300
    )
    agreement_signed_on = models.DateField(_("agreement signed on"), null=True, blank=True)
    agreement_starts_on = models.DateField(_("agreement from"), null=True, blank=True)
    agreement_ends_on = models.DateField(_("agreement until"), null=True, blank=True)
    outcome_note = models.TextField(_("how it ended"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-proposal__round__fiscal_year", "pk"]
        verbose_name = _("collaboration project")
        verbose_name_plural = _("collaboration projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement_starts_on__isnull=True)
                | Q(agreement_ends_on__isnull=True)
                | Q(agreement_starts_on__lte=models.F("agreement_ends_on")),
                name="project_agreement_dates_ordered",
            )
        ]

    def __str__(self):
        return str(self.proposal)


class ProjectEvent(StatusEvent):
    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("project"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("project event")
        verbose_name_plural = _("project events")


class ProjectNote(models.Model):
    """A record of the talks (協議) with the department."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="notes",
        verbose_name=_("project"),
    )
    held_on = models.DateField(_("held on"))
    text = models.TextField(pgettext_lazy("project", "notes"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "held_on", "pk"]
        verbose_name = _("consultation note")
        verbose_name_plural = _("consultation notes")

    def __str__(self):
        return f"{self.project} {self.held_on}"


class ProjectYear(models.Model):
    """One of the two project years, with the council's verdict on it."""

    project = models.ForeignKey(
        Project,
        on_delete=models.CASCADE,
        related_name="years",
        verbose_name=_("project"),
    )
    year = models.PositiveSmallIntegerField(
        _("project year"), choices=[(1, _("Year 1")), (2, _("Year 2"))]
    )
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"))
    status = models.CharField(
        _("status"), max_length=20, choices=YearStatus.choices, default=YearStatus.PLANNED
    )
    verdict = models.CharField(
        _("council's verdict"), max_length=20, choices=Verdict.choices, blank=True
    )
    verdict_text = models.TextField(_("verdict in words"), blank=True)
    verdict_on = models.DateField(_("verdict given on"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["project", "year"]
        verbose_name = _("project year")
        verbose_name_plural = _("project years")
        constraints = [
            models.UniqueConstraint(fields=["project", "year"], name="project_year_once")
        ]

    def __str__(self):
        return f"{self.project} — {self.fiscal_year}"


class ProposalReminder(models.Model):
    """One row per reminder sent (the key names what and to whom): inserting it claims the
    reminder, so a second sweep or a retried task sends nothing."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("proposals", "reminder")
        verbose_name_plural = pgettext_lazy("proposals", "reminders")

    def __str__(self):
        return self.key


class StageSummary(models.Model):
    """A stage's summary PDF asked for by one reader (the chair or staff), made in the
    background: the lines hidden from that reader stay hidden in their copy."""

    stage = models.ForeignKey(
        Stage, verbose_name=_("stage"), on_delete=models.CASCADE, related_name="summaries"
    )
    document = models.OneToOneField(
        "kyodo.GeneratedDocument",
        verbose_name=_("document"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("stage summary")
        verbose_name_plural = _("stage summaries")

    def __str__(self):
        return f"{self.stage} ({self.created_at:%Y-%m-%d %H:%M})"
