"""Statuses and choices of the 協働事業評価."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class TargetSheetStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("targets", "Being agreed")
    CONFIRMED = "confirmed", pgettext_lazy("targets", "Confirmed")


class TargetKind(models.TextChoices):
    OUTCOME = "outcome", _("Outcome target")
    ACTIVITY = "activity", _("Activity indicator")
    BENEFICIARY = "beneficiary", _("Beneficiary evaluation target")


class Side(models.TextChoices):
    SELF = "self", pgettext_lazy("evaluation side", "Group (self-evaluation)")
    DEPARTMENT = "department", pgettext_lazy("evaluation side", "Department in charge")
    COUNCIL = "council", pgettext_lazy("evaluation side", "Council")


class Status(models.TextChoices):
    TARGETS = "targets", pgettext_lazy("evaluation", "Setting targets")
    WAITING = "waiting", pgettext_lazy("evaluation", "Targets confirmed; project running")
    SELF = "self", pgettext_lazy("evaluation", "Group's results and self-evaluation")
    DEPARTMENT = "department", pgettext_lazy("evaluation", "Department's evaluation")
    COUNCIL = "council", pgettext_lazy("evaluation", "Council's evaluation")
    DECIDED = "decided", pgettext_lazy("evaluation", "Verdict given")


TRANSITIONS = {
    Status.TARGETS: {Status.WAITING},
    Status.WAITING: {Status.SELF},
    Status.SELF: {Status.DEPARTMENT},
    Status.DEPARTMENT: {Status.COUNCIL},
    Status.COUNCIL: {Status.DECIDED},
}

# The order of the turns: each side scores while the evaluation is in its status.
ORDER = [
    Status.TARGETS,
    Status.WAITING,
    Status.SELF,
    Status.DEPARTMENT,
    Status.COUNCIL,
    Status.DECIDED,
]
TURN_OF_SIDE = {
    Side.SELF: Status.SELF,
    Side.DEPARTMENT: Status.DEPARTMENT,
    Side.COUNCIL: Status.COUNCIL,
}


def reached(status: str, step: str) -> bool:
    """True once ``status`` is at or past ``step`` in ORDER."""
    return ORDER.index(status) >= ORDER.index(step)


class SheetStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("sheet", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("sheet", "Submitted")


# The scale's labels (DOMAIN.md): 5 はるかに上回った … 1 はるかに低い.
SCALE = [
    (5, pgettext_lazy("scale", "Far above expectations")),
    (4, pgettext_lazy("scale", "Somewhat above expectations")),
    (3, pgettext_lazy("scale", "As expected")),
    (2, pgettext_lazy("scale", "Somewhat below expectations")),
    (1, pgettext_lazy("scale", "Far below expectations")),
]

# A new year's template starts with these items (DOMAIN.md), staff change them in the admin.
DEFAULT_ITEMS = [
    ("相乗効果", "Synergy", "協働したことで、単独では得られない効果が生まれたか。"),
    ("進捗", "Progress", "計画したスケジュールどおりに進んだか。"),
    (
        "協働という手法の妥当性",
        "Fitness of collaboration as the method",
        "協働の形態と相手は適切だったか。団体の強みが生かされたか。",
    ),
    ("受益者満足度", "Beneficiary satisfaction", "受益者評価の目標値に照らして満足が得られたか。"),
    ("成果と事業費の妥当性", "Outcomes for the cost", "事業費に見合う成果が得られたか。"),
    (
        "役割分担・対等性",
        "Roles and equal partnership",
        "役割分担は守られ、対等な関係で進められたか。",
    ),
]
