"""Statuses, transitions and defaults of 社会貢献活動事業補助金 (DOMAIN.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

# The defaults a new programme starts from ([D] in DOMAIN.md); staff change them per 年度.
DEFAULT_RATE = (1, 2)
DEFAULT_CAP = 300_000
DEFAULT_ROUNDING_UNIT = 1_000
DEFAULT_MAX_CONSECUTIVE_YEARS = 2
DEFAULT_REPORT_DUE_DAYS = 30


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("subsidy application", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("subsidy application", "Submitted")
    WITHDRAWN = "withdrawn", pgettext_lazy("subsidy application", "Withdrawn")
    # The outcome of the review (交付決定 / 不交付); set by the decision of the review stage.
    GRANTED = "granted", _("Granted")
    NOT_GRANTED = "not_granted", _("Not granted")


# The moves of the application: the organization submits and withdraws; the release of the
# programme's decisions grants or refuses.
APPLICATION_TRANSITIONS = {
    ApplicationStatus.DRAFT: {ApplicationStatus.SUBMITTED, ApplicationStatus.WITHDRAWN},
    ApplicationStatus.SUBMITTED: {
        ApplicationStatus.WITHDRAWN,
        ApplicationStatus.GRANTED,
        ApplicationStatus.NOT_GRANTED,
    },
    ApplicationStatus.WITHDRAWN: set(),
    ApplicationStatus.GRANTED: set(),
    ApplicationStatus.NOT_GRANTED: set(),
}

EDITABLE_STATUSES = frozenset({ApplicationStatus.DRAFT})
# An application that takes the organization's one place in a programme.
ACTIVE_STATUSES = frozenset(
    {ApplicationStatus.DRAFT, ApplicationStatus.SUBMITTED, ApplicationStatus.GRANTED}
)


class Outcome(models.TextChoices):
    GRANTED = "granted", _("Grant")  # 交付
    NOT_GRANTED = "not_granted", _("No grant")  # 不交付


class Declaration(models.TextChoices):
    """The conditions of eligibility the portal cannot check: the applicant declares them, and
    the declaration is stored with the submission."""

    ACCOUNTS = "accounts", _("The organization keeps a proper budget and accounts.")
    RESPONSIBLE = (
        "responsible",
        _("The organization has an identifiable person responsible and a contact person."),
    )
    NOT_RELIGIOUS_POLITICAL = (
        "not_religious_political",
        _("The organization's purpose is neither religious nor political."),
    )
    NO_ELECTIONS = (
        "no_elections",
        _("The organization does not support or oppose candidates for public office or parties."),
    )
    NO_GANGS = (
        "no_gangs",
        _("The organization is not an organized crime group and is not controlled by one."),
    )
