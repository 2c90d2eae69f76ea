"""協働事業評価: the targets and results of a project (a structure any pillar attaches to its
own projects through a generic subject), the check-sheet template per 年度, the evaluation of
a collaboration project year with the three sides' sheets, and the public report per 年度."""

import secrets

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords

from evaluations.arithmetic import COMMENT_REQUIRED_UP_TO, DEFAULT_WEIGHTS, MAX_POINTS, MIN_POINTS
from evaluations.enums import SCALE, SheetStatus, Side, Status, TargetKind, TargetSheetStatus
from kyodo.dates import fiscal_year_label
from kyodo.localized import LocalizedNameMixin
from kyodo.models import StatusEvent
from kyodo.uploads import validate_document


def validate_new_upload(value):
    if getattr(value, "_committed", True):
        return
    validate_document(value)


def _evidence_path(instance, filename):
    # A random folder: the path gives nothing away; files are served only by views that check.
    return f"evaluations/{secrets.token_hex(10)}/{filename}"


# --- targets and results (shared: see targets.py) ----------------------------------------------


class TargetSheet(models.Model):
    """The targets agreed before a project starts, and the results against them. Its subject
    is the project (year) of whichever pillar: a collaboration project year here, a subsidy
    project in the subsidies pillar. Frozen once staff confirm it."""

    subject_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("kind of subject")
    )
    subject_id = models.PositiveBigIntegerField(_("subject number"))
    subject = GenericForeignKey("subject_type", "subject_id")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TargetSheetStatus.choices,
        default=TargetSheetStatus.DRAFT,
    )
    beneficiary_unmeasured_reason = models.TextField(
        _("why beneficiary satisfaction cannot be measured"), blank=True
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("confirmed by"),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("targets and results")
        verbose_name_plural = _("targets and results")
        constraints = [
            models.UniqueConstraint(
                fields=["subject_type", "subject_id"], name="target_sheet_once_per_subject"
            ),
            models.CheckConstraint(
                condition=Q(status=TargetSheetStatus.DRAFT) | Q(confirmed_at__isnull=False),
                name="target_sheet_confirmed_has_date",
            ),
        ]

    def __str__(self):
        return f"{self.subject_type.model} {self.subject_id}"

    @property
    def is_frozen(self) -> bool:
        return self.status == TargetSheetStatus.CONFIRMED


class Target(models.Model):
    """One target: an outcome (indicator, value, unit), an activity (target group, value,
    unit) or the beneficiaries' evaluation (how it is measured, value, unit); and the result."""

    sheet = models.ForeignKey(
        TargetSheet, on_delete=models.CASCADE, related_name="targets", verbose_name=_("targets")
    )
    kind = models.CharField(
        pgettext_lazy("target", "kind"), max_length=20, choices=TargetKind.choices
    )
    order = models.PositiveSmallIntegerField(_("order"), default=1)
    title = models.CharField(_("what is aimed at"), max_length=300)
    indicator = models.CharField(
        _("indicator, target group or method"),
        max_length=300,
        blank=True,
        help_text=_(
            "Outcome: the indicator. Activity: who it is for. Beneficiaries: how satisfaction "
            "is measured."
        ),
    )
    target_value = models.DecimalField(
        _("target value"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    unit = models.CharField(pgettext_lazy("measure", "unit"), max_length=30, blank=True)
    result_value = models.DecimalField(
        _("result"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    result_note = models.TextField(_("about the result"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "kind", "order", "pk"]
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_value__isnull=True) | Q(target_value__gte=0),
                name="target_value_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(result_value__isnull=True) | Q(result_value__gte=0),
                name="target_result_not_negative",
            ),
        ]

    def __str__(self):
        return self.title


class ResultEvidence(models.Model):
    """A file backing the results (a survey's tally, a list of participants, photos)."""

    sheet = models.ForeignKey(
        TargetSheet,
        on_delete=models.CASCADE,
        related_name="evidence",
        verbose_name=_("targets"),
    )
    file = models.FileField(
        _("file"), upload_to=_evidence_path, max_length=300, validators=[validate_new_upload]
    )
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["sheet", "pk"]
        verbose_name = _("evidence of results")
        verbose_name_plural = _("evidence of results")

    def __str__(self):
        return self.name


# --- the check sheet ----------------------------------------------------------------------------


class SheetTemplate(models.Model):
    """The check sheet of one 年度: its items (TemplateItem), the weights of the three sides
    and whether each side sees the earlier sides' sheets when its turn opens."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    weight_self = models.PositiveSmallIntegerField(
        _("weight of the group's self-evaluation"), default=DEFAULT_WEIGHTS["self"]
    )
    weight_department = models.PositiveSmallIntegerField(
        _("weight of the department's evaluation"), default=DEFAULT_WEIGHTS["department"]
    )
    weight_council = models.PositiveSmallIntegerField(
        _("weight of the council's evaluation"), default=DEFAULT_WEIGHTS["council"]
    )
    show_earlier_sheets = models.BooleanField(
        _("each side sees the earlier sides' sheets when its turn opens"),
        default=True,
        help_text=_("Off: the sheets of the other sides are shown only with the verdict."),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("check sheet template")
        verbose_name_plural = _("check sheet templates")
        constraints = [
            models.CheckConstraint(
                condition=Q(weight_self__gt=0)
                | Q(weight_department__gt=0)
                | Q(weight_council__gt=0),
                name="sheet_template_some_weight",
            )
        ]

    def __str__(self):
        return str(fiscal_year_label(self.fiscal_year))

    @property
    def weights(self) -> dict[str, int]:
        return {
            Side.SELF: self.weight_self,
            Side.DEPARTMENT: self.weight_department,
            Side.COUNCIL: self.weight_council,
        }


class TemplateItem(LocalizedNameMixin, models.Model):
    template = models.ForeignKey(
        SheetTemplate,
        on_delete=models.CASCADE,
        related_name="items",
        verbose_name=_("check sheet template"),
    )
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    description = models.TextField(_("what to look at"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["template", "order", "pk"]
        verbose_name = _("check sheet item")
        verbose_name_plural = _("check sheet items")
        constraints = [
            models.UniqueConstraint(fields=["template", "order"], name="template_item_order_unique")
        ]

    def __str__(self):
        return self.display_name


# --- the evaluation of a project year -----------------------------------------------------------


class Evaluation(models.Model):
    """The evaluation of one collaboration project year. The verdict it leads to is kept once,
    on the project year (proposals.ProjectYear.verdict, verdict_text, verdict_on)."""

    project_year = models.OneToOneField(
        "proposals.ProjectYear",
        on_delete=models.PROTECT,
        related_name="evaluation",
        verbose_name=_("project year"),
    )
    template = models.ForeignKey(
        SheetTemplate,
        on_delete=models.PROTECT,
        related_name="evaluations",
        verbose_name=_("check sheet template"),
    )
    targets = models.OneToOneField(
        TargetSheet,
        on_delete=models.PROTECT,
        related_name="evaluation",
        verbose_name=_("targets and results"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.TARGETS
    )
    self_due = models.DateField(_("self-evaluation due"), null=True, blank=True)
    department_due = models.DateField(_("department's evaluation due"), null=True, blank=True)
    council_due = models.DateField(_("council's evaluation due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-project_year__fiscal_year", "pk"]
        verbose_name = _("project evaluation")
        verbose_name_plural = _("project evaluations")

    def __str__(self):
        return str(self.project_year)

    def get_absolute_url(self):
        return reverse("evaluations:detail", args=[self.pk])


class EvaluationEvent(StatusEvent):
    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="events",
        verbose_name=_("project evaluation"),
    )

    class Meta(StatusEvent.Meta):
        verbose_name = _("evaluation event")
        verbose_name_plural = _("evaluation events")


class CouncilAssignment(models.Model):
    """A council member who evaluates the project year."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="assignments",
        verbose_name=_("project evaluation"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="evaluation_assignments",
        verbose_name=_("council member"),
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "pk"]
        verbose_name = _("council member assigned")
        verbose_name_plural = _("council members assigned")
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "member"], name="evaluation_member_once")
        ]

    def __str__(self):
        return f"{self.member} — {self.evaluation}"


class Sheet(models.Model):
    """One side's check sheet: the group's and the department's (one each), or a council
    member's (one per member)."""

    evaluation = models.ForeignKey(
        Evaluation,
        on_delete=models.CASCADE,
        related_name="sheets",
        verbose_name=_("project evaluation"),
    )
    side = models.CharField(
        pgettext_lazy("evaluation", "side"), max_length=20, choices=Side.choices
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="evaluation_sheets",
        verbose_name=_("author"),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SheetStatus.choices, default=SheetStatus.DRAFT
    )
    went_well = models.TextField(_("what went well"), blank=True)
    issues = models.TextField(_("issues"), blank=True)
    improvements = models.TextField(_("improvements"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["evaluation", "side", "pk"]
        verbose_name = _("check sheet")
        verbose_name_plural = _("check sheets")
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "side"],
                condition=~Q(side=Side.COUNCIL),
                name="sheet_once_per_side",
            ),
            models.UniqueConstraint(
                fields=["evaluation", "author"],
                condition=Q(side=Side.COUNCIL),
                name="council_sheet_once_per_member",
            ),
        ]

    def __str__(self):
        return f"{self.evaluation} — {self.get_side_display()}"


class SheetScore(models.Model):
    sheet = models.ForeignKey(
        Sheet, on_delete=models.CASCADE, related_name="scores", verbose_name=_("check sheet")
    )
    item = models.ForeignKey(
        TemplateItem, on_delete=models.PROTECT, related_name="+", verbose_name=_("item")
    )
    points = models.PositiveSmallIntegerField(
        _("score"),
        choices=SCALE,
        validators=[MinValueValidator(MIN_POINTS), MaxValueValidator(MAX_POINTS)],
    )
    comment = models.TextField(_("comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["sheet", "item__order"]
        verbose_name = pgettext_lazy("evaluation", "score")
        verbose_name_plural = pgettext_lazy("evaluation", "scores")
        constraints = [
            models.UniqueConstraint(fields=["sheet", "item"], name="sheet_score_once"),
            models.CheckConstraint(
                condition=Q(points__gte=MIN_POINTS) & Q(points__lte=MAX_POINTS),
                name="sheet_score_on_scale",
            ),
            models.CheckConstraint(
                condition=Q(points__gt=COMMENT_REQUIRED_UP_TO) | ~Q(comment=""),
                name="sheet_score_low_needs_comment",
            ),
        ]

    def __str__(self):
        return f"{self.item}: {self.points}"


# --- the public report and reminders ------------------------------------------------------------


class EvaluationReport(models.Model):
    """The public 協働事業評価結果 of one 年度: published by staff once, with its PDF."""

    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year"), unique=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("published by"),
    )
    document = models.OneToOneField(
        "kyodo.GeneratedDocument",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("document"),
    )

    class Meta:
        ordering = ["-fiscal_year"]
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")

    def __str__(self):
        return str(fiscal_year_label(self.fiscal_year))

    def get_absolute_url(self):
        return reverse("evaluations:report", args=[self.pk])


class EvaluationReminder(models.Model):
    """One row per reminder sent (the key names what and to whom): inserting it claims the
    reminder, so a second sweep or a retried task sends nothing."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    email = models.EmailField(_("e-mail"))
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = pgettext_lazy("evaluations", "reminder")
        verbose_name_plural = pgettext_lazy("evaluations", "reminders")

    def __str__(self):
        return self.key
