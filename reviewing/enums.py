"""Statuses and transitions of the shared review machinery: a stage's scoring and a reviewer's
score sheet. The same for every pillar that reviews something."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StageStatus(models.TextChoices):
    PREPARING = "preparing", _("Preparing")
    OPEN = "open", _("Open for scoring")
    CLOSED = "closed", pgettext_lazy("review stage", "Closed")


STAGE_TRANSITIONS = {
    StageStatus.PREPARING: {StageStatus.OPEN},
    StageStatus.OPEN: {StageStatus.CLOSED},
    StageStatus.CLOSED: {StageStatus.OPEN},  # reopened by staff, e.g. a late reviewer
}


class ReviewStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("review", "Submitted")


REVIEW_TRANSITIONS = {
    ReviewStatus.DRAFT: {ReviewStatus.SUBMITTED},
    ReviewStatus.SUBMITTED: {
        ReviewStatus.DRAFT
    },  # re-opened by the reviewer while the stage is open
}

DEFAULT_MAX_POINTS = 5
DEFAULT_ADOPTION_LINE = 50
# The most points a criterion can be given in any call (the column's check constraint).
POINTS_LIMIT = 10
