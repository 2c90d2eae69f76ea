"""The proposal's life as its organization lives it: drafts, the deadline in Tokyo time, the
required 事前相談, submission and the frozen version, withdrawal, and staff returning it."""

import datetime as dt
import itertools
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from consultations import services as consultation_services
from consultations.enums import Channel
from consultations.models import Category
from kyodo.models import SentMail
from kyodo.workflow import TransitionNotAllowed
from proposals import services
from proposals.enums import PROPOSAL_TRANSITIONS, ProposalStatus
from proposals.models import ProposalEvent, ProposalVersion
from proposals.services import ProposalError
from tests.factories import (
    MembershipFactory,
    OrganizationFactory,
    ProposalFactory,
    RoundFactory,
    StaffFactory,
    ThemeFactory,
)
from tests.proposals.conftest import manager_of, submitted_proposal

TOKYO = ZoneInfo("Asia/Tokyo")
PDF = b"%PDF-1.4 test"


def at_tokyo(*args):
    return time_machine.travel(dt.datetime(*args, tzinfo=TOKYO), tick=False)


# --- every move of the transitions table -------------------------------------------------------

ALL_PAIRS = list(itertools.permutations(ProposalStatus.values, 2))
ALLOWED = [(a, b) for a, b in ALL_PAIRS if b in PROPOSAL_TRANSITIONS[a]]
REFUSED = [(a, b) for a, b in ALL_PAIRS if b not in PROPOSAL_TRANSITIONS[a]]


@pytest.mark.parametrize(("old", "new"), ALLOWED)
def test_every_allowed_move_changes_the_status_and_writes_history(db, old, new):
    proposal = ProposalFactory(status=old)
    services._move(proposal, new, by=None, reason="test")
    proposal.refresh_from_db()
    assert proposal.status == new
    assert ProposalEvent.objects.filter(proposal=proposal, old_status=old, new_status=new).exists()


@pytest.mark.parametrize(("old", "new"), REFUSED)
def test_every_other_move_is_refused(db, old, new):
    proposal = ProposalFactory(status=old)
    with pytest.raises(TransitionNotAllowed):
        services._move(proposal, new, by=None)
    proposal.refresh_from_db()
    assert proposal.status == old


def test_decided_and_withdrawn_proposals_are_final():
    for status in ("withdrawn", "adopted", "adopted_conditions", "not_adopted"):
        assert PROPOSAL_TRANSITIONS[status] == set()


# --- creating a draft -----------------------------------------------------------------------


def test_a_manager_of_a_valid_organization_starts_a_draft(call):
    organization = OrganizationFactory()
    manager = manager_of(organization)
    proposal = services.proposal_create(
        round_=call, organization=organization, by=manager, kind="free", title="見守り事業"
    )
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.number is None
    assert proposal.events.get().new_status == ProposalStatus.DRAFT


def test_a_plain_member_cannot_start_a_draft(call):
    membership = MembershipFactory(role="member")
    with pytest.raises(ProposalError):
        services.proposal_create(
            round_=call,
            organization=membership.organization,
            by=membership.user,
            kind="free",
            title="x",
        )


@pytest.mark.parametrize(
    "organization_kwargs",
    [
        {"status": "applying", "valid_until": None},
        {"status": "suspended"},
        {"valid_until": dt.date(2020, 3, 31), "status": "expired"},
    ],
)
def test_only_an_organization_with_a_valid_registration_can_propose(call, organization_kwargs):
    organization = OrganizationFactory(**organization_kwargs)
    with pytest.raises(ProposalError, match="valid registration"):
        services.proposal_create(
            round_=call,
            organization=organization,
            by=manager_of(organization),
            kind="free",
            title="x",
        )


def test_a_theme_proposal_needs_a_theme_of_the_same_call(call):
    organization = OrganizationFactory()
    manager = manager_of(organization)
    other_theme = ThemeFactory()
    with pytest.raises(ProposalError):
        services.proposal_create(
            round_=call,
            organization=organization,
            by=manager,
            kind="theme",
            title="x",
            theme=other_theme,
        )
    theme = ThemeFactory(round=call)
    proposal = services.proposal_create(
        round_=call, organization=organization, by=manager, kind="theme", title="x", theme=theme
    )
    assert proposal.department == theme.department


def test_a_call_without_free_proposals_refuses_them(db):
    call = RoundFactory(accepts_free_proposals=False)
    organization = OrganizationFactory()
    with pytest.raises(ProposalError, match="free"):
        services.proposal_create(
            round_=call,
            organization=organization,
            by=manager_of(organization),
            kind="free",
            title="x",
        )


def test_no_draft_before_the_call_opens_or_for_an_unpublished_call(db):
    today = dt.date.today()
    organization = OrganizationFactory()
    for call in (
        RoundFactory(call_opens_on=today + dt.timedelta(days=1)),
        RoundFactory(is_published=False),
    ):
        with pytest.raises(ProposalError, match="not open"):
            services.proposal_create(
                round_=call,
                organization=organization,
                by=manager_of(organization),
                kind="free",
                title="x",
            )


# --- the deadline, in Tokyo time ------------------------------------------------------------


def deadline_call():
    return RoundFactory(
        pre_consultation_from=dt.date(2026, 2, 1),
        pre_consultation_until=dt.date(2026, 4, 30),
        call_opens_on=dt.date(2026, 2, 1),
        submission_deadline=dt.date(2026, 4, 30),
    )


def test_submitting_at_235959_tokyo_time_on_the_deadline_is_accepted(db):
    call = deadline_call()
    proposal = ProposalFactory(round=call)
    with at_tokyo(2026, 4, 30, 23, 59, 59):
        services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED


def test_submitting_at_midnight_after_the_deadline_is_refused(db):
    call = deadline_call()
    proposal = ProposalFactory(round=call)
    with at_tokyo(2026, 5, 1, 0, 0, 0), pytest.raises(ProposalError, match="deadline"):
        services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT


def test_the_deadline_is_tokyo_time_not_utc(db):
    # 2026-04-30 15:30 UTC is already 5/1 00:30 in Tokyo.
    call = deadline_call()
    proposal = ProposalFactory(round=call)
    with (
        time_machine.travel(dt.datetime(2026, 4, 30, 15, 30, tzinfo=dt.UTC), tick=False),
        pytest.raises(ProposalError, match="deadline"),
    ):
        services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))


def test_a_draft_cannot_be_changed_after_the_deadline(db):
    call = deadline_call()
    proposal = ProposalFactory(round=call)
    manager = manager_of(proposal.organization)
    with at_tokyo(2026, 4, 30, 23, 0):
        services.proposal_update(proposal=proposal, by=manager, data={"aims": "new aims"})
    with at_tokyo(2026, 5, 1, 0, 0), pytest.raises(ProposalError, match="deadline"):
        services.proposal_update(proposal=proposal, by=manager, data={"aims": "later"})
    proposal.refresh_from_db()
    assert proposal.aims == "new aims"


# --- what a submission needs ----------------------------------------------------------------


def test_submission_lists_what_is_missing(call):
    proposal = ProposalFactory(round=call, aims="", budget=False)
    with pytest.raises(ProposalError) as error:
        services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))
    assert "aims of the project" in error.value.message
    assert "budget of year 1" in error.value.message
    assert "budget of year 2" in error.value.message


def test_submission_needs_a_prior_consultation(call):
    proposal = ProposalFactory(round=call, pre_consultation_on=None)
    with pytest.raises(ProposalError, match="prior consultation"):
        services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))


def test_the_prior_consultation_is_found_in_the_consultation_records(call):
    proposal = ProposalFactory(round=call, pre_consultation_on=None)
    staff = StaffFactory()
    case = consultation_services.case_create(
        by=staff,
        title="協働事業提案の事前相談",
        request="提案の相談",
        channel=Channel.VISIT,
        categories=[Category.objects.get(is_pre_proposal=True)],
        organization=proposal.organization,
        opened_on=call.pre_consultation_from + dt.timedelta(days=1),
    )
    services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))
    proposal.refresh_from_db()
    assert proposal.pre_consultation_case == case
    assert proposal.pre_consultation_on == case.opened_on


def test_a_consultation_outside_the_window_does_not_count(call):
    proposal = ProposalFactory(round=call, pre_consultation_on=None)
    consultation_services.case_create(
        by=StaffFactory(),
        title="昨年の相談",
        request="x",
        channel=Channel.VISIT,
        categories=[Category.objects.get(is_pre_proposal=True)],
        organization=proposal.organization,
        opened_on=call.pre_consultation_from - dt.timedelta(days=1),
    )
    with pytest.raises(ProposalError, match="prior consultation"):
        services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))


def test_staff_can_record_a_prior_consultation_by_hand(call):
    proposal = ProposalFactory(round=call, pre_consultation_on=None)
    staff = StaffFactory()
    services.pre_consultation_record(proposal=proposal, by=staff, on=dt.date(2026, 3, 3))
    services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))
    proposal.refresh_from_db()
    assert proposal.pre_consultation_on == dt.date(2026, 3, 3)
    with pytest.raises(ProposalError):
        services.pre_consultation_record(
            proposal=proposal, by=manager_of(proposal.organization), on=dt.date(2026, 3, 3)
        )


def test_a_member_cannot_submit(call):
    proposal = ProposalFactory(round=call)
    member = MembershipFactory(organization=proposal.organization, role="member").user
    with pytest.raises(ProposalError):
        services.proposal_submit(proposal=proposal, by=member)


# --- the frozen version -------------------------------------------------------------------------


def test_submission_numbers_the_proposal_and_freezes_a_version(call, mailoutbox, run_on_commit):
    with run_on_commit():
        first = submitted_proposal(call)
        second = submitted_proposal(call)
    assert (first.number, second.number) == (1, 2)
    assert first.reference == f"{call.fiscal_year}-001"
    version = first.submitted_version
    assert version.number == 1
    assert version.data["title"] == first.title
    assert [line["amount"] for line in version.data["budget"]] == [120000, 30000, 150000]
    assert SentMail.objects.filter(purpose="proposals.submitted").count() == 2
    assert len(mailoutbox) == 2


def test_a_submitted_proposal_cannot_be_changed(call):
    proposal = submitted_proposal(call)
    manager = manager_of(proposal.organization)
    with pytest.raises(ProposalError, match="no longer be changed"):
        services.proposal_update(proposal=proposal, by=manager, data={"title": "changed"})
    with pytest.raises(ProposalError):
        services.attachment_add(
            proposal=proposal, by=manager, title="x", upload=SimpleUploadedFile("x.pdf", PDF)
        )
    with pytest.raises(ProposalError, match="no longer be changed"):
        services.proposal_submit(proposal=proposal, by=manager)


def test_returned_proposal_is_revised_and_resubmitted_as_a_new_version(call):
    proposal = submitted_proposal(call)
    manager = manager_of(proposal.organization)
    staff = StaffFactory()
    attachment = None
    # The first version had no attachments; the group adds one after the return.
    services.proposal_return(
        proposal=proposal,
        by=staff,
        reason="予算の積算根拠を添えてください。",
        resubmit_by=dt.date.today() + dt.timedelta(days=7),
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.RETURNED
    services.proposal_update(proposal=proposal, by=manager, data={"title": "改訂版"})
    attachment = services.attachment_add(
        proposal=proposal, by=manager, title="積算", upload=SimpleUploadedFile("a.pdf", PDF)
    )
    services.proposal_submit(proposal=proposal, by=manager)
    proposal.refresh_from_db()
    versions = list(ProposalVersion.objects.filter(proposal=proposal).order_by("number"))
    assert [v.number for v in versions] == [1, 2]
    assert versions[0].data["title"] != "改訂版"  # the first version stays as it was
    assert versions[1].data["title"] == "改訂版"
    assert versions[1].attachment_ids == [attachment.pk]
    assert proposal.submitted_version == versions[1]
    assert proposal.number == 1  # the number stays
    assert proposal.resubmit_by is None


def test_the_return_deadline_replaces_the_call_deadline(db):
    call = deadline_call()
    proposal = ProposalFactory(round=call)
    with at_tokyo(2026, 4, 20, 10, 0):
        proposal = services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))
    with at_tokyo(2026, 5, 10, 10, 0):
        services.proposal_return(
            proposal=proposal,
            by=StaffFactory(),
            reason="図表が読めません。",
            resubmit_by=dt.date(2026, 5, 15),
        )
    proposal.refresh_from_db()
    with at_tokyo(2026, 5, 15, 23, 59, 59):
        assert services.is_open_for_changes(proposal)
    with at_tokyo(2026, 5, 16, 0, 0, 0), pytest.raises(ProposalError, match="deadline"):
        services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))


def test_returning_needs_staff_a_reason_and_a_date_from_today(call):
    proposal = submitted_proposal(call)
    staff = StaffFactory()
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    with pytest.raises(ProposalError):
        services.proposal_return(
            proposal=proposal,
            by=manager_of(proposal.organization),
            reason="x",
            resubmit_by=tomorrow,
        )
    with pytest.raises(ProposalError, match="reason"):
        services.proposal_return(proposal=proposal, by=staff, reason=" ", resubmit_by=tomorrow)
    with pytest.raises(ProposalError, match="deadline"):
        services.proposal_return(
            proposal=proposal,
            by=staff,
            reason="x",
            resubmit_by=dt.date.today() - dt.timedelta(days=1),
        )


def test_an_attachment_of_a_submitted_version_is_kept_when_removed_later(call):
    proposal = ProposalFactory(round=call)
    manager = manager_of(proposal.organization)
    kept = services.attachment_add(
        proposal=proposal, by=manager, title="団体概要", upload=SimpleUploadedFile("k.pdf", PDF)
    )
    services.proposal_submit(proposal=proposal, by=manager)
    services.proposal_return(
        proposal=proposal,
        by=StaffFactory(),
        reason="x",
        resubmit_by=dt.date.today() + dt.timedelta(days=3),
    )
    proposal.refresh_from_db()
    services.attachment_remove(attachment=kept, by=manager)
    kept.refresh_from_db()
    assert kept.removed_at is not None  # the first version still lists it
    draft_only = services.attachment_add(
        proposal=proposal, by=manager, title="下書き", upload=SimpleUploadedFile("d.pdf", PDF)
    )
    services.attachment_remove(attachment=draft_only, by=manager)
    assert not proposal.attachments.filter(pk=draft_only.pk).exists()


# --- withdrawal ------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["draft", "submitted", "returned", "shortlisted"])
def test_the_organization_can_withdraw_until_the_decision(call, status):
    proposal = ProposalFactory(round=call, status=status)
    services.proposal_withdraw(proposal=proposal, by=manager_of(proposal.organization))
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.WITHDRAWN


@pytest.mark.parametrize("status", ["withdrawn", "adopted", "not_adopted"])
def test_a_decided_or_withdrawn_proposal_cannot_be_withdrawn(call, status):
    proposal = ProposalFactory(round=call, status=status)
    with pytest.raises(TransitionNotAllowed):
        services.proposal_withdraw(proposal=proposal, by=manager_of(proposal.organization))


def test_an_outsider_cannot_withdraw(call):
    proposal = ProposalFactory(round=call)
    with pytest.raises(ProposalError):
        services.proposal_withdraw(proposal=proposal, by=manager_of(OrganizationFactory()))
