"""The abstract models of the shared review machinery. They hold the fields and behaviour
every review has; a pillar subclasses them and adds the relations that name its own tables:

- ``Criterion``: ``<container>`` (FK to the call or programme);
- ``Stage``: ``<container>``; its ``StageEvent`` (a kyodo.models.StatusEvent) has ``stage``;
- ``Assignment``: ``stage``, ``reviewer``, and the subjects it covers (a boolean "all of the
  stage" and a many-to-many to the subject; their names are given in the ReviewKit);
- ``ConflictDeclaration``: ``<subject>``, ``reviewer`` (one per pair);
- ``Review``: ``stage``, ``<subject>``, ``reviewer``; its ``ReviewEvent`` has ``review``;
- ``Score``: ``review``, ``criterion`` (one per pair).

The container (the thing criteria and stages belong to) subclasses ReviewSettings. No table
is created here; see the README ("Architecture", the shared review machinery)."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kyodo.localized import LocalizedNameMixin
from reviewing.enums import (
    DEFAULT_ADOPTION_LINE,
    DEFAULT_MAX_POINTS,
    POINTS_LIMIT,
    ReviewStatus,
    StageStatus,
)


class ReviewSettings(models.Model):
    """What the container of a review (a call for proposals, a subsidy programme) sets for
    its scoring. The container also offers ``chair_id`` (a nullable FK to the user who chairs
    the review, or a property giving None) and ``decisions_released`` (a boolean property)."""

    max_points = models.PositiveSmallIntegerField(
        _("points per criterion"),
        default=DEFAULT_MAX_POINTS,
        validators=[MinValueValidator(1), MaxValueValidator(POINTS_LIMIT)],
    )
    adoption_line = models.DecimalField(
        _("adoption line (of 100)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal(DEFAULT_ADOPTION_LINE),
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    hide_scores_until_submitted = models.BooleanField(
        _("hide others' scores until one's own is submitted"), default=True
    )

    class Meta:
        abstract = True


class AbstractCriterion(LocalizedNameMixin, models.Model):
    """A scoring criterion: 0 to the container's points, times its weight."""

    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    description = models.TextField(_("what to look at"), blank=True)
    weight = models.DecimalField(
        _("weight"),
        max_digits=4,
        decimal_places=2,
        default=Decimal(1),
        validators=[MinValueValidator(Decimal("0.01"))],
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(weight__gt=0), name="%(app_label)s_%(class)s_weight_positive"
            ),
        ]

    def __str__(self):
        return self.display_name


class AbstractStage(LocalizedNameMixin, models.Model):
    """A round of scoring (書類審査, プレゼン…) with its dates and status."""

    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("name in English"), max_length=100, blank=True)
    review_opens_on = models.DateField(_("scoring opens on"))
    review_deadline = models.DateField(
        _("scoring deadline"), help_text=_("Reviewers are reminded 3 days and 1 day before.")
    )
    status = models.CharField(
        _("status"), max_length=20, choices=StageStatus.choices, default=StageStatus.PREPARING
    )
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(review_opens_on__lte=models.F("review_deadline")),
                name="%(app_label)s_%(class)s_dates_ordered",
            ),
        ]

    @property
    def is_open(self) -> bool:
        return self.status == StageStatus.OPEN


class AbstractConflictDeclaration(models.Model):
    """A reviewer's declaration of 利害関係 for one subject, valid for every stage of it.
    A declared conflict is final; "no conflict" may later become a conflict."""

    has_conflict = models.BooleanField(_("has a conflict of interest"))
    note = models.TextField(_("note"), blank=True)
    declared_at = models.DateTimeField(_("declared at"), auto_now=True)

    class Meta:
        abstract = True


class AbstractReview(models.Model):
    """One reviewer's score sheet for one subject in one stage."""

    status = models.CharField(
        _("status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    overall_comment = models.TextField(_("overall comment"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    @property
    def is_submitted(self) -> bool:
        return self.status == ReviewStatus.SUBMITTED


class AbstractScore(models.Model):
    """The points (None while the sheet is a draft) and comment for one criterion."""

    points = models.PositiveSmallIntegerField(_("points"), null=True, blank=True)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(points__isnull=True) | Q(points__lte=POINTS_LIMIT),
                name="%(app_label)s_%(class)s_points_range",
            ),
        ]

    def __str__(self):
        return f"{self.criterion}: {self.points}"
