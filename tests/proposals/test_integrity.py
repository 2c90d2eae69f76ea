"""What a review of the pillar found, held by tests: decisions that no longer stand, a
returned proposal at the release, scores seen before declaring, late conflicts, reviews of an
earlier version, repeated mails, and the mean shown against the line."""

import datetime as dt
from decimal import Decimal

import pytest
import time_machine

from kyodo.mail import outbox_sweep
from kyodo.models import OutboxMail, SentMail
from proposals import reviews, scoring, selectors, services
from proposals.enums import ReviewStatus
from proposals.letters import decisions_notify_pending
from proposals.models import ConflictDeclaration, Decision, ProposalEvent
from proposals.services import ProposalError
from tests.factories import CouncilMemberFactory, StageFactory, WardOfficialFactory
from tests.proposals.conftest import manager_of, score_all

FAILING = {"default": {"BACKEND": "tests.failing_mail_backend.EmailBackend"}}
LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}


def later(minutes):
    return time_machine.travel(dt.timedelta(minutes=minutes), tick=False)


# --- decisions that no longer stand --------------------------------------------------------------


def test_taking_a_proposal_off_the_shortlist_drops_its_prepared_adoption(in_review):
    staff, proposal = in_review["staff"], in_review["proposals"][0]
    second = StageFactory(round=in_review["round"], number=2, status="preparing")
    services.proposal_shortlist(proposal=proposal, stage=second, by=staff)
    services.decision_prepare(proposal=proposal, by=staff, outcome="adopted")
    services.proposal_unshortlist(proposal=proposal, stage=second, by=staff)
    assert not Decision.objects.filter(proposal=proposal).exists()


def test_returning_a_proposal_drops_its_prepared_decision(in_review):
    staff, proposal = in_review["staff"], in_review["proposals"][0]
    services.decision_prepare(proposal=proposal, by=staff, outcome="not_adopted")
    services.proposal_return(
        proposal=proposal, by=staff, reason="x", resubmit_by=dt.date.today() + dt.timedelta(3)
    )
    assert not Decision.objects.filter(proposal=proposal).exists()


def test_a_returned_proposal_blocks_the_release(in_review):
    staff, (a, b, c) = in_review["staff"], in_review["proposals"]
    for proposal in (a, b):
        services.decision_prepare(proposal=proposal, by=staff, outcome="not_adopted")
    services.proposal_return(
        proposal=c, by=staff, reason="x", resubmit_by=dt.date.today() + dt.timedelta(3)
    )
    with pytest.raises(ProposalError, match="returned for changes"):
        services.decisions_release(round_=in_review["round"], by=staff)


def test_the_release_checks_adoptions_against_the_shortlist_again(in_review):
    staff, proposals = in_review["staff"], in_review["proposals"]
    for proposal in proposals:  # one stage so far: adoption straight from the submission
        services.decision_prepare(proposal=proposal, by=staff, outcome="adopted")
    StageFactory(round=in_review["round"], number=2, status="preparing")  # added later
    with pytest.raises(ProposalError, match="Only shortlisted"):
        services.decisions_release(round_=in_review["round"], by=staff)


def test_nothing_is_submitted_or_reopened_after_the_release(in_review):
    staff, (a, b, c) = in_review["staff"], in_review["proposals"]
    for proposal in (a, b, c):
        services.decision_prepare(proposal=proposal, by=staff, outcome="not_adopted")
    services.decisions_release(round_=in_review["round"], by=staff)
    stage = in_review["stage"]
    stage.refresh_from_db()
    assert stage.status == "closed"  # the release closed the open stage
    assert stage.events.last().reason == "Closed with the release of the decisions."
    in_review["round"].refresh_from_db()
    with pytest.raises(ProposalError, match="released"):
        reviews.stage_open(stage=stage, by=staff)
    with pytest.raises(ProposalError, match="released"):
        reviews.conflict_declare(
            proposal=in_review["proposals"][0],
            stage=stage,
            reviewer=in_review["chair"],
            has_conflict=True,
        )


# --- declaring before seeing ---------------------------------------------------------------------


def test_others_scores_need_a_declaration_even_when_not_hidden(in_review):
    stage, proposal, reviewer = in_review["stage"], in_review["proposals"][0], in_review["council"]
    stage.round.hide_scores_until_submitted = False
    stage.round.save()
    score_all(stage, proposal, in_review["official"], 4)
    assert not selectors.may_see_others(reviewer, stage, proposal, None)
    reviews.conflict_declare(proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=False)
    assert selectors.may_see_others(reviewer, stage, proposal, None)


def test_the_chair_declares_before_the_dashboard_shows_a_proposal(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    chair = CouncilMemberFactory()
    stage.round.chair = chair
    stage.round.save()
    score_all(stage, proposal, in_review["council"], 4)
    row = next(r for r in selectors.stage_results(stage, chair) if r.proposal == proposal)
    assert row.hidden and row.hidden_because == "undeclared"
    reviews.conflict_declare(proposal=proposal, stage=stage, reviewer=chair, has_conflict=False)
    row = next(r for r in selectors.stage_results(stage, chair) if r.proposal == proposal)
    assert not row.hidden and row.mean == 80
    other = in_review["proposals"][1]
    reviews.conflict_declare(proposal=other, stage=stage, reviewer=chair, has_conflict=True)
    row = next(r for r in selectors.stage_results(stage, chair) if r.proposal == other)
    assert row.hidden_because == "conflict"
    with pytest.raises(ProposalError, match="not assigned"):
        reviews.conflict_declare(
            proposal=proposal, stage=stage, reviewer=CouncilMemberFactory(), has_conflict=False
        )


def test_a_conflict_that_would_change_closed_results_is_for_staff_to_record(in_review):
    stage, (a, b, _c) = in_review["stage"], in_review["proposals"]
    score_all(stage, a, in_review["council"], 4)
    reviews.stage_close(stage=stage, by=in_review["staff"])
    stage.refresh_from_db()
    with pytest.raises(ProposalError, match="late conflict"):
        reviews.conflict_declare(
            proposal=a, stage=stage, reviewer=in_review["council"], has_conflict=True
        )
    # Not through a later stage either: a declaration holds for every stage of the proposal.
    second = StageFactory(round=in_review["round"], number=2, status="open")
    services.proposal_shortlist(proposal=a, stage=second, by=in_review["staff"])
    from tests.proposals.conftest import assign

    assign(second, in_review["council"])
    with pytest.raises(ProposalError, match="late conflict"):
        reviews.conflict_declare(
            proposal=a, stage=second, reviewer=in_review["council"], has_conflict=True
        )
    # Where the reviewer scored nothing, a declaration changes no result and is taken.
    reviews.conflict_declare(
        proposal=b, stage=stage, reviewer=in_review["council"], has_conflict=True
    )


def test_staff_record_a_late_conflict_and_the_review_stops_counting(in_review):
    stage, proposal, staff = in_review["stage"], in_review["proposals"][0], in_review["staff"]
    score_all(stage, proposal, in_review["council"], 5)
    score_all(stage, proposal, in_review["official"], 1)
    reviews.stage_close(stage=stage, by=staff)
    with pytest.raises(ProposalError):
        reviews.conflict_record(
            proposal=proposal, reviewer=in_review["council"], by=in_review["chair"], note="x"
        )
    with pytest.raises(ProposalError, match="reason"):
        reviews.conflict_record(proposal=proposal, reviewer=in_review["council"], by=staff, note="")
    reviews.conflict_record(
        proposal=proposal, reviewer=in_review["council"], by=staff, note="提案団体の理事と判明"
    )
    declaration = ConflictDeclaration.objects.get(proposal=proposal, reviewer=in_review["council"])
    assert declaration.has_conflict
    # The audit trail keeps the earlier "no conflict" and the change.
    assert [h.has_conflict for h in declaration.history.order_by("history_id")] == [False, True]
    result = next(r for r in selectors.stage_results(stage, staff) if r.proposal == proposal)
    assert result.totals == [20]


# --- reviews of an earlier version, re-opened reviews --------------------------------------------


def test_a_new_version_sends_the_submitted_reviews_back_to_draft(in_review):
    stage, proposal, staff = in_review["stage"], in_review["proposals"][0], in_review["staff"]
    review = score_all(stage, proposal, in_review["council"], 4)
    assert review.version == proposal.submitted_version
    services.proposal_return(
        proposal=proposal, by=staff, reason="x", resubmit_by=dt.date.today() + dt.timedelta(3)
    )
    proposal.refresh_from_db()
    services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert review.events.last().reason == "A new version of the proposal was submitted."
    assert review.version.number == 1  # scored the first; the page asks to look again


def test_the_dashboard_counts_reviews_reopened_by_their_reviewer(in_review):
    stage, proposal, reviewer = in_review["stage"], in_review["proposals"][0], in_review["council"]
    review = score_all(stage, proposal, reviewer, 4)
    review = reviews.review_reopen(review=review, by=reviewer)
    reviews.review_submit(review=review, by=reviewer)
    result = next(
        r for r in selectors.stage_results(stage, in_review["staff"]) if r.proposal == proposal
    )
    assert result.reopened == 1


# --- the department, the opinion -----------------------------------------------------------------


def test_the_department_official_is_mailed_once_and_the_change_is_in_the_history(
    in_review, mailoutbox, run_on_commit
):
    staff, proposal = in_review["staff"], in_review["proposals"][0]
    official = WardOfficialFactory()
    with run_on_commit():
        for _again in range(3):
            services.department_assign(
                proposal=proposal, by=staff, department="地域振興課", official=official
            )
    assert SentMail.objects.filter(purpose="proposals.opinion_requested").count() == 1
    assert (
        ProposalEvent.objects.filter(proposal=proposal, reason__contains="地域振興課").count() == 1
    )


def test_a_revised_opinion_is_given_again_with_its_new_date(in_review):
    staff, proposal = in_review["staff"], in_review["proposals"][0]
    official = WardOfficialFactory()
    services.department_assign(proposal=proposal, by=staff, department="環境課", official=official)
    first = services.opinion_save(
        proposal=proposal, by=official, feasibility="feasible", text="実施可能", submit=True
    )
    given_at = first.submitted_at
    with later(5):
        revised = services.opinion_save(
            proposal=proposal,
            by=official,
            feasibility="with_changes",
            text="一部修正",
            submit=False,
        )
    assert revised.is_submitted and revised.submitted_at > given_at
    assert revised.history.count() == 2


# --- the mail of a decision ----------------------------------------------------------------------


def test_a_decision_mail_that_failed_is_sent_by_the_outbox_sweep(
    in_review, settings, run_on_commit, mailoutbox
):
    staff = in_review["staff"]
    for proposal in in_review["proposals"]:
        manager_of(proposal.organization)
        services.decision_prepare(proposal=proposal, by=staff, outcome="not_adopted")
    settings.MAILERS = FAILING
    with run_on_commit():
        services.decisions_release(round_=in_review["round"], by=staff)
    waiting = OutboxMail.objects.filter(purpose="proposals.decision", status="pending")
    assert waiting.count() == 3
    assert decisions_notify_pending() == 0  # the mails are in the outbox: nothing to add
    settings.MAILERS = LOCMEM
    with later(15):
        outbox_sweep()  # also sends the fixture's notices, never sent in this test
        assert outbox_sweep() == 0
    assert not waiting.exists()
    decision_mails = [m for m in mailoutbox if m.attachments]
    assert len(decision_mails) == 3


# --- the line ------------------------------------------------------------------------------------


def test_a_mean_shown_as_50_reaches_a_line_of_50():
    result = scoring.ProposalResult(proposal=None, totals=[Decimal("49.96")])
    assert scoring.rounded(result.mean) == Decimal("50.0")
    assert result.above_line(Decimal(50)) is True


# --- the second review's findings -------------------------------------------------------------


def test_a_withdrawn_shortlisted_proposal_does_not_block_the_release(in_review):
    staff, (a, b, c) = in_review["staff"], in_review["proposals"]
    second = StageFactory(round=in_review["round"], number=2, status="preparing")
    services.proposal_shortlist(proposal=a, stage=second, by=staff)
    services.decision_prepare(proposal=a, by=staff, outcome="adopted")
    services.proposal_withdraw(proposal=a, by=manager_of(a.organization), reason="辞退します")
    assert not Decision.objects.filter(proposal=a).exists()
    assert not a.presentations.exists()
    for proposal in (b, c):
        services.decision_prepare(proposal=proposal, by=staff, outcome="not_adopted")
    services.decisions_release(round_=in_review["round"], by=staff)


def test_taking_a_proposal_off_the_shortlist_tells_the_group(in_review, run_on_commit):
    staff, proposal = in_review["staff"], in_review["proposals"][0]
    manager_of(proposal.organization)
    second = StageFactory(round=in_review["round"], number=2, status="preparing")
    with run_on_commit():
        services.proposal_shortlist(proposal=proposal, stage=second, by=staff)
        services.proposal_unshortlist(proposal=proposal, stage=second, by=staff)
    assert SentMail.objects.filter(purpose="proposals.presentation_cancelled").count() == 1


def test_reviewers_are_told_when_a_proposal_they_scored_comes_back(in_review, run_on_commit):
    stage, proposal, staff = in_review["stage"], in_review["proposals"][0], in_review["staff"]
    score_all(stage, proposal, in_review["council"], 4)
    score_all(stage, proposal, in_review["official"], 2, submit=False)  # a draft: not reopened
    services.proposal_return(
        proposal=proposal, by=staff, reason="x", resubmit_by=dt.date.today() + dt.timedelta(3)
    )
    proposal.refresh_from_db()
    with run_on_commit():
        services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))
    told = SentMail.objects.filter(purpose="proposals.new_version")
    assert list(told.values_list("to", flat=True)) == [in_review["council"].email]


def test_staff_record_conflicts_only_of_the_calls_reviewers_on_proposals_in_review(in_review):
    from tests.factories import ProposalFactory

    staff, proposal = in_review["staff"], in_review["proposals"][0]
    with pytest.raises(ProposalError, match="reviewers and its chair"):
        reviews.conflict_record(
            proposal=proposal, reviewer=CouncilMemberFactory(), by=staff, note="x"
        )
    draft = ProposalFactory(round=in_review["round"])
    with pytest.raises(ProposalError, match="not in review"):
        reviews.conflict_record(proposal=draft, reviewer=in_review["council"], by=staff, note="x")
