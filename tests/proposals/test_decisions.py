"""Decisions: prepared by staff, released in one batch (never before), each with one letter
and one mail; adopted proposals become projects followed through two years."""

import datetime as dt

import pytest

from kyodo.models import GeneratedDocument
from proposals import projects, selectors, services
from proposals.enums import ProjectStatus, ProposalStatus, YearStatus
from proposals.letters import decision_letter_issue, decision_notify
from proposals.models import Decision, Project
from proposals.services import ProposalError
from tests.factories import StageFactory
from tests.proposals.conftest import manager_of


@pytest.fixture
def decided(in_review):
    """Stage 2 with two shortlisted proposals, and decisions prepared for all three."""
    staff = in_review["staff"]
    a, b, c = in_review["proposals"]
    second = StageFactory(round=in_review["round"], number=2, status="preparing")
    for proposal in (a, b):
        services.proposal_shortlist(proposal=proposal, stage=second, by=staff)
    services.decision_prepare(proposal=a, by=staff, outcome="adopted", council_comment="期待する")
    services.decision_prepare(
        proposal=b,
        by=staff,
        outcome="adopted_conditions",
        council_comment="一部修正を要する",
        conditions="予算を精査すること",
    )
    services.decision_prepare(proposal=c, by=staff, outcome="not_adopted", council_comment="具体性")
    return {**in_review, "second": second}


def refreshed(*objects):
    for obj in objects:
        obj.refresh_from_db()
    return objects


def test_only_a_shortlisted_proposal_can_be_adopted_when_there_is_a_second_stage(in_review):
    staff, proposal = in_review["staff"], in_review["proposals"][0]
    StageFactory(round=in_review["round"], number=2, status="preparing")
    with pytest.raises(ProposalError, match="shortlisted"):
        services.decision_prepare(proposal=proposal, by=staff, outcome="adopted")
    services.decision_prepare(proposal=proposal, by=staff, outcome="not_adopted")


def test_an_adoption_with_conditions_needs_the_conditions(in_review):
    with pytest.raises(ProposalError, match="conditions"):
        services.decision_prepare(
            proposal=in_review["proposals"][0], by=in_review["staff"], outcome="adopted_conditions"
        )


def test_only_staff_prepare_decisions(in_review):
    with pytest.raises(ProposalError):
        services.decision_prepare(
            proposal=in_review["proposals"][0], by=in_review["chair"], outcome="not_adopted"
        )


def test_nothing_is_visible_to_the_group_or_public_before_release(decided):
    a = decided["proposals"][0]
    a.refresh_from_db()
    assert a.status == ProposalStatus.SHORTLISTED  # the prepared decision changes nothing
    assert not selectors.decision_visible(a)
    assert list(selectors.released_results(decided["round"])) == []


def test_release_refused_while_a_proposal_in_review_has_no_decision(in_review):
    staff, a = in_review["staff"], in_review["proposals"][0]
    services.decision_prepare(proposal=a, by=staff, outcome="not_adopted")
    with pytest.raises(ProposalError, match="2 proposal"):
        services.decisions_release(round_=in_review["round"], by=staff)
    in_review["round"].refresh_from_db()
    assert in_review["round"].decisions_released_at is None


def test_release_applies_every_decision_at_once(decided, mailoutbox, run_on_commit):
    staff, round_ = decided["staff"], decided["round"]
    a, b, c = decided["proposals"]
    with run_on_commit():
        services.decisions_release(round_=round_, by=staff)
    refreshed(a, b, c, round_)
    assert (a.status, b.status, c.status) == (
        ProposalStatus.ADOPTED,
        ProposalStatus.ADOPTED_WITH_CONDITIONS,
        ProposalStatus.NOT_ADOPTED,
    )
    assert round_.decisions_released_at and round_.decisions_released_by == staff
    assert list(selectors.released_results(round_)) == [a, b]
    # Adopted ones become projects with their two years, in the years after the call.
    for proposal in (a, b):
        project = Project.objects.get(proposal=proposal)
        assert project.status == ProjectStatus.CONSULTING
        assert [(y.year, y.fiscal_year) for y in project.years.all()] == [
            (1, round_.fiscal_year),
            (2, round_.fiscal_year + 1),
        ]
    assert not Project.objects.filter(proposal=c).exists()
    # One letter each, rendered, and one mail to each organization's manager with it.
    letters = GeneratedDocument.objects.filter(kind="proposal_decision_letter")
    assert letters.count() == 3
    letters_attached = [m for m in mailoutbox if m.attachments]
    decision_mails = [m for m in letters_attached if m.attachments[0][0].startswith("decision-")]
    assert len(decision_mails) == 3
    assert {m.to[0] for m in decision_mails} == {
        manager_of(p.organization).email for p in (a, b, c)
    }
    for mail in decision_mails:
        (name, _content, mimetype), *_rest = mail.attachments
        assert name.startswith("decision-") and mimetype == "application/pdf"
    assert all(d.notified_at for d in Decision.objects.all())


def test_release_happens_once(decided, run_on_commit):
    staff, round_ = decided["staff"], decided["round"]
    with run_on_commit():
        services.decisions_release(round_=round_, by=staff)
    with pytest.raises(ProposalError, match="released"):
        services.decisions_release(round_=round_, by=staff)
    with pytest.raises(ProposalError, match="released"):
        services.decision_prepare(proposal=decided["proposals"][2], by=staff, outcome="not_adopted")
    assert GeneratedDocument.objects.filter(kind="proposal_decision_letter").count() == 3


def test_a_decision_is_mailed_and_its_letter_issued_once(decided, mailoutbox, run_on_commit):
    with run_on_commit():
        services.decisions_release(round_=decided["round"], by=decided["staff"])
    sent = len(mailoutbox)
    decision = Decision.objects.select_related("proposal__round").first()
    for _again in range(3):
        assert decision_notify(decision=decision) == 0
        assert decision_letter_issue(decision=decision) == decision.letter
    assert decision_notify(decision=decision) == 0
    assert len(mailoutbox) == sent


def test_a_decision_not_released_is_not_mailed(decided, mailoutbox):
    decision = Decision.objects.first()
    assert decision_notify(decision=decision) == 0
    assert mailoutbox == []


def test_only_staff_release(decided):
    with pytest.raises(ProposalError):
        services.decisions_release(round_=decided["round"], by=decided["chair"])


def test_withdrawn_proposals_need_no_decision(in_review):
    staff, (a, b, c) = in_review["staff"], in_review["proposals"]
    services.proposal_withdraw(proposal=c, by=manager_of(c.organization))
    for proposal in (a, b):
        services.decision_prepare(proposal=proposal, by=staff, outcome="adopted")
    services.decisions_release(round_=in_review["round"], by=staff)
    c.refresh_from_db()
    assert c.status == ProposalStatus.WITHDRAWN


# --- shortlist -----------------------------------------------------------------------------------


def test_shortlisting_sets_the_presentation_and_can_be_undone_before_scoring(in_review):
    staff, proposal = in_review["staff"], in_review["proposals"][0]
    second = StageFactory(round=in_review["round"], number=2, status="preparing")
    when = dt.datetime(2026, 7, 10, 14, 0, tzinfo=dt.UTC)
    presentation = services.proposal_shortlist(
        proposal=proposal, stage=second, by=staff, starts_at=when, place="区役所 会議室"
    )
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SHORTLISTED
    assert presentation.starts_at == when
    assert list(selectors.stage_proposals(second)) == [proposal]
    services.proposal_unshortlist(proposal=proposal, stage=second, by=staff)
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.SUBMITTED
    assert list(selectors.stage_proposals(second)) == []


def test_shortlisting_is_for_the_second_stage_of_the_same_call(in_review):
    staff, proposal = in_review["staff"], in_review["proposals"][0]
    with pytest.raises(ProposalError, match="second stage"):
        services.proposal_shortlist(proposal=proposal, stage=in_review["stage"], by=staff)
    other_round_stage = StageFactory(number=2)
    with pytest.raises(ProposalError, match="second stage"):
        services.proposal_shortlist(proposal=proposal, stage=other_round_stage, by=staff)


# --- the project after adoption -------------------------------------------------------------------


@pytest.fixture
def project(decided, run_on_commit):
    with run_on_commit():
        services.decisions_release(round_=decided["round"], by=decided["staff"])
    return Project.objects.get(proposal=decided["proposals"][0])


def test_the_project_goes_from_talks_to_agreement_and_two_years(project, staff):
    from django.core.files.uploadedfile import SimpleUploadedFile

    projects.project_note_add(
        project=project, by=staff, held_on=dt.date(2026, 9, 1), text="所管課と役割分担を協議"
    )
    projects.project_budget_passed(
        project=project, by=staff, on=dt.date(2027, 3, 20), amount=900000
    )
    projects.project_agreement(
        project=project,
        by=staff,
        upload=SimpleUploadedFile("kyotei.pdf", b"%PDF-1.4 agreement"),
        signed_on=dt.date(2027, 4, 1),
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2029, 3, 31),
    )
    with pytest.raises(ProposalError, match="verdict to continue"):
        projects.project_start_year(project=project, by=staff, year=2)
    projects.project_start_year(project=project, by=staff, year=1)
    projects.project_verdict(
        project=project,
        by=staff,
        year=1,
        verdict="continue_changes",
        text="一部修正を要するが継続すべきである",
        on=dt.date(2028, 2, 15),
    )
    projects.project_start_year(project=project, by=staff, year=2)
    projects.project_verdict(
        project=project,
        by=staff,
        year=2,
        verdict="continue",
        text="委託化が望ましい",
        on=dt.date(2029, 2, 15),
    )
    projects.project_finish(project=project, by=staff, to="commissioned", note="区の委託事業へ")
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMMISSIONED
    assert project.agreement_file.name.endswith("kyotei.pdf")
    assert [e.new_status for e in project.events.all()] == [
        "consulting",
        "budgeted",
        "agreed",
        "running",
        "commissioned",
    ]
    assert [y.status for y in project.years.all()] == [YearStatus.DONE, YearStatus.DONE]
    assert project.notes.count() == 1


def test_an_end_verdict_ends_the_project(project, staff):
    for step in (
        lambda: projects.project_budget_passed(project=project, by=staff, on=dt.date(2027, 3, 1)),
    ):
        step()
    from django.core.files.uploadedfile import SimpleUploadedFile

    projects.project_agreement(
        project=project,
        by=staff,
        upload=SimpleUploadedFile("a.pdf", b"%PDF-1.4"),
        signed_on=dt.date(2027, 4, 1),
        starts_on=dt.date(2027, 4, 1),
        ends_on=dt.date(2029, 3, 31),
    )
    projects.project_start_year(project=project, by=staff, year=1)
    projects.project_verdict(
        project=project,
        by=staff,
        year=1,
        verdict="end",
        text="目標に届かない",
        on=dt.date(2028, 2, 1),
    )
    project.refresh_from_db()
    assert project.status == ProjectStatus.ENDED
    with pytest.raises(ProposalError):
        projects.project_start_year(project=project, by=staff, year=2)


def test_a_project_is_commissioned_only_after_its_second_year(project, staff):
    with pytest.raises(ProposalError, match="second year"):
        projects.project_finish(project=project, by=staff, to="commissioned")


def test_a_verdict_needs_a_started_year(project, staff):
    with pytest.raises(ProposalError, match="not started"):
        projects.project_verdict(
            project=project, by=staff, year=1, verdict="continue", text="", on=dt.date(2028, 1, 1)
        )


def test_the_group_is_told_its_presentation_time_once_and_again_when_it_changes(
    in_review, client, run_on_commit
):
    from django.urls import reverse

    from kyodo.models import SentMail

    staff, proposal = in_review["staff"], in_review["proposals"][0]
    second = StageFactory(round=in_review["round"], number=2, status="preparing")
    when = dt.datetime(2027, 7, 10, 5, 0, tzinfo=dt.UTC)  # 14:00 in Tokyo
    with run_on_commit():
        for _again in range(2):
            services.proposal_shortlist(
                proposal=proposal, stage=second, by=staff, starts_at=when, place="区役所8階"
            )
    assert SentMail.objects.filter(purpose="proposals.presentation").count() == 1
    with run_on_commit():
        services.proposal_shortlist(
            proposal=proposal, stage=second, by=staff, starts_at=when, place="区役所9階"
        )
    assert SentMail.objects.filter(purpose="proposals.presentation").count() == 2
    client.force_login(manager_of(proposal.organization))
    page = client.get(reverse("proposals:detail", args=[proposal.pk])).content.decode()
    assert "2027-07-10 14:00" in page and "区役所9階" in page


def test_with_the_broker_down_the_decisions_and_letters_wait_for_the_sweep(
    decided, mailoutbox, run_on_commit, broker_down
):
    from kyodo.mail import outbox_sweep
    from kyodo.models import DocumentStatus, OutboxMail

    with run_on_commit():
        services.decisions_release(round_=decided["round"], by=decided["staff"])
    decision_mails = OutboxMail.objects.filter(purpose="proposals.decision")
    assert decision_mails.exists()
    assert mailoutbox == []

    broker_down.restore()
    outbox_sweep()
    assert not decision_mails.exclude(status="sent").exists()
    letters = [m for m in mailoutbox if m.attachments]
    assert len(letters) == decision_mails.count()
    assert not GeneratedDocument.objects.exclude(status=DocumentStatus.READY).exists()
