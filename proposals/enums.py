"""Statuses, transitions and choices of 協働事業提案 (DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The review's statuses and defaults are the shared machinery's (reviewing/); named here too
# because the pillar's code and tests read them from proposals.enums.
from reviewing.enums import (  # noqa: F401
    DEFAULT_ADOPTION_LINE,
    DEFAULT_MAX_POINTS,
    REVIEW_TRANSITIONS,
    STAGE_TRANSITIONS,
    ReviewStatus,
    StageStatus,
)


class ProposalKind(models.TextChoices):
    THEME = "theme", _("Theme set by the ward")
    FREE = "free", _("Free proposal")


class CollaborationForm(models.TextChoices):
    """The forms of collaboration of Tokyo's guideline."""

    CO_HOSTING = "co_hosting", pgettext_lazy("collaboration form", "Co-hosting")
    COMMITTEE = "committee", pgettext_lazy("collaboration form", "Executive committee or council")
    COOPERATION = "cooperation", pgettext_lazy("collaboration form", "Project cooperation")
    COMMISSION = "commission", pgettext_lazy("collaboration form", "Commission")
    INFORMATION = "information", pgettext_lazy("collaboration form", "Information sharing")


class BudgetCategory(models.TextChoices):
    FEES = "fees", pgettext_lazy("budget", "Fees and honoraria")
    PERSONNEL = "personnel", pgettext_lazy("budget", "Personnel")
    PRINTING = "printing", pgettext_lazy("budget", "Printing")
    VENUE = "venue", pgettext_lazy("budget", "Venue")
    SUPPLIES = "supplies", pgettext_lazy("budget", "Supplies")
    TRANSPORT = "transport", pgettext_lazy("budget", "Transport")
    COMMUNICATION = "communication", pgettext_lazy("budget", "Postage and communication")
    OUTSOURCING = "outsourcing", pgettext_lazy("budget", "Outsourcing")
    OTHER = "other", pgettext_lazy("budget", "Other")


class BorneBy(models.TextChoices):
    WARD = "ward", pgettext_lazy("borne by", "Ward")
    GROUP = "group", pgettext_lazy("borne by", "Group")


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", pgettext_lazy("proposal", "Submitted")
    RETURNED = "returned", _("Returned for changes")
    WITHDRAWN = "withdrawn", pgettext_lazy("proposal", "Withdrawn")
    SHORTLISTED = "shortlisted", _("Shortlisted for the presentation")
    ADOPTED = "adopted", _("Adopted")
    ADOPTED_WITH_CONDITIONS = "adopted_conditions", _("Adopted with conditions")
    NOT_ADOPTED = "not_adopted", _("Not adopted")


PROPOSAL_TRANSITIONS = {
    ProposalStatus.DRAFT: {ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN},
    ProposalStatus.SUBMITTED: {
        ProposalStatus.RETURNED,
        ProposalStatus.WITHDRAWN,
        ProposalStatus.SHORTLISTED,
        # A call with one stage decides on the submitted proposals directly; with a second
        # stage decision_prepare adopts only shortlisted ones.
        ProposalStatus.ADOPTED,
        ProposalStatus.ADOPTED_WITH_CONDITIONS,
        ProposalStatus.NOT_ADOPTED,
    },
    ProposalStatus.RETURNED: {ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN},
    ProposalStatus.SHORTLISTED: {
        ProposalStatus.SUBMITTED,  # staff take it off the shortlist again
        ProposalStatus.WITHDRAWN,
        ProposalStatus.ADOPTED,
        ProposalStatus.ADOPTED_WITH_CONDITIONS,
        ProposalStatus.NOT_ADOPTED,
    },
    ProposalStatus.WITHDRAWN: set(),
    ProposalStatus.ADOPTED: set(),
    ProposalStatus.ADOPTED_WITH_CONDITIONS: set(),
    ProposalStatus.NOT_ADOPTED: set(),
}

# The organization may change the proposal's text only in these.
EDITABLE_STATUSES = frozenset({ProposalStatus.DRAFT, ProposalStatus.RETURNED})
# Submitted and under review or decided: what reviewers look at.
IN_REVIEW_STATUSES = frozenset({ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED})
DECIDED_STATUSES = frozenset(
    {
        ProposalStatus.ADOPTED,
        ProposalStatus.ADOPTED_WITH_CONDITIONS,
        ProposalStatus.NOT_ADOPTED,
    }
)
ADOPTED_STATUSES = frozenset({ProposalStatus.ADOPTED, ProposalStatus.ADOPTED_WITH_CONDITIONS})


class Outcome(models.TextChoices):
    """The decision staff prepare and release; it becomes the proposal's status on release."""

    ADOPTED = ProposalStatus.ADOPTED.value, _("Adopted")
    ADOPTED_WITH_CONDITIONS = (
        ProposalStatus.ADOPTED_WITH_CONDITIONS.value,
        _("Adopted with conditions"),
    )
    NOT_ADOPTED = ProposalStatus.NOT_ADOPTED.value, _("Not adopted")


class Feasibility(models.TextChoices):
    """The 所管課's view of whether the ward can carry its part."""

    FEASIBLE = "feasible", _("Feasible")
    WITH_CHANGES = "with_changes", _("Feasible with changes")
    DIFFICULT = "difficult", _("Difficult")


class ProjectStatus(models.TextChoices):
    """An adopted proposal on its way to 協定 and the two years of the project."""

    CONSULTING = "consulting", pgettext_lazy("project", "Consulting with the department")
    BUDGETED = "budgeted", pgettext_lazy("project", "Budget passed")
    AGREED = "agreed", pgettext_lazy("project", "Agreement signed")
    RUNNING = "running", pgettext_lazy("project", "Running")
    COMMISSIONED = "commissioned", pgettext_lazy("project", "Commissioned")
    ENDED = "ended", pgettext_lazy("project", "Ended")


PROJECT_TRANSITIONS = {
    ProjectStatus.CONSULTING: {ProjectStatus.BUDGETED, ProjectStatus.ENDED},
    ProjectStatus.BUDGETED: {ProjectStatus.AGREED, ProjectStatus.ENDED},
    ProjectStatus.AGREED: {ProjectStatus.RUNNING, ProjectStatus.ENDED},
    ProjectStatus.RUNNING: {ProjectStatus.COMMISSIONED, ProjectStatus.ENDED},
    ProjectStatus.COMMISSIONED: set(),
    ProjectStatus.ENDED: set(),
}


class Verdict(models.TextChoices):
    """The council's verdict on a project year."""

    CONTINUE = "continue", pgettext_lazy("verdict", "Continue")
    CONTINUE_WITH_CHANGES = "continue_changes", pgettext_lazy("verdict", "Continue with changes")
    END = "end", pgettext_lazy("verdict", "End")


class YearStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")


# The 10 criteria of DOMAIN.md, added to every new round (staff change them in the admin).
DEFAULT_CRITERIA = [
    ("公益性", "Public benefit", "地域や区民にとって公益性の高い事業か。"),
    ("目的の一致", "Shared aim", "団体と区の事業目的が一致しているか。"),
    ("役割分担・対等性", "Roles and equality", "役割分担が明確で、対等な関係で取り組めるか。"),
    ("予算の妥当性", "Sound budget", "事業費の積算は妥当か。"),
    ("具体性", "Concreteness", "事業内容・スケジュールが具体的で実現可能か。"),
    ("団体の遂行能力", "Capacity", "団体に事業を遂行する能力・実績があるか。"),
    ("先駆性", "Pioneering", "新しい発想や手法を取り入れているか。"),
    ("協働の相乗効果", "Synergy", "協働することで単独より高い効果が見込めるか。"),
    ("効果の範囲", "Reach", "事業の効果が広く区民に及ぶか。"),
    ("継続・自立性", "Continuity", "事業終了後も継続・自立が見込めるか。"),
]
