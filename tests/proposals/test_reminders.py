"""Reminders: reviewers 3 and 1 days before a stage's deadline, drafts a week and a day before
the submission deadline; each sent once, a failed one retried, a late sweep sends one."""

import datetime as dt

import pytest
import time_machine

from kyodo.mail import outbox_sweep
from kyodo.models import SentMail
from proposals import reviews
from proposals.models import ProposalReminder
from proposals.reminders import draft_reminders_send, nearest_offset, reviewer_reminders_send
from proposals.tasks import task_send_proposal_reminders
from tests.factories import ProposalFactory, RoundFactory
from tests.proposals.conftest import manager_of, score_all, submitted_proposal

LOCMEM = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
FAILING = {"default": {"BACKEND": "tests.failing_mail_backend.EmailBackend"}}


def test_nearest_offset():
    assert nearest_offset(7, (7, 1)) == 7
    assert nearest_offset(5, (7, 1)) == 7
    assert nearest_offset(1, (7, 1)) == 1
    assert nearest_offset(0, (7, 1)) == 1
    assert nearest_offset(8, (7, 1)) is None
    assert nearest_offset(-1, (3, 1)) is None


@pytest.fixture
def deadline_stage(in_review):
    stage = in_review["stage"]
    stage.review_opens_on, stage.review_deadline = dt.date(2026, 6, 1), dt.date(2026, 6, 30)
    stage.save()
    return in_review


def on(day):
    return time_machine.travel(dt.datetime(*day, 9, 0, tzinfo=dt.UTC), tick=False)


def test_reviewers_with_work_left_are_reminded_3_and_1_days_before(deadline_stage, mailoutbox):
    stage = deadline_stage["stage"]
    for proposal in deadline_stage["proposals"]:
        score_all(stage, proposal, deadline_stage["council"], 4)  # done: no reminder
    with on((2026, 6, 26)):
        assert reviewer_reminders_send() == 0  # 4 days before: nothing yet
    with on((2026, 6, 27)):
        assert reviewer_reminders_send() == 2
        assert reviewer_reminders_send() == 0  # the second sweep sends nothing
    assert sorted(m.to[0] for m in mailoutbox) == sorted(
        [deadline_stage["official"].email, deadline_stage["chair"].email]
    )
    with on((2026, 6, 29)):
        assert reviewer_reminders_send() == 2
    with on((2026, 7, 1)):
        assert reviewer_reminders_send() == 0  # after the deadline
    assert ProposalReminder.objects.count() == 4


def test_a_reviewer_whose_only_open_proposals_are_conflicted_is_not_reminded(deadline_stage):
    stage, official = deadline_stage["stage"], deadline_stage["official"]
    a, b, c = deadline_stage["proposals"]
    score_all(stage, a, official, 4)
    score_all(stage, b, official, 4)
    reviews.conflict_declare(proposal=c, stage=stage, reviewer=official, has_conflict=True)
    with on((2026, 6, 29)):
        reviewer_reminders_send()
    assert not ProposalReminder.objects.filter(email=official.email).exists()


def test_a_closed_stage_reminds_nobody(deadline_stage):
    reviews.stage_close(stage=deadline_stage["stage"], by=deadline_stage["staff"])
    with on((2026, 6, 29)):
        assert reviewer_reminders_send() == 0


def draft_call():
    return RoundFactory(
        call_opens_on=dt.date(2026, 2, 1),
        pre_consultation_from=dt.date(2026, 2, 1),
        pre_consultation_until=dt.date(2026, 4, 30),
        submission_deadline=dt.date(2026, 4, 30),
    )


def test_drafts_are_reminded_a_week_and_a_day_before(db, mailoutbox):
    call = draft_call()
    draft = ProposalFactory(round=call)
    manager = manager_of(draft.organization)
    with on((2026, 4, 10)):
        submitted_proposal(call)  # submitted: never reminded
    with on((2026, 4, 22)):
        assert draft_reminders_send() == 0
    with on((2026, 4, 23)):
        assert draft_reminders_send() == 1
        assert draft_reminders_send() == 0
    with on((2026, 4, 29)):
        assert task_send_proposal_reminders.delay().get() == 1
    with on((2026, 5, 1)):
        assert draft_reminders_send() == 0
    assert [m.to[0] for m in mailoutbox] == [manager.email, manager.email]
    assert SentMail.objects.filter(purpose="proposals.draft_reminder").count() == 2


def test_a_late_sweep_sends_only_the_nearest_reminder(db, mailoutbox):
    call = draft_call()
    manager_of(ProposalFactory(round=call).organization)
    with on((2026, 4, 25)):  # beat was down on 4/23 and 4/24
        assert draft_reminders_send() == 1
        assert draft_reminders_send() == 0
    assert len(mailoutbox) == 1


def test_a_failed_reminder_is_claimed_once_and_sent_by_the_outbox_later(db, settings, mailoutbox):
    call = draft_call()
    manager_of(ProposalFactory(round=call).organization)
    with on((2026, 4, 23)):
        settings.MAILERS = FAILING
        assert draft_reminders_send() == 1
        assert ProposalReminder.objects.count() == 1
        assert draft_reminders_send() == 0  # claimed: the outbox tries the mail again
    assert mailoutbox == []
    settings.MAILERS = LOCMEM
    with on((2026, 4, 24)):
        assert outbox_sweep() == 1
        assert draft_reminders_send() == 0
    assert len(mailoutbox) == 1


def test_a_returned_proposal_is_reminded_of_its_new_deadline(db, mailoutbox):
    from proposals import services
    from tests.factories import StaffFactory

    call = draft_call()
    with on((2026, 4, 10)):
        proposal = submitted_proposal(call)
    with on((2026, 5, 2)):
        services.proposal_return(
            proposal=proposal, by=StaffFactory(), reason="x", resubmit_by=dt.date(2026, 5, 8)
        )
        # the call's deadline has passed; the new date counts (6 days: the week's one)
        assert draft_reminders_send() == 1
    with on((2026, 5, 7)):
        assert draft_reminders_send() == 1
    with on((2026, 5, 9)):
        assert draft_reminders_send() == 0
    assert len(mailoutbox) == 2
