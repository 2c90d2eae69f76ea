"""Who may apply to a programme: the conditions of DOMAIN.md the portal can check, each with
the message that says what fails. The others are declared by the applicant (enums.Declaration)
and stored with the submission."""

import datetime as dt
from dataclasses import dataclass

from django.utils.translation import gettext as _

from organizations.enums import DocumentKind
from subsidies.enums import ApplicationStatus


@dataclass(frozen=True)
class Failure:
    code: str
    message: str


def consecutive_years_subsidised(organization, fiscal_year: int) -> int:
    """In how many 年度 right before ``fiscal_year``, without a gap, the organization was
    granted the subsidy."""
    from subsidies.models import Application

    granted = set(
        Application.objects.filter(
            organization=organization,
            status=ApplicationStatus.GRANTED,
            programme__fiscal_year__lt=fiscal_year,
        ).values_list("programme__fiscal_year", flat=True)
    )
    years = 0
    while fiscal_year - years - 1 in granted:
        years += 1
    return years


def failures(organization, programme, *, on: dt.date) -> list[Failure]:
    """Every condition the portal knows that ``organization`` fails for ``programme`` (empty:
    it may apply). Four queries at most."""
    found = []
    if not organization.is_valid_on(on):
        found.append(
            Failure(
                "registration",
                _(
                    "The organization's registration with the center is not valid. Renew it"
                    " (or wait for its approval) before applying."
                ),
            )
        )
    kinds = set(organization.documents.values_list("kind", flat=True))
    if DocumentKind.RULES not in kinds:
        found.append(
            Failure(
                "rules",
                _(
                    "The organization's rules or articles of association are not on file:"
                    " upload them first."
                ),
            )
        )
    if DocumentKind.ROSTER not in kinds:
        found.append(
            Failure(
                "roster",
                _("The organization's list of members is not on file: upload it first."),
            )
        )
    years = consecutive_years_subsidised(organization, programme.fiscal_year)
    if years >= programme.max_consecutive_years:
        found.append(
            Failure(
                "consecutive",
                _(
                    "The organization was subsidised in the last %(years)s years in a row, the"
                    " most the programme allows: it may apply again after a year's pause."
                )
                % {"years": years},
            )
        )
    return found
