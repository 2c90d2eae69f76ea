"""The application's moves through the services: eligibility (each failing condition named),
drafts, submission before the deadline in Tokyo time with the declaration, the frozen version,
withdrawal; every move allowed and refused."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from kyodo.exceptions import DomainError
from kyodo.mail import OutboxMail
from subsidies import eligibility, services
from subsidies.enums import ApplicationStatus, Declaration
from subsidies.models import Application, ApplicationEvent
from tests.factories import MembershipFactory, OrganizationFactory
from tests.subsidies.conftest import (
    PLAN,
    TOKYO,
    draft,
    lines_of,
    make_programme,
    manager_of,
    submitted,
    with_papers,
)

pytestmark = pytest.mark.django_db


def _failure_codes(organization, programme):
    return [f.code for f in eligibility.failures(organization, programme, on=dt.date(2026, 9, 15))]


def test_a_registered_organization_with_its_papers_is_eligible(programme, organization):
    assert _failure_codes(organization, programme) == []


def test_an_expired_registration_is_named(programme):
    organization = with_papers(
        OrganizationFactory(status="expired", valid_until=dt.date(2026, 3, 31))
    )
    assert _failure_codes(organization, programme) == ["registration"]


def test_missing_rules_and_roster_are_named_each(programme):
    assert _failure_codes(OrganizationFactory(), programme) == ["rules", "roster"]


def test_two_consecutive_granted_years_bar_the_next_year(programme, organization):
    for year in (2025, 2026):
        past = make_programme(year)
        Application.objects.create(
            programme=past, organization=organization, title="t", status="granted"
        )
    failures = eligibility.failures(organization, programme, on=dt.date(2026, 9, 15))
    assert [f.code for f in failures] == ["consecutive"]
    assert "2 years in a row" in failures[0].message


def test_one_granted_year_or_a_gap_does_not_bar(programme, organization):
    Application.objects.create(
        programme=make_programme(2026), organization=organization, title="t", status="granted"
    )
    Application.objects.create(
        programme=make_programme(2024), organization=organization, title="t", status="granted"
    )
    assert _failure_codes(organization, programme) == []


def test_a_not_granted_year_does_not_count(programme, organization):
    for year, status in ((2025, "granted"), (2026, "not_granted")):
        Application.objects.create(
            programme=make_programme(year), organization=organization, title="t", status=status
        )
    assert _failure_codes(organization, programme) == []


def test_an_ineligible_organization_cannot_start_a_draft(programme):
    organization = OrganizationFactory()
    with pytest.raises(DomainError, match="rules or articles"):
        services.application_create(
            programme=programme, organization=organization, by=manager_of(organization), title="t"
        )


def test_a_member_who_is_no_manager_cannot_start_a_draft(programme, organization):
    member = MembershipFactory(organization=organization, role="member").user
    with pytest.raises(DomainError):
        services.application_create(
            programme=programme, organization=organization, by=member, title="t"
        )


def test_one_application_per_organization_and_programme(programme, organization):
    draft(programme, organization)
    with pytest.raises(DomainError, match="already has an application"):
        draft(programme, organization)


def test_after_withdrawal_a_new_application_may_be_started(programme, organization):
    first = draft(programme, organization)
    services.application_withdraw(application=first, by=manager_of(organization))
    assert draft(programme, organization).pk != first.pk


def test_a_draft_cannot_be_started_before_the_programme_opens():
    programme = make_programme(2028)  # opens 2027-08-05
    organization = with_papers(OrganizationFactory())
    with pytest.raises(DomainError, match="open on"):
        services.application_create(
            programme=programme, organization=organization, by=manager_of(organization), title="t"
        )


def test_the_project_must_lie_within_the_fiscal_year(programme, organization):
    application = draft(programme, organization)
    plan = {**PLAN, "ends_on": dt.date(2028, 4, 1)}
    with pytest.raises(DomainError, match="within the fiscal year"):
        services.application_update(
            application=application, by=manager_of(organization), data=plan, budget_lines=[]
        )


def test_a_category_of_another_programme_is_refused(programme, organization):
    application = draft(programme, organization)
    other = make_programme(2026)
    with pytest.raises(DomainError, match="cost categories"):
        services.application_update(
            application=application,
            by=manager_of(organization),
            data=PLAN,
            budget_lines=lines_of(other, ("Printing", "x", 1, 1000)),
        )


def test_the_amounts_follow_the_programme_and_say_why(programme, organization):
    application = draft(programme, organization)
    figures = services.amounts(application)
    assert figures["breakdown"].total_cost == 186_000
    assert figures["breakdown"].eligible == 101_000
    assert figures["breakdown"].amount == 50_000
    assert figures["breakdown"].limited_by == "rate"
    assert figures["own_share"] == 136_000


def test_submitting_freezes_a_version_with_amounts_and_declarations(programme, organization):
    application = submitted(programme, organization)
    application.refresh_from_db()
    assert application.status == ApplicationStatus.SUBMITTED
    assert application.number == 1
    assert application.reference == "S2027-001"
    assert application.requested_amount == 50_000
    assert sorted(application.declarations) == sorted(Declaration.values)
    version = application.submitted_version
    assert version.data["amounts"]["requested"] == 50_000
    assert [line["item"] for line in version.data["lines"]] == ["講師謝礼", "チラシ", "軽食"]
    assert version.data["fields"]["starts_on"] == "2027-06-01"
    assert ApplicationEvent.objects.filter(application=application, new_status="submitted").exists()
    assert OutboxMail.objects.filter(purpose="subsidies.submitted").count() == 1


def test_a_submitted_application_cannot_be_changed(programme, organization):
    application = submitted(programme, organization)
    with pytest.raises(DomainError, match="can no longer be changed"):
        services.application_update(
            application=application, by=manager_of(organization), data=PLAN, budget_lines=[]
        )


def test_submitting_twice_is_refused_and_sends_nothing_more(programme, organization):
    application = submitted(programme, organization)
    with pytest.raises(DomainError):
        services.application_submit(
            application=application,
            by=manager_of(organization),
            declarations=list(Declaration.values),
        )
    assert application.versions.count() == 1
    assert OutboxMail.objects.filter(purpose="subsidies.submitted").count() == 1


def test_submission_needs_every_declaration(programme, organization):
    application = draft(programme, organization)
    with pytest.raises(DomainError, match="Declare every condition"):
        services.application_submit(
            application=application,
            by=manager_of(organization),
            declarations=[Declaration.ACCOUNTS],
        )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.DRAFT


def test_submission_names_what_is_missing(programme, organization):
    application = draft(programme, organization, plan={**PLAN, "need": ""}, lines=())
    with pytest.raises(DomainError) as refused:
        services.application_submit(
            application=application,
            by=manager_of(organization),
            declarations=list(Declaration.values),
        )
    assert "the local need" in refused.value.message
    assert "the budget" in refused.value.message


def test_a_budget_of_only_ineligible_costs_cannot_be_submitted(programme, organization):
    application = draft(programme, organization, lines=(("Food", "軽食", 10, 1000),))
    with pytest.raises(DomainError, match="no amount to request"):
        services.application_submit(
            application=application,
            by=manager_of(organization),
            declarations=list(Declaration.values),
        )


def test_submission_checks_eligibility_again(programme, organization):
    application = draft(programme, organization)
    organization.documents.filter(kind="roster").delete()
    with pytest.raises(DomainError, match="list of members"):
        services.application_submit(
            application=application,
            by=manager_of(organization),
            declarations=list(Declaration.values),
        )


@pytest.mark.parametrize(
    ("moment", "accepted"),
    [
        (dt.datetime(2026, 10, 5, 23, 59, 59, tzinfo=TOKYO), True),
        (dt.datetime(2026, 10, 6, 0, 0, 0, tzinfo=TOKYO), False),
        # 2026-10-05 15:30 UTC is already 10-06 00:30 in Tokyo.
        (dt.datetime(2026, 10, 5, 15, 30, tzinfo=dt.UTC), False),
    ],
)
def test_the_deadline_is_the_last_second_of_the_day_in_tokyo(
    programme, organization, moment, accepted
):
    application = draft(programme, organization)
    with time_machine.travel(moment, tick=False):
        call = lambda: services.application_submit(  # noqa: E731
            application=application,
            by=manager_of(organization),
            declarations=list(Declaration.values),
        )
        if accepted:
            call()
        else:
            with pytest.raises(DomainError, match="deadline"):
                call()


def test_a_draft_is_withdrawn_without_a_mail(programme, organization):
    application = draft(programme, organization)
    services.application_withdraw(application=application, by=manager_of(organization))
    assert application.status == ApplicationStatus.WITHDRAWN
    assert not OutboxMail.objects.filter(purpose="subsidies.withdrawn").exists()


def test_a_submitted_application_is_withdrawn_with_a_mail(programme, organization):
    application = submitted(programme, organization)
    services.application_withdraw(
        application=application, by=manager_of(organization), reason="体制が整わない"
    )
    application.refresh_from_db()
    assert application.status == ApplicationStatus.WITHDRAWN
    assert OutboxMail.objects.filter(purpose="subsidies.withdrawn").count() == 1
    assert application.events.filter(new_status="withdrawn", reason="体制が整わない").exists()


@pytest.mark.parametrize("status", ["withdrawn", "granted", "not_granted"])
def test_withdrawal_is_refused_from_a_final_status(programme, organization, status):
    application = draft(programme, organization)
    Application.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()
    with pytest.raises(DomainError):
        services.application_withdraw(application=application, by=manager_of(organization))


def test_a_member_cannot_withdraw(programme, organization):
    application = draft(programme, organization)
    member = MembershipFactory(organization=organization, role="member").user
    with pytest.raises(DomainError):
        services.application_withdraw(application=application, by=member)


def test_the_mail_is_sent_after_the_commit(
    programme, organization, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        submitted(programme, organization)
    # The subject in the portal's language (Japanese unless the manager chose English).
    assert any(
        message.subject.endswith(("補助金の申請を受け付けました", "has been received"))
        for message in mail.outbox
    )
