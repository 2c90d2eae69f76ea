"""The center staff's proposal pages: who may see them, what each action changes (status,
rows, history, mails), the release of the decisions (refused while one is missing, done
once), the adopted project through its years, and constant queries for the lists."""

import datetime as dt

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from proposals import reviews, selectors, services
from proposals.models import (
    ConflictDeclaration,
    Decision,
    DepartmentOpinion,
    Presentation,
    Project,
    ProjectEvent,
    ProjectNote,
    Proposal,
    ProposalEvent,
    StageEvent,
)
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    ProposalFactory,
    RoundFactory,
    StageFactory,
    WardOfficialFactory,
)
from tests.proposals.conftest import assign, manager_of, score_all, submitted_proposal

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n%demo\n%%EOF\n"
TODAY = timezone.localdate


def _people(in_review):
    """Everyone who is not center staff, and staff."""
    proposal = in_review["proposals"][0]
    return {
        "member": MembershipFactory(organization=proposal.organization, role="manager").user,
        "ward official": in_review["official"],
        "council member": in_review["council"],
        "chair": in_review["chair"],
        "staff": in_review["staff"],
    }


def _decide_all(in_review, adopted_index=0):
    staff = in_review["staff"]
    for index, proposal in enumerate(in_review["proposals"]):
        services.decision_prepare(
            proposal=proposal,
            by=staff,
            outcome="adopted" if index == adopted_index else "not_adopted",
            council_comment="協働の効果が高い。" if index == adopted_index else "検討が不十分。",
        )


def _released_project(in_review) -> Project:
    _decide_all(in_review)
    services.decisions_release(round_=in_review["round"], by=in_review["staff"])
    return Project.objects.get(proposal=in_review["proposals"][0])


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.fixture
def staff_client(client, in_review):
    client.force_login(in_review["staff"])
    return client


# --- who may see the pages -------------------------------------------------------------------


def _page_urls(in_review):
    project = _released_project(in_review)
    return [
        reverse("proposals_staff:rounds"),
        reverse("proposals_staff:round", args=[in_review["round"].pk]),
        reverse("proposals_staff:release", args=[RoundFactory().pk]),
        reverse("proposals_staff:proposal", args=[in_review["proposals"][1].pk]),
        reverse("proposals_staff:project", args=[project.pk]),
    ]


def test_the_staff_pages_send_anonymous_visitors_to_log_in(client, in_review):
    for url in _page_urls(in_review):
        response = client.get(url)
        assert response.status_code == 302, url
        assert reverse("account_login") in response.url


@pytest.mark.parametrize("who", ["member", "ward official", "council member", "chair"])
def test_the_staff_pages_do_not_exist_for_anyone_but_center_staff(client, in_review, who):
    people = _people(in_review)
    client.force_login(people[who])
    for url in _page_urls(in_review):
        assert client.get(url).status_code == 404, url


def test_center_staff_open_every_staff_page(staff_client, in_review):
    for url in _page_urls(in_review):
        assert staff_client.get(url).status_code == 200, url


@pytest.mark.parametrize("who", ["member", "ward official", "council member", "chair"])
def test_no_one_but_staff_can_act_on_a_proposal_or_a_stage(client, in_review, who):
    people = _people(in_review)
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    client.force_login(people[who])
    posts = [
        (reverse("proposals_staff:stage_action", args=[stage.pk, "close"]), {}),
        (
            reverse("proposals_staff:return", args=[proposal.pk]),
            {"reason": "x", "resubmit_by": TODAY().isoformat()},
        ),
        (
            reverse("proposals_staff:pre_consultation", args=[proposal.pk]),
            {"on": TODAY().isoformat()},
        ),
        (reverse("proposals_staff:department", args=[proposal.pk]), {"department": "x"}),
        (reverse("proposals_staff:shortlist", args=[proposal.pk]), {}),
        (reverse("proposals_staff:unshortlist", args=[proposal.pk]), {}),
        (reverse("proposals_staff:decision", args=[proposal.pk]), {"outcome": "not_adopted"}),
        (reverse("proposals_staff:release", args=[in_review["round"].pk]), {"confirm": "on"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 404, url
    stage.refresh_from_db()
    proposal.refresh_from_db()
    assert stage.status == "open"
    assert proposal.status == "submitted" and proposal.department == ""
    assert not Decision.objects.exists()


@pytest.mark.parametrize("who", ["member", "ward official", "council member", "chair"])
def test_no_one_but_staff_can_act_on_a_project_or_download_its_agreement(client, in_review, who):
    people = _people(in_review)
    project = _released_project(in_review)
    project.agreement_file.save("kyotei.pdf", SimpleUploadedFile("kyotei.pdf", PDF))
    client.force_login(people[who])
    url = reverse("proposals_staff:project_action", args=[project.pk, "agreement"])
    assert client.get(url).status_code == 404
    note = reverse("proposals_staff:project_action", args=[project.pk, "note"])
    assert client.post(note, {"held_on": TODAY().isoformat(), "text": "x"}).status_code == 404
    assert not ProjectNote.objects.exists()


# --- the calls -------------------------------------------------------------------------------


def test_the_calls_list_counts_proposals_by_status(staff_client, in_review):
    round_ = in_review["round"]
    ProposalFactory(round=round_)  # a draft
    services.proposal_return(
        proposal=in_review["proposals"][2],
        by=in_review["staff"],
        reason="予算の根拠を補ってください。",
        resubmit_by=TODAY() + dt.timedelta(days=7),
    )
    response = staff_client.get(reverse("proposals_staff:rounds"))
    listed = {r.pk: r for r in response.context["rounds"]}
    counts = dict(listed[round_.pk].status_counts)
    assert counts == {"Draft": 1, "Submitted": 2, "Returned for changes": 1}
    assert listed[round_.pk].proposal_total == 4
    body = response.content.decode()
    assert round_.title in body
    assert reverse("proposals_staff:round", args=[round_.pk]) in body
    assert reverse("admin:proposals_round_add") in body


def test_the_calls_list_runs_the_same_queries_for_one_and_for_several_calls(
    staff_client, in_review, django_assert_num_queries
):
    url = reverse("proposals_staff:rounds")
    with_one = _count_queries(staff_client, url)
    for _ in range(3):
        round_ = RoundFactory()
        StageFactory(round=round_)
        StageFactory(round=round_, number=2, status="preparing")
        submitted_proposal(round_)
        ProposalFactory(round=round_)
    with django_assert_num_queries(with_one):
        response = staff_client.get(url)
    assert len(response.context["rounds"]) == 4


def test_a_calls_page_shows_stages_reviewers_proposals_and_their_handling(staff_client, in_review):
    round_, stage = in_review["round"], in_review["stage"]
    first, second, third = in_review["proposals"]
    official = in_review["official"]
    services.department_assign(
        proposal=first, by=in_review["staff"], department="高齢者福祉課", official=official
    )
    services.opinion_save(
        proposal=first, by=official, feasibility="feasible", text="可能。", submit=True
    )
    services.decision_prepare(proposal=second, by=in_review["staff"], outcome="not_adopted")
    draft = ProposalFactory(round=round_, title="まだ下書きの提案")
    response = staff_client.get(reverse("proposals_staff:round", args=[round_.pk]))
    body = response.content.decode()
    assert stage.name in body
    assert reverse("proposals_review:dashboard", args=[stage.pk]) in body
    assert reverse("proposals_staff:stage_action", args=[stage.pk, "close"]) in body
    for reviewer in (in_review["council"], official, in_review["chair"]):
        assert str(reviewer) in body
    for proposal in (first, second, third, draft):
        assert reverse("proposals_staff:proposal", args=[proposal.pk]) in body
    assert "まだ下書きの提案" in body
    assert "高齢者福祉課" in body
    assert "Given (Feasible)" in body
    assert "Not adopted" in body and "(prepared)" in body
    assert first.pre_consultation_on.strftime("%Y-%m-%d") in body
    # two of three proposals in review lack a decision
    assert (response.context["undecided_count"], response.context["in_review_count"]) == (2, 3)
    assert reverse("proposals_staff:release", args=[round_.pk]) in body


def test_a_calls_page_runs_the_same_queries_for_one_and_for_several_proposals(
    staff_client, django_assert_num_queries, staff
):
    round_ = RoundFactory()
    stage = StageFactory(round=round_)
    second = StageFactory(round=round_, number=2, status="preparing")
    official = WardOfficialFactory()

    def add_proposal():
        proposal = submitted_proposal(round_)
        services.department_assign(proposal=proposal, by=staff, department="課", official=official)
        DepartmentOpinion.objects.create(
            proposal=proposal,
            author=official,
            feasibility="feasible",
            text="可",
            submitted_at=timezone.now(),
        )
        services.proposal_shortlist(proposal=proposal, stage=second, by=staff, place="会議室")
        services.decision_prepare(proposal=proposal, by=staff, outcome="not_adopted")
        assign(stage, WardOfficialFactory(), proposals=[proposal])
        ProposalFactory(round=round_)
        return proposal

    add_proposal()
    assign(stage, official)
    url = reverse("proposals_staff:round", args=[round_.pk])
    with_one = _count_queries(staff_client, url)
    for _ in range(3):
        add_proposal()
    with django_assert_num_queries(with_one):
        response = staff_client.get(url)
    assert len(response.context["proposals"]) == 8


# --- stages ------------------------------------------------------------------------------------


def test_staff_close_and_reopen_a_stage_with_history(staff_client, in_review):
    stage = in_review["stage"]
    close = reverse("proposals_staff:stage_action", args=[stage.pk, "close"])
    response = staff_client.post(close, {"reason": "締切"})
    assert response.status_code == 302
    stage.refresh_from_db()
    assert stage.status == "closed" and stage.closed_at is not None
    staff_client.post(reverse("proposals_staff:stage_action", args=[stage.pk, "open"]))
    stage.refresh_from_db()
    assert stage.status == "open" and stage.closed_at is None
    events = list(StageEvent.objects.filter(stage=stage).values_list("new_status", "reason"))
    assert events[-2:] == [("closed", "締切"), ("open", "")]


def test_a_stage_action_must_be_posted_and_known(staff_client, in_review):
    stage = in_review["stage"]
    assert (
        staff_client.get(
            reverse("proposals_staff:stage_action", args=[stage.pk, "close"])
        ).status_code
        == 405
    )
    response = staff_client.post(reverse("proposals_staff:stage_action", args=[stage.pk, "delete"]))
    assert response.status_code == 404


def test_opening_a_stage_twice_is_refused_with_the_services_message(staff_client, in_review):
    stage = in_review["stage"]
    response = staff_client.post(
        reverse("proposals_staff:stage_action", args=[stage.pk, "open"]), follow=True
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any("cannot go from" in m for m in messages)


def test_staff_open_a_prepared_stage(staff_client, in_review):
    second = StageFactory(round=in_review["round"], number=2, status="preparing")
    staff_client.post(reverse("proposals_staff:stage_action", args=[second.pk, "open"]))
    second.refresh_from_db()
    assert second.status == "open"


# --- releasing the decisions ----------------------------------------------------------------


def test_the_release_is_refused_while_a_proposal_has_no_decision(staff_client, in_review):
    round_ = in_review["round"]
    services.decision_prepare(
        proposal=in_review["proposals"][0], by=in_review["staff"], outcome="adopted"
    )
    url = reverse("proposals_staff:release", args=[round_.pk])
    page = staff_client.get(url)
    assert len(page.context["undecided"]) == 2
    response = staff_client.post(url, {"confirm": "on"}, follow=True)
    assert any("have no decision yet" in str(m) for m in response.context["messages"])
    round_.refresh_from_db()
    assert round_.decisions_released_at is None
    assert {p.status for p in Proposal.objects.filter(round=round_)} == {"submitted"}


def test_the_release_needs_the_confirmation(staff_client, in_review):
    _decide_all(in_review)
    url = reverse("proposals_staff:release", args=[in_review["round"].pk])
    response = staff_client.post(url, {})
    assert response.status_code == 200
    assert response.context["form"].errors
    in_review["round"].refresh_from_db()
    assert not in_review["round"].decisions_released


def test_staff_release_the_decisions_once(staff_client, in_review, run_on_commit):
    round_, staff = in_review["round"], in_review["staff"]
    _decide_all(in_review)
    managers = {p.pk: manager_of(p.organization) for p in in_review["proposals"]}
    url = reverse("proposals_staff:release", args=[round_.pk])
    with run_on_commit():
        response = staff_client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    round_.refresh_from_db()
    assert round_.decisions_released_by == staff
    statuses = [p.status for p in Proposal.objects.filter(round=round_).order_by("number")]
    assert statuses == ["adopted", "not_adopted", "not_adopted"]
    assert Project.objects.filter(proposal=in_review["proposals"][0]).exists()
    decision_mails = [m for m in mail.outbox if m.to[0] in {u.email for u in managers.values()}]
    assert len(decision_mails) == 3
    letters = set(Decision.objects.values_list("letter_id", flat=True))
    # After the release the page says when and by whom, and a second release does nothing.
    page = staff_client.get(reverse("proposals_staff:round", args=[round_.pk]))
    assert "data-released" in page.content.decode()
    assert str(staff) in page.content.decode()
    mail.outbox.clear()
    with run_on_commit():
        again = staff_client.post(url, {"confirm": "on"}, follow=True)
    assert any("have been released" in str(m) for m in again.context["messages"])
    assert mail.outbox == []
    assert set(Decision.objects.values_list("letter_id", flat=True)) == letters
    assert ProposalEvent.objects.filter(new_status="adopted").count() == 1


# --- one proposal ----------------------------------------------------------------------------


def test_the_proposal_page_shows_the_frozen_version_and_the_history(staff_client, in_review):
    proposal = in_review["proposals"][0]
    Proposal.objects.filter(pk=proposal.pk).update(title="提出後に変わった題名")
    response = staff_client.get(reverse("proposals_staff:proposal", args=[proposal.pk]))
    body = response.content.decode()
    assert proposal.title in body  # the frozen version's title
    assert proposal.reference in body
    assert response.context["events"][-1].new_status == "submitted"
    assert reverse("proposals_staff:return", args=[proposal.pk]) in body
    assert reverse("proposals_staff:decision", args=[proposal.pk]) in body
    assert reverse("organizations:staff_detail", args=[proposal.organization_id]) in body


def test_staff_see_a_draft_with_its_current_text(staff_client, call):
    draft = ProposalFactory(round=call, title="下書きの題名", issue="下書きの課題")
    response = staff_client_get(staff_client, draft)
    body = response.content.decode()
    assert response.context["is_draft_view"]
    assert "下書きの題名" in body and "下書きの課題" in body
    assert "Current text (not submitted)" in body


def staff_client_get(client, proposal, **params):
    return client.get(reverse("proposals_staff:proposal", args=[proposal.pk]), params)


def test_staff_return_a_proposal_with_a_reason_and_a_new_date(
    staff_client, in_review, run_on_commit
):
    proposal = in_review["proposals"][0]
    new_date = TODAY() + dt.timedelta(days=10)
    with run_on_commit():
        response = staff_client.post(
            reverse("proposals_staff:return", args=[proposal.pk]),
            {"reason": "予算の根拠を補ってください。", "resubmit_by": new_date.isoformat()},
        )
    assert response.status_code == 302
    proposal.refresh_from_db()
    assert proposal.status == "returned" and proposal.resubmit_by == new_date
    event = ProposalEvent.objects.filter(proposal=proposal).last()
    assert (event.new_status, event.reason) == ("returned", "予算の根拠を補ってください。")
    assert [m.to for m in mail.outbox] == [[manager_of(proposal.organization).email]]


def test_a_return_without_a_reason_shows_the_form_again(staff_client, in_review):
    proposal = in_review["proposals"][0]
    response = staff_client.post(
        reverse("proposals_staff:return", args=[proposal.pk]),
        {"reason": "", "resubmit_by": (TODAY() - dt.timedelta(days=1)).isoformat()},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"reason", "resubmit_by"}
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_staff_record_the_prior_consultation(staff_client, in_review):
    proposal = in_review["proposals"][0]
    held = TODAY() - dt.timedelta(days=40)
    staff_client.post(
        reverse("proposals_staff:pre_consultation", args=[proposal.pk]), {"on": held.isoformat()}
    )
    proposal.refresh_from_db()
    assert proposal.pre_consultation_on == held
    assert ProposalEvent.objects.filter(proposal=proposal, reason__contains=held.isoformat())


def test_staff_name_the_department_and_its_official_who_is_asked_by_mail(
    staff_client, in_review, run_on_commit
):
    proposal, official = in_review["proposals"][0], in_review["official"]
    with run_on_commit():
        staff_client.post(
            reverse("proposals_staff:department", args=[proposal.pk]),
            {"department": "環境政策課", "official": official.pk},
        )
    proposal.refresh_from_db()
    assert (proposal.department, proposal.department_official) == ("環境政策課", official)
    assert [m.to for m in mail.outbox] == [[official.email]]


def test_the_departments_official_must_be_a_ward_official(staff_client, in_review):
    proposal = in_review["proposals"][0]
    response = staff_client.post(
        reverse("proposals_staff:department", args=[proposal.pk]),
        {"department": "環境政策課", "official": in_review["council"].pk},
    )
    assert response.status_code == 200
    assert "official" in response.context["form"].errors
    proposal.refresh_from_db()
    assert proposal.department_official is None


def test_staff_shortlist_a_proposal_with_its_presentation_and_take_it_off(staff_client, in_review):
    proposal = in_review["proposals"][0]
    second = StageFactory(round=in_review["round"], number=2, status="preparing")
    day = TODAY() + dt.timedelta(days=20)
    staff_client.post(
        reverse("proposals_staff:shortlist", args=[proposal.pk]),
        {"day": day.isoformat(), "time": "14:00", "place": "会議室"},
    )
    proposal.refresh_from_db()
    assert proposal.status == "shortlisted"
    presentation = Presentation.objects.get(proposal=proposal, stage=second)
    assert timezone.localtime(presentation.starts_at).hour == 14
    assert presentation.place == "会議室"
    page = staff_client_get(staff_client, proposal)
    assert reverse("proposals_staff:unshortlist", args=[proposal.pk]) in page.content.decode()
    staff_client.post(
        reverse("proposals_staff:unshortlist", args=[proposal.pk]), {"reason": "取り違え"}
    )
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert not Presentation.objects.filter(proposal=proposal).exists()


def test_shortlisting_without_a_second_stage_is_refused(staff_client, in_review):
    proposal = in_review["proposals"][0]
    response = staff_client.post(
        reverse("proposals_staff:shortlist", args=[proposal.pk]), {"place": "会議室"}
    )
    assert response.status_code == 200
    assert any("no second stage" in str(m) for m in response.context["messages"])
    proposal.refresh_from_db()
    assert proposal.status == "submitted"


def test_staff_prepare_a_decision_that_nobody_else_sees_yet(staff_client, in_review):
    proposal = in_review["proposals"][0]
    response = staff_client.post(
        reverse("proposals_staff:decision", args=[proposal.pk]),
        {
            "outcome": "adopted_conditions",
            "council_comment": "良い提案。",
            "conditions": "予算の見直し",
        },
    )
    assert response.status_code == 302
    decision = Decision.objects.get(proposal=proposal)
    assert (decision.outcome, decision.conditions) == ("adopted_conditions", "予算の見直し")
    assert decision.prepared_by == in_review["staff"]
    proposal.refresh_from_db()
    assert proposal.status == "submitted"  # unchanged until the release


def test_an_adoption_with_conditions_needs_them(staff_client, in_review):
    proposal = in_review["proposals"][0]
    response = staff_client.post(
        reverse("proposals_staff:decision", args=[proposal.pk]),
        {"outcome": "adopted_conditions", "conditions": ""},
    )
    assert response.status_code == 200
    assert "conditions" in response.context["form"].errors
    assert not Decision.objects.exists()


def test_an_adopted_proposals_page_links_to_its_project(staff_client, in_review):
    project = _released_project(in_review)
    page = staff_client_get(staff_client, in_review["proposals"][0])
    assert reverse("proposals_staff:project", args=[project.pk]) in page.content.decode()
    assert not page.context["can_decide"]


# --- the adopted project ---------------------------------------------------------------------


def _act(client, project, action, data=None, **extra):
    return client.post(
        reverse("proposals_staff:project_action", args=[project.pk, action]), data or {}, **extra
    )


def test_staff_follow_a_project_from_the_talks_to_its_second_year(staff_client, in_review):
    project = _released_project(in_review)
    today = TODAY()
    _act(staff_client, project, "note", {"held_on": today.isoformat(), "text": "初回協議"})
    assert ProjectNote.objects.get(project=project).author == in_review["staff"]
    _act(staff_client, project, "budget", {"on": today.isoformat(), "amount": "1200000"})
    project.refresh_from_db()
    assert (project.status, project.budget_amount) == ("budgeted", 1_200_000)
    upload = SimpleUploadedFile("kyotei.pdf", PDF, content_type="application/pdf")
    _act(
        staff_client,
        project,
        "agreement",
        {
            "file": upload,
            "signed_on": today.isoformat(),
            "starts_on": today.isoformat(),
            "ends_on": (today + dt.timedelta(days=365)).isoformat(),
        },
    )
    project.refresh_from_db()
    assert project.status == "agreed" and project.agreement_file
    download = staff_client.get(
        reverse("proposals_staff:project_action", args=[project.pk, "agreement"])
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    _act(staff_client, project, "start_year", {"year": "1"})
    project.refresh_from_db()
    assert project.status == "running"
    _act(
        staff_client,
        project,
        "verdict",
        {
            "year": "1",
            "verdict": "continue_changes",
            "text": "一部修正を要するが継続すべきである",
            "on": today.isoformat(),
        },
    )
    first = project.years.get(year=1)
    assert (first.status, first.verdict) == ("done", "continue_changes")
    _act(staff_client, project, "start_year", {"year": "2"})
    assert project.years.get(year=2).status == "running"
    page = staff_client.get(reverse("proposals_staff:project", args=[project.pk]))
    body = page.content.decode()
    assert "一部修正を要するが継続すべきである" in body and "初回協議" in body
    assert [e.new_status for e in page.context["events"]] == [
        "consulting",
        "budgeted",
        "agreed",
        "running",
    ]


def test_a_project_ends_with_an_end_verdict(staff_client, in_review):
    project = _released_project(in_review)
    today = TODAY().isoformat()
    _act(staff_client, project, "budget", {"on": today})
    project.refresh_from_db()
    _act(staff_client, project, "finish", {"to": "ended", "note": "予算が成立しなかった"})
    project.refresh_from_db()
    assert project.status == "ended" and project.outcome_note == "予算が成立しなかった"
    assert ProjectEvent.objects.filter(project=project, new_status="ended").exists()


def test_an_agreement_that_is_not_a_document_is_refused(staff_client, in_review):
    project = _released_project(in_review)
    _act(staff_client, project, "budget", {"on": TODAY().isoformat()})
    today = TODAY().isoformat()
    response = _act(
        staff_client,
        project,
        "agreement",
        {
            "file": SimpleUploadedFile("kyotei.pdf", b"MZ not a pdf"),
            "signed_on": today,
            "starts_on": today,
            "ends_on": today,
        },
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    project.refresh_from_db()
    assert project.status == "budgeted" and not project.agreement_file


def test_commissioning_before_the_second_year_is_refused_with_the_services_message(
    staff_client, in_review
):
    project = _released_project(in_review)
    response = _act(staff_client, project, "finish", {"to": "commissioned"})
    assert response.status_code == 200
    assert any("after its second year" in str(m) for m in response.context["messages"])
    project.refresh_from_db()
    assert project.status == "consulting"


def test_an_unknown_project_action_or_a_missing_agreement_is_404(staff_client, in_review):
    project = _released_project(in_review)
    assert _act(staff_client, project, "delete").status_code == 404
    url = reverse("proposals_staff:project_action", args=[project.pk, "agreement"])
    assert staff_client.get(url).status_code == 404


# --- sections on other pages -----------------------------------------------------------------


def test_staff_find_the_proposal_pages_on_their_my_page(staff_client):
    body = staff_client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("proposals_staff:rounds") in body


def test_the_organizations_360_page_lists_its_proposals(staff_client, in_review):
    proposal = in_review["proposals"][0]
    draft = ProposalFactory(organization=proposal.organization, title="次の提案の下書き")
    page = staff_client.get(reverse("organizations:staff_detail", args=[proposal.organization_id]))
    body = page.content.decode()
    assert reverse("proposals_staff:proposal", args=[proposal.pk]) in body
    assert reverse("proposals_staff:proposal", args=[draft.pk]) in body
    assert "次の提案の下書き" in body


def test_scores_reach_the_dashboard_link_from_the_staff_page(staff_client, in_review):
    # The staff page links each stage to its dashboard; reviewers' scores are the reviewers'.
    stage = in_review["stage"]
    score_all(stage, in_review["proposals"][0], in_review["council"], 4)
    reviews.stage_close(stage=stage, by=in_review["staff"])
    body = staff_client.get(
        reverse("proposals_staff:round", args=[in_review["round"].pk])
    ).content.decode()
    assert reverse("proposals_review:dashboard", args=[stage.pk]) in body
    assert reverse("proposals_staff:stage_action", args=[stage.pk, "open"]) in body
    assert "Reopen scoring" in body


def test_anonymous_actions_are_sent_to_log_in_and_change_nothing(client, in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    for url in (
        reverse("proposals_staff:stage_action", args=[stage.pk, "close"]),
        reverse("proposals_staff:decision", args=[proposal.pk]),
        reverse("proposals_staff:release", args=[in_review["round"].pk]),
    ):
        response = client.post(url, {"outcome": "adopted", "confirm": "on"})
        assert response.status_code == 302 and reverse("account_login") in response.url
    stage.refresh_from_db()
    assert stage.status == "open" and not Decision.objects.exists()


def test_an_action_opened_on_its_own_shows_its_form(staff_client, in_review):
    proposal = in_review["proposals"][0]
    response = staff_client.get(reverse("proposals_staff:return", args=[proposal.pk]))
    assert response.status_code == 200
    assert set(response.context["form"].fields) == {"reason", "resubmit_by"}
    assert 'name="resubmit_by"' in response.content.decode()


# --- conflicts of interest recorded late -------------------------------------------------------


def _conflict_url(proposal):
    return reverse("proposals_staff:conflict", args=[proposal.pk])


def _result_of(stage, proposal, viewer):
    return next(r for r in selectors.stage_results(stage, viewer) if r.proposal.pk == proposal.pk)


@pytest.mark.parametrize("who", ["member", "ward official", "council member", "chair"])
def test_no_one_but_staff_can_record_a_conflict(client, in_review, who):
    proposal = in_review["proposals"][0]
    client.force_login(_people(in_review)[who])
    url = _conflict_url(proposal)
    assert client.get(url).status_code == 404
    data = {"reviewer": in_review["council"].pk, "note": "親族が代表"}
    assert client.post(url, data).status_code == 404
    assert not ConflictDeclaration.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_instead_of_recording_a_conflict(client, in_review):
    proposal = in_review["proposals"][0]
    response = client.post(
        _conflict_url(proposal), {"reviewer": in_review["council"].pk, "note": "x"}
    )
    assert response.status_code == 302 and reverse("account_login") in response.url
    assert not ConflictDeclaration.objects.exists()


def test_staff_record_a_late_conflict_and_the_review_stops_counting(staff_client, in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    council, official, staff = in_review["council"], in_review["official"], in_review["staff"]
    score_all(stage, proposal, council, 5)
    score_all(stage, proposal, official, 1)
    reviews.stage_close(stage=stage, by=staff)  # a conflict found after scoring closed
    before = _result_of(stage, proposal, staff)
    assert (before.count, before.conflicts) == (2, 0)

    response = staff_client.post(
        _conflict_url(proposal), {"reviewer": council.pk, "note": "  代表者が委員の親族  "}
    )
    assert response.status_code == 302
    assert response.url == reverse("proposals_staff:proposal", args=[proposal.pk])
    declaration = ConflictDeclaration.objects.get(proposal=proposal, reviewer=council)
    assert declaration.has_conflict is True
    assert declaration.note == "代表者が委員の親族"
    after = _result_of(stage, proposal, staff)
    assert (after.count, after.conflicts) == (1, 1)
    assert after.totals == [min(before.totals)]  # only the ward official's review counts

    page = staff_client_get(staff_client, proposal)
    body = page.content.decode()
    assert "代表者が委員の親族" in body
    assert f"Recorded by {staff}" in body
    assert str(council) in body
    row = next(d for d in page.context["declarations"] if d.reviewer_id == council.pk)
    assert row.has_conflict and row.recorded_by == staff


def test_the_chair_conflict_can_be_recorded(staff_client, in_review):
    proposal, chair = in_review["proposals"][1], in_review["chair"]
    staff_client.post(_conflict_url(proposal), {"reviewer": chair.pk, "note": "顧問をしている"})
    assert ConflictDeclaration.objects.get(reviewer=chair, proposal=proposal).has_conflict


def test_the_chair_can_be_chosen_even_without_an_assignment(staff_client, in_review):
    round_, proposal = in_review["round"], in_review["proposals"][0]
    chair = CouncilMemberFactory(family_name="議長", given_name="一郎")
    round_.chair = chair
    round_.save(update_fields=["chair"])
    page = staff_client_get(staff_client, proposal)
    choices = list(page.context["conflict_form"].fields["reviewer"].queryset)
    assert chair in choices
    assert {in_review["council"], in_review["official"]} <= set(choices)
    assert "議長" in page.content.decode()  # the select shows names


def test_a_conflict_is_recorded_only_for_a_reviewer_or_the_chair_and_with_a_reason(
    staff_client, in_review
):
    proposal = in_review["proposals"][0]
    stranger = CouncilMemberFactory()  # a council member not reviewing this call
    response = staff_client.post(_conflict_url(proposal), {"reviewer": stranger.pk, "note": "x"})
    assert response.status_code == 200
    assert "reviewer" in response.context["form"].errors
    response = staff_client.post(
        _conflict_url(proposal), {"reviewer": in_review["council"].pk, "note": "  "}
    )
    assert response.status_code == 200
    assert "note" in response.context["form"].errors
    assert not ConflictDeclaration.objects.exists()


def test_a_conflict_is_not_recorded_after_the_release(staff_client, in_review):
    proposal = in_review["proposals"][0]
    _released_project(in_review)
    page = staff_client_get(staff_client, proposal)
    assert not page.context["can_record_conflict"]
    assert _conflict_url(proposal) not in page.content.decode()
    response = staff_client.post(
        _conflict_url(proposal), {"reviewer": in_review["council"].pk, "note": "後から判明"}
    )
    assert response.status_code == 200
    assert any("have been released" in str(m) for m in response.context["messages"])
    assert not ConflictDeclaration.objects.exists()


def test_the_proposal_page_lists_declarations_and_automatic_exclusions(staff_client, in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    official = in_review["official"]
    MembershipFactory(organization=proposal.organization, user=in_review["council"], role="member")
    reviews.conflict_declare(
        proposal=proposal, stage=stage, reviewer=official, has_conflict=False, note="関係なし"
    )
    page = staff_client_get(staff_client, proposal)
    body = page.content.decode()
    assert page.context["automatic_exclusions"] == [in_review["council"]]
    assert "Excluded automatically as members of the proposing organization" in body
    (declaration,) = page.context["declarations"]
    assert declaration.reviewer == official and not declaration.has_conflict
    assert declaration.recorded_by is None  # declared by the official themself
    assert "関係なし" in body


def test_the_proposal_page_runs_the_same_queries_for_one_and_several_declarations(
    staff_client, in_review, django_assert_num_queries
):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    url = reverse("proposals_staff:proposal", args=[proposal.pk])
    staff_client.post(_conflict_url(proposal), {"reviewer": in_review["council"].pk, "note": "a"})
    with_one = _count_queries(staff_client, url)
    reviews.conflict_declare(
        proposal=proposal, stage=stage, reviewer=in_review["official"], has_conflict=False
    )
    staff_client.post(_conflict_url(proposal), {"reviewer": in_review["chair"].pk, "note": "b"})
    for _ in range(2):
        member = CouncilMemberFactory()
        MembershipFactory(organization=proposal.organization, user=member)
        assign(stage, member)
    with django_assert_num_queries(with_one):
        response = staff_client.get(url)
    assert len(response.context["declarations"]) == 3
    assert len(response.context["automatic_exclusions"]) == 2


# --- what blocks the release ---------------------------------------------------------------------


def test_a_returned_proposal_blocks_the_release_with_the_services_message(staff_client, in_review):
    round_, staff = in_review["round"], in_review["staff"]
    first, second, third = in_review["proposals"]
    services.decision_prepare(proposal=first, by=staff, outcome="adopted")
    services.decision_prepare(proposal=second, by=staff, outcome="not_adopted")
    services.decision_prepare(proposal=third, by=staff, outcome="not_adopted")
    services.proposal_return(
        proposal=third,
        by=staff,
        reason="収支を見直してください。",
        resubmit_by=TODAY() + dt.timedelta(days=7),
    )
    url = reverse("proposals_staff:release", args=[round_.pk])
    page = staff_client.get(url)
    body = page.content.decode()
    assert page.context["returned"] == [third]
    assert page.context["undecided"] == []
    assert "1 proposal is returned for changes" in body
    assert reverse("proposals_staff:proposal", args=[third.pk]) in body
    assert "a proposal is returned for changes" in body  # the explanation above the list

    response = staff_client.post(url, {"confirm": "on"})
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    assert any("1 proposal(s) are returned for changes" in m for m in messages)
    assert "1 proposal(s) are returned for changes" in response.content.decode()
    round_.refresh_from_db()
    assert round_.decisions_released_at is None
    assert not Project.objects.exists()
    assert Proposal.objects.get(pk=first.pk).status == "submitted"


def test_an_adoption_off_the_shortlist_blocks_the_release(staff_client, in_review):
    round_ = in_review["round"]
    _decide_all(in_review)  # decided while the call had one stage
    StageFactory(round=round_, number=2, status="preparing")  # a second stage added since
    url = reverse("proposals_staff:release", args=[round_.pk])
    page = staff_client.get(url)
    assert page.context["unlisted"] == [in_review["proposals"][0]]
    assert "adoptions are checked against the shortlist again" in page.content.decode()
    response = staff_client.post(url, {"confirm": "on"})
    assert any(
        "Only shortlisted proposals can be adopted" in str(m) for m in response.context["messages"]
    )
    round_.refresh_from_db()
    assert round_.decisions_released_at is None
