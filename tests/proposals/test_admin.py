"""The backoffice for 協働事業提案: every page loads for staff, a new call gets the default
criteria, criteria freeze once scoring has begun, reviewers must be reviewers, and what
reviewers and organizations wrote (scores, proposals) cannot be changed by staff."""

import datetime as dt

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from django.utils import timezone

from proposals import services
from proposals.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Decision,
    Presentation,
    Project,
    ProposalReminder,
    Review,
    Round,
    Score,
)
from tests.factories import (
    CouncilMemberFactory,
    RoundFactory,
    StageFactory,
    UserFactory,
    WardOfficialFactory,
)
from tests.proposals.conftest import score_all, submitted_proposal

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, in_review):
    client.force_login(in_review["staff"])
    return client


@pytest.fixture
def filled(in_review):
    """A call with a review, a conflict declaration, a presentation, a decision released into
    a project, and a reminder row: one of everything the admin lists."""
    stage, staff = in_review["stage"], in_review["staff"]
    first, second, third = in_review["proposals"]
    score_all(stage, first, in_review["council"], 4)
    ConflictDeclaration.objects.create(
        proposal=second, reviewer=in_review["official"], has_conflict=True
    )
    stage_two = StageFactory(round=in_review["round"], number=2, status="preparing")
    services.proposal_shortlist(proposal=first, stage=stage_two, by=staff, place="会議室")
    services.decision_prepare(proposal=first, by=staff, outcome="adopted")
    for proposal in (second, third):
        services.decision_prepare(proposal=proposal, by=staff, outcome="not_adopted")
    services.decisions_release(round_=in_review["round"], by=staff)
    ProposalReminder.objects.create(key="review:1:2", email="a@example.jp")
    return in_review


def _admin_url(model, view="changelist", *args):
    return reverse(f"admin:proposals_{model._meta.model_name}_{view}", args=args)


ALL_MODELS = [
    Round,
    Assignment,
    Presentation,
    Decision,
    Review,
    Score,
    ConflictDeclaration,
    Project,
    ProposalReminder,
]


def test_every_proposals_admin_page_loads_for_staff(staff_client, filled):
    from proposals.models import Proposal, Stage

    for model in [*ALL_MODELS, Proposal, Stage]:
        assert staff_client.get(_admin_url(model)).status_code == 200, model
        obj = model.objects.first()
        assert obj is not None, model
        response = staff_client.get(_admin_url(model, "change", obj.pk))
        assert response.status_code == 200, model
        history = staff_client.get(_admin_url(model, "history", obj.pk))
        assert history.status_code == 200, model
    assert staff_client.get(_admin_url(Round, "add")).status_code == 200
    assert staff_client.get(_admin_url(Assignment, "add")).status_code == 200


@pytest.mark.parametrize("who", ["official", "council", "chair"])
def test_reviewers_do_not_reach_the_backoffice(client, in_review, who):
    client.force_login(in_review[who])
    response = client.get(_admin_url(Round))
    assert response.status_code == 302
    assert reverse("admin:login") in response.url


# --- calls and criteria ----------------------------------------------------------------------


def _inline_management(prefix, total=0, initial=0):
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def _round_data(**overrides):
    today = timezone.localdate()
    data = {
        "fiscal_year": str(today.year + 1),
        "title": "新しい募集",
        "summary": "",
        "guide_text": "",
        "accepts_free_proposals": "on",
        "is_published": "",
        "pre_consultation_from": today.isoformat(),
        "pre_consultation_until": (today + dt.timedelta(days=60)).isoformat(),
        "call_opens_on": today.isoformat(),
        "submission_deadline": (today + dt.timedelta(days=60)).isoformat(),
        "decision_due_on": "",
        "chair": "",
        "max_points": "5",
        "adoption_line": "50",
        "hide_scores_until_submitted": "on",
        **_inline_management("themes"),
        **_inline_management("criteria"),
        **_inline_management("stages"),
    }
    data.update(overrides)
    return data


def test_a_call_created_in_the_admin_gets_the_ten_default_criteria(staff_client):
    response = staff_client.post(_admin_url(Round, "add"), _round_data())
    assert response.status_code == 302, response.context["adminform"].form.errors
    round_ = Round.objects.get(title="新しい募集")
    names = list(round_.criteria.order_by("order").values_list("name", flat=True))
    assert len(names) == 10
    assert names[0] == "公益性" and names[-1] == "継続・自立性"
    # Who created it is on record.
    assert round_.history.first().history_user.is_staff


def test_a_call_created_with_its_own_criteria_keeps_them(staff_client):
    data = _round_data(
        **_inline_management("criteria", total=1),
        **{
            "criteria-0-order": "1",
            "criteria-0-name": "独自の基準",
            "criteria-0-name_en": "",
            "criteria-0-description": "",
            "criteria-0-weight": "2",
        },
    )
    assert staff_client.post(_admin_url(Round, "add"), data).status_code == 302
    round_ = Round.objects.get(title="新しい募集")
    assert list(round_.criteria.values_list("name", flat=True)) == ["独自の基準"]


def test_the_chair_is_chosen_among_council_members(staff_client, in_review):
    official = WardOfficialFactory()
    data = _round_data(chair=str(official.pk))
    response = staff_client.post(_admin_url(Round, "add"), data)
    assert response.status_code == 200
    assert "chair" in response.context["adminform"].form.errors
    data = _round_data(chair=str(in_review["council"].pk))
    assert staff_client.post(_admin_url(Round, "add"), data).status_code == 302


def test_the_admin_action_adds_default_criteria_to_calls_without_any(staff_client, in_review):
    bare = RoundFactory(criteria=False)
    response = staff_client.post(
        _admin_url(Round),
        {
            "action": "add_default_criteria",
            ACTION_CHECKBOX_NAME: [bare.pk, in_review["round"].pk],
            "index": 0,
        },
        follow=True,
    )
    assert bare.criteria.count() == 10
    assert in_review["round"].criteria.count() == 10  # left as it was
    messages = [str(m) for m in response.context["messages"]]
    assert any("already had criteria" in m for m in messages)


def test_criteria_are_editable_until_the_first_review(staff_client, in_review):
    round_ = in_review["round"]
    url = _admin_url(Round, "change", round_.pk)
    body = staff_client.get(url).content.decode()
    assert 'name="criteria-0-name"' in body
    score_all(in_review["stage"], in_review["proposals"][0], in_review["council"], 3)
    response = staff_client.get(url)
    body = response.content.decode()
    assert 'name="criteria-0-name"' not in body
    assert 'name="max_points"' not in body
    assert Criterion.objects.get(round=round_, order=1).name in body  # still shown


def test_stages_status_is_read_only_in_the_admin(staff_client, in_review):
    body = staff_client.get(_admin_url(Round, "change", in_review["round"].pk)).content.decode()
    assert 'name="stages-0-name"' in body
    assert 'name="stages-0-status"' not in body


# --- assignments -----------------------------------------------------------------------------


def _assignment_data(stage, reviewer, proposals=(), all_proposals=True):
    return {
        "stage": str(stage.pk),
        "reviewer": str(reviewer.pk),
        "all_proposals": "on" if all_proposals else "",
        "proposals": [str(p.pk) for p in proposals],
    }


def test_staff_assign_a_council_member_to_chosen_proposals(staff_client, in_review):
    member = CouncilMemberFactory()
    chosen = in_review["proposals"][:2]
    response = staff_client.post(
        _admin_url(Assignment, "add"),
        _assignment_data(in_review["stage"], member, chosen, all_proposals=False),
    )
    assert response.status_code == 302
    assignment = Assignment.objects.get(reviewer=member)
    assert set(assignment.proposals.all()) == set(chosen)
    assert assignment.history.first().history_user == in_review["staff"]


def test_only_council_members_and_ward_officials_can_be_assigned(staff_client, in_review):
    response = staff_client.post(
        _admin_url(Assignment, "add"), _assignment_data(in_review["stage"], UserFactory())
    )
    assert response.status_code == 200
    assert "reviewer" in response.context["adminform"].form.errors
    assert not Assignment.objects.filter(stage=in_review["stage"]).exclude(
        reviewer__in=[in_review["council"], in_review["official"], in_review["chair"]]
    )


def test_chosen_proposals_must_belong_to_the_stages_call(staff_client, in_review):
    other = submitted_proposal(RoundFactory())
    member = WardOfficialFactory()
    response = staff_client.post(
        _admin_url(Assignment, "add"),
        _assignment_data(in_review["stage"], member, [other], all_proposals=False),
    )
    assert response.status_code == 200
    assert "proposals" in response.context["adminform"].form.errors
    response = staff_client.post(
        _admin_url(Assignment, "add"),
        _assignment_data(in_review["stage"], member, [], all_proposals=False),
    )
    assert "proposals" in response.context["adminform"].form.errors
    assert not Assignment.objects.filter(reviewer=member).exists()


# --- what staff may not change ---------------------------------------------------------------


def test_scores_reviews_and_declarations_cannot_be_changed_or_deleted(staff_client, filled):
    review = Review.objects.first()
    score = Score.objects.first()
    declaration = ConflictDeclaration.objects.first()
    before = score.points
    response = staff_client.post(
        _admin_url(Score, "change", score.pk), {"points": "0", "comment": "x"}
    )
    assert response.status_code == 403
    for model, obj in ((Score, score), (Review, review), (ConflictDeclaration, declaration)):
        assert staff_client.post(_admin_url(model, "change", obj.pk), {}).status_code == 403
        assert (
            staff_client.post(_admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code
            == 403
        )
        assert staff_client.get(_admin_url(model, "add")).status_code == 403
    score.refresh_from_db()
    assert score.points == before
    body = staff_client.get(_admin_url(Review, "change", review.pk)).content.decode()
    assert 'name="scores-0-points"' not in body


def test_history_cannot_be_written_back_through_the_revert(staff_client, filled):
    stage = filled["stage"]
    stage.refresh_from_db()
    status = stage.status
    version = stage.history.last()  # as first created
    url = reverse("admin:proposals_stage_simple_history", args=[stage.pk, version.history_id])
    assert staff_client.get(url).status_code == 200
    assert staff_client.post(url, {"name": "x"}).status_code == 403
    stage.refresh_from_db()
    assert stage.status == status and stage.name != "x"


def test_a_proposal_is_shown_not_edited(staff_client, in_review):
    proposal = in_review["proposals"][0]
    url = _admin_url(type(proposal), "change", proposal.pk)
    body = staff_client.get(url).content.decode()
    assert proposal.title in body
    assert 'name="title"' not in body
    assert reverse("proposals_staff:proposal", args=[proposal.pk]) in body
    assert staff_client.post(url, {"title": "書き換え"}).status_code == 403
    proposal.refresh_from_db()
    assert proposal.title != "書き換え"


def test_proposals_are_searched_by_title_and_organization_and_filtered(staff_client, in_review):
    first, second, _third = in_review["proposals"]
    changelist = _admin_url(type(first))
    found = staff_client.get(changelist, {"q": first.title}).context["cl"].result_list
    assert list(found) == [first]
    found = staff_client.get(changelist, {"q": second.organization.name}).context["cl"]
    assert list(found.result_list) == [second]
    found = staff_client.get(changelist, {"status__exact": "draft"}).context["cl"]
    assert list(found.result_list) == []


def test_a_decision_is_corrected_before_the_release_and_frozen_after(staff_client, in_review):
    proposal = in_review["proposals"][0]
    decision = services.decision_prepare(
        proposal=proposal, by=in_review["staff"], outcome="not_adopted"
    )
    url = _admin_url(Decision, "change", decision.pk)
    response = staff_client.post(
        url, {"outcome": "adopted", "council_comment": "再検討の結果", "conditions": ""}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.outcome, decision.council_comment) == ("adopted", "再検討の結果")
    assert decision.history.first().history_user == in_review["staff"]
    for other in in_review["proposals"][1:]:
        services.decision_prepare(proposal=other, by=in_review["staff"], outcome="not_adopted")
    services.decisions_release(round_=in_review["round"], by=in_review["staff"])
    response = staff_client.post(url, {"outcome": "not_adopted", "conditions": ""})
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.outcome == "adopted"


def test_a_project_status_is_read_only_but_notes_can_be_added(staff_client, filled):
    project = Project.objects.get()
    url = _admin_url(Project, "change", project.pk)
    body = staff_client.get(url).content.decode()
    assert 'name="status"' not in body
    data = {
        "budget_passed_on": "",
        "budget_amount": "",
        "agreement_signed_on": "",
        "agreement_starts_on": "",
        "agreement_ends_on": "",
        "outcome_note": "",
        **_inline_management("notes", total=1),
        "notes-0-held_on": timezone.localdate().isoformat(),
        "notes-0-text": "所管課と協議",
        **_inline_management("years", total=2, initial=2),
        "years-0-id": str(project.years.get(year=1).pk),
        "years-0-project": str(project.pk),
        "years-0-verdict_text": "",
        "years-1-id": str(project.years.get(year=2).pk),
        "years-1-project": str(project.pk),
        "years-1-verdict_text": "",
        **_inline_management("events", total=1, initial=1),
        "events-0-id": str(project.events.get().pk),
        "events-0-project": str(project.pk),
    }
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["errors"]
    note = project.notes.get()
    assert (note.text, note.author) == ("所管課と協議", filled["staff"])
    project.refresh_from_db()
    assert project.status == "consulting"


def test_the_guide_file_is_checked_like_every_upload(db):
    """The admin's form runs the model's validators: a renamed program is refused, a PDF is
    taken, and a file already stored is not read again on each save."""
    from django.core.exceptions import ValidationError
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.factories import RoundFactory

    round_ = RoundFactory()
    round_.guide_file = SimpleUploadedFile("guide.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(ValidationError) as error:
        round_.full_clean()
    assert "guide_file" in error.value.message_dict
    round_.guide_file = SimpleUploadedFile("guide.pdf", b"%PDF-1.4 guide")
    round_.full_clean()
    round_.save()
    round_.refresh_from_db()
    round_.full_clean()  # stored: not validated again
