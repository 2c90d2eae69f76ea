"""The reviewers' pages in the browser: who reaches them, the declaration before the score
sheet, scoring, the running total, others' scores hidden and shown, re-opening, a closed
stage, the files of the frozen version and the department's opinion."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from proposals import reviews, services
from proposals.enums import ReviewStatus
from proposals.models import ConflictDeclaration, DepartmentOpinion, ProposalAttachment, Review
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    ProposalFactory,
    UserFactory,
    WardOfficialFactory,
)
from tests.kyodo.forms_html import form_values
from tests.proposals.conftest import assign, manager_of, score_all

PDF = b"%PDF-1.4 the budget plan"


def proposal_with_file(round_):
    """A proposal submitted with one attachment in its frozen version."""
    proposal = ProposalFactory(round=round_)
    manager = manager_of(proposal.organization)
    services.attachment_add(
        proposal=proposal,
        by=manager,
        title="収支予算書",
        upload=SimpleUploadedFile("budget.pdf", PDF, content_type="application/pdf"),
    )
    return services.proposal_submit(proposal=proposal, by=manager)


@pytest.fixture
def world(in_review):
    """in_review, with a first proposal carrying a file, a reviewer who declared a conflict
    with it, a reviewer who is a member of its organization, one of its members who is no
    reviewer, an unassigned council member, a stranger and the 所管課's official."""
    round_, stage = in_review["round"], in_review["stage"]
    first = proposal_with_file(round_)
    conflicted = CouncilMemberFactory()
    member_reviewer = CouncilMemberFactory()
    MembershipFactory(organization=first.organization, user=member_reviewer)
    for reviewer in (conflicted, member_reviewer):
        assign(stage, reviewer)
    reviews.conflict_declare(proposal=first, stage=stage, reviewer=conflicted, has_conflict=True)
    department = WardOfficialFactory()
    services.department_assign(
        proposal=first, by=in_review["staff"], department="高齢者福祉課", official=department
    )
    return {
        **in_review,
        "first": first,
        "conflicted": conflicted,
        "member_reviewer": member_reviewer,
        "org_member": MembershipFactory(organization=first.organization).user,
        "unassigned": CouncilMemberFactory(),
        "stranger": UserFactory(),
        "department": department,
    }


def url(name, world, **extra):
    stage, first = world["stage"], world["first"]
    if name == "home":
        return reverse("proposals_review:home")
    if name == "stage":
        return reverse("proposals_review:stage", args=[stage.pk])
    if name == "opinion":
        return reverse("proposals_review:opinion", args=[first.pk])
    if name == "attachment":
        attachment_id = first.submitted_version.attachment_ids[0]
        return reverse("proposals_review:attachment", args=[stage.pk, first.pk, attachment_id])
    return reverse(f"proposals_review:{name}", args=[stage.pk, first.pk])


PEOPLE = [
    "stranger",
    "org_member",
    "unassigned",
    "council",
    "official",
    "conflicted",
    "member_reviewer",
    "chair",
    "staff",
    "department",
]
ASSIGNED = {"council", "official", "conflicted", "member_reviewer", "chair"}


def _expected(view, person):
    if view == "home":
        return 404 if person in {"stranger", "org_member", "staff"} else 200
    if view == "opinion":
        return 200 if person == "department" else 404
    if view == "attachment":
        return 200 if person in ASSIGNED | {"department"} else 404
    return 200 if person in ASSIGNED else 404


READ_VIEWS = ["home", "stage", "score", "attachment", "opinion"]
ACTIONS = ["declare", "total", "submit", "reopen"]


@pytest.mark.parametrize("person", PEOPLE)
def test_who_reaches_each_reviewer_page(client, world, person):
    client.force_login(world[person])
    for view in READ_VIEWS:
        response = client.get(url(view, world))
        assert response.status_code == _expected(view, person), (view, person)


def test_anonymous_visitors_are_sent_to_log_in(client, world):
    for view in READ_VIEWS:
        response = client.get(url(view, world))
        assert response.status_code == 302, view
        assert reverse("account_login") in response["Location"]
    for view in [*ACTIONS, "score"]:
        response = client.post(url(view, world), {"conflict": "no"})
        assert response.status_code == 302, view
        assert reverse("account_login") in response["Location"]


@pytest.mark.parametrize("person", ["stranger", "org_member", "unassigned", "staff", "department"])
def test_people_not_assigned_get_404_on_every_action(client, world, person):
    client.force_login(world[person])
    for view in [*ACTIONS, "score"]:
        response = client.post(url(view, world), {"conflict": "no"})
        assert response.status_code == 404, view
    assert not ConflictDeclaration.objects.filter(reviewer=world[person]).exists()
    assert not Review.objects.filter(reviewer=world[person]).exists()


@pytest.mark.parametrize("person", ["council", "official", "chair", "staff", "org_member"])
def test_only_the_department_official_may_post_the_opinion(client, world, person):
    client.force_login(world[person])
    response = client.post(url("opinion", world), {"feasibility": "feasible", "text": "可"})
    assert response.status_code == 404
    assert not DepartmentOpinion.objects.exists()


def test_a_proposal_not_in_the_reviewers_set_is_404(client, world):
    stage, (one, two, _three) = world["stage"], world["proposals"]
    picky = CouncilMemberFactory()
    assign(stage, picky, proposals=[one])
    client.force_login(picky)
    assert client.get(reverse("proposals_review:score", args=[stage.pk, one.pk])).status_code == 200
    assert client.get(reverse("proposals_review:score", args=[stage.pk, two.pk])).status_code == 404


def test_a_stage_still_in_preparation_is_404(client, world):
    stage = world["stage"]
    stage.status = "preparing"
    stage.save(update_fields=["status"])
    client.force_login(world["council"])
    assert client.get(url("stage", world)).status_code == 404
    assert client.get(url("score", world)).status_code == 404


# --- the overview and the stage's list --------------------------------------------------------


def test_a_council_member_with_nothing_assigned_sees_an_explanation(client, world):
    client.force_login(world["unassigned"])
    response = client.get(url("home", world))
    assert "You have nothing to review at the moment." in response.content.decode()


def test_the_overview_lists_stages_opinions_and_chaired_calls(client, world):
    client.force_login(world["chair"])
    content = client.get(url("home", world)).content.decode()
    assert reverse("proposals_review:stage", args=[world["stage"].pk]) in content
    assert reverse("proposals_review:dashboard", args=[world["stage"].pk]) in content
    client.force_login(world["department"])
    content = client.get(url("home", world)).content.decode()
    assert reverse("proposals_review:opinion", args=[world["first"].pk]) in content
    assert "Not written yet" in content


def test_the_stage_list_shows_each_proposal_with_the_reviewers_state(client, world):
    stage, first = world["stage"], world["first"]
    a, b, _c = world["proposals"]
    council = world["council"]
    score_all(stage, a, council, 4)
    score_all(stage, b, council, 4, submit=False)
    reviews.conflict_declare(proposal=first, stage=stage, reviewer=council, has_conflict=True)
    client.force_login(council)
    response = client.get(url("stage", world))
    rows = {row.proposal.pk: row for row in response.context["rows"]}
    assert set(rows) == {a.pk, b.pk, world["proposals"][2].pk, first.pk}
    assert rows[a.pk].submitted and rows[b.pk].review.status == ReviewStatus.DRAFT
    assert rows[first.pk].conflicted
    content = response.content.decode()
    for text in ("Submitted", "Draft", "Not started", "Conflict of interest", "Not declared"):
        assert text in content
    assert first.organization.name in content
    assert stage.review_deadline.strftime("%Y-%m-%d") in content


def test_a_member_of_the_proposer_sees_the_exclusion_in_the_list(client, world):
    client.force_login(world["member_reviewer"])
    response = client.get(url("stage", world))
    assert "Excluded (member of the organization)" in response.content.decode()


# --- declaring and scoring ----------------------------------------------------------------------


def _points(world, value=None, **overrides):
    """POST data giving every criterion ``value`` points (None: leave them empty)."""
    data = {"overall_comment": overrides.pop("overall_comment", "")}
    for criterion in world["round"].criteria.order_by("order"):
        data[f"points_{criterion.pk}"] = "" if value is None else str(value)
        data[f"comment_{criterion.pk}"] = ""
    data.update(overrides)
    return data


def test_the_sheet_asks_for_the_declaration_first(client, world):
    client.force_login(world["council"])
    content = client.get(url("score", world)).content.decode()
    assert url("declare", world) in content
    assert 'name="conflict"' in content
    assert "points_" not in content
    assert "子ども食堂" in content  # the frozen proposal is there to read
    assert url("attachment", world) in content


def test_a_reviewer_declares_then_scores_saves_and_submits(client, world):
    council, first = world["council"], world["first"]
    client.force_login(council)
    response = client.post(url("declare", world), {"conflict": "no", "note": ""})
    assert response.status_code == 302
    assert ConflictDeclaration.objects.get(reviewer=council, proposal=first).has_conflict is False
    content = client.get(url("score", world)).content.decode()
    assert 'type="radio"' in content and "Save as draft" in content
    assert f'data-hx-post="{url("total", world)}"' in content
    assert 'data-hx-trigger="change"' in content

    criteria = list(world["round"].criteria.order_by("order"))
    data = _points(world, overall_comment="丁寧な計画")
    data[f"points_{criteria[0].pk}"] = "4"
    data[f"comment_{criteria[0].pk}"] = "公益性が高い"
    response = client.post(url("score", world), data, follow=True)
    review = Review.objects.get(reviewer=council, proposal=first)
    assert review.status == ReviewStatus.DRAFT
    assert review.overall_comment == "丁寧な計画"
    score = review.scores.get(criterion=criteria[0])
    assert (score.points, score.comment) == (4, "公益性が高い")
    assert "saved as a draft" in response.content.decode()
    assert "8.0" in response.content.decode()  # 4 of 50 points: the total on load

    # submitting with criteria missing keeps the draft and says what is missing
    response = client.post(url("submit", world), data, follow=True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert "9 missing" in response.content.decode()

    response = client.post(url("submit", world), _points(world, 3), follow=True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert set(review.scores.values_list("points", flat=True)) == {3}
    content = response.content.decode()
    assert "Your review was submitted" in content
    assert "60.0" in content
    assert 'name="points_' not in content  # read-only now
    assert url("reopen", world) in content


def test_points_out_of_range_are_refused_by_the_form(client, world):
    council, first = world["council"], world["first"]
    reviews.conflict_declare(
        proposal=first, stage=world["stage"], reviewer=council, has_conflict=False
    )
    client.force_login(council)
    response = client.post(url("score", world), _points(world, 9))
    assert response.status_code == 200
    assert "Please correct the following:" in response.content.decode()
    assert not Review.objects.filter(reviewer=council).exists()


def test_the_running_total_fragment_computes_the_weighted_total(client, world):
    criteria = list(world["round"].criteria.order_by("order"))
    criteria[0].weight = Decimal(3)
    criteria[0].save()
    council = world["council"]
    reviews.conflict_declare(
        proposal=world["first"], stage=world["stage"], reviewer=council, has_conflict=False
    )
    client.force_login(council)
    data = _points(world)
    data[f"points_{criteria[0].pk}"] = "5"
    response = client.post(url("total", world), data, headers={"HX-Request": "true"})
    content = response.content.decode()
    # 5 × 3 of (5 × 3 + 5 × 9) possible = 25.0 of 100
    assert 'id="running-total"' in content
    assert "<strong>25.0</strong> / 100" in content
    assert "<html" not in content
    data[f"points_{criteria[1].pk}"] = "5"
    response = client.post(url("total", world), data)
    assert "<strong>33.3</strong>" in response.content.decode()  # 20 of 60
    assert not Review.objects.filter(reviewer=council).exists()  # nothing is saved


def test_a_conflicted_reviewer_sees_no_sheet_nor_others_scores_and_cannot_save(client, world):
    stage, first = world["stage"], world["first"]
    official = world["official"]
    score_all(stage, first, official, 5)
    Review.objects.filter(reviewer=official).update(overall_comment="OFFICIAL-REMARK")
    conflicted = world["conflicted"]
    client.force_login(conflicted)
    content = client.get(url("score", world)).content.decode()
    assert "You declared a conflict of interest with this proposal." in content
    assert "points_" not in content
    assert "OFFICIAL-REMARK" not in content
    assert official.get_full_name() not in content
    assert "100.0" not in content
    assert "conflict of interest with this proposal, so other reviewers" in content

    response = client.post(url("score", world), _points(world, 5), follow=True)
    assert "do not score it" in response.content.decode()
    response = client.post(url("submit", world), _points(world, 5))
    assert not Review.objects.filter(reviewer=conflicted).exists()
    assert client.post(url("total", world), _points(world, 5)).status_code == 404


def test_a_member_of_the_proposer_is_excluded_without_declaring(client, world):
    client.force_login(world["member_reviewer"])
    content = client.get(url("score", world)).content.decode()
    assert "You are excluded from the review of this proposal." in content
    assert 'name="conflict"' not in content and "points_" not in content
    client.post(url("score", world), _points(world, 5))
    assert not Review.objects.filter(reviewer=world["member_reviewer"]).exists()


def test_others_scores_are_hidden_until_ones_own_is_submitted(client, world):
    stage, first = world["stage"], world["first"]
    official, council = world["official"], world["council"]
    score_all(stage, first, official, 5)
    Review.objects.filter(reviewer=official).update(overall_comment="OFFICIAL-REMARK")
    reviews.conflict_declare(proposal=first, stage=stage, reviewer=council, has_conflict=False)
    client.force_login(council)
    content = client.get(url("score", world)).content.decode()
    assert "OFFICIAL-REMARK" not in content
    assert "shown once you have submitted your own review" in content

    client.post(url("submit", world), _points(world, 2))
    content = client.get(url("score", world)).content.decode()
    assert "OFFICIAL-REMARK" in content
    assert official.get_full_name() in content
    assert "<strong>100.0</strong> / 100" in content


def test_others_scores_show_at_once_when_the_call_does_not_hide_them(client, world):
    round_, stage, first = world["round"], world["stage"], world["first"]
    round_.hide_scores_until_submitted = False
    round_.save(update_fields=["hide_scores_until_submitted"])
    official = world["official"]
    score_all(stage, first, official, 5)
    Review.objects.filter(reviewer=official).update(overall_comment="OFFICIAL-REMARK")
    client.force_login(world["council"])
    # Nothing of the others before the reviewer has declared no conflict of interest.
    response = client.get(url("score", world))
    content = response.content.decode()
    assert response.context["show_others"] is False and response.context["others"] == []
    assert "OFFICIAL-REMARK" not in content
    assert official.get_full_name() not in content
    assert "100.0" not in content
    assert 'name="conflict"' in content
    assert "shown only after you have declared that you have no conflict" in content
    assert content.index('name="conflict"') < content.index('id="h-others"')

    client.post(url("declare", world), {"conflict": "no"})
    content = client.get(url("score", world)).content.decode()
    assert "OFFICIAL-REMARK" in content  # at once, before scoring
    assert "<strong>100.0</strong> / 100" in content
    # but never to a reviewer with a conflict
    client.force_login(world["conflicted"])
    assert "OFFICIAL-REMARK" not in client.get(url("score", world)).content.decode()


def test_a_reviewer_who_did_not_declare_before_the_stage_closed_sees_no_others(client, world):
    round_, stage, first = world["round"], world["stage"], world["first"]
    round_.hide_scores_until_submitted = False
    round_.save(update_fields=["hide_scores_until_submitted"])
    score_all(stage, first, world["official"], 5)
    Review.objects.filter(reviewer=world["official"]).update(overall_comment="OFFICIAL-REMARK")
    reviews.stage_close(stage=stage, by=world["staff"])
    client.force_login(world["council"])
    content = client.get(url("score", world)).content.decode()
    assert "OFFICIAL-REMARK" not in content
    assert "You did not declare whether you have a conflict of interest" in content


def test_a_submitted_review_is_reopened_and_changed(client, world):
    council = world["council"]
    review = score_all(world["stage"], world["first"], council, 3)
    client.force_login(council)
    response = client.post(url("reopen", world), follow=True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert 'name="points_' in response.content.decode()
    client.post(url("submit", world), _points(world, 5))
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert set(review.scores.values_list("points", flat=True)) == {5}


def test_a_new_version_submitted_after_scoring_asks_the_reviewer_to_look_again(client, world):
    stage, first, council = world["stage"], world["first"], world["council"]
    notice = "A new version was submitted after you scored; please look again."
    score_all(stage, first, council, 3)
    client.force_login(council)
    assert notice not in client.get(url("score", world)).content.decode()

    services.proposal_return(
        proposal=first,
        by=world["staff"],
        reason="予算の内訳を",
        resubmit_by=dt.date.today() + dt.timedelta(days=7),
    )
    first.refresh_from_db()
    services.proposal_update(
        proposal=first, by=manager_of(first.organization), data={"title": "子ども食堂 改訂版"}
    )
    services.proposal_submit(proposal=first, by=manager_of(first.organization))
    response = client.get(url("score", world))
    content = response.content.decode()
    assert notice in content
    assert "You scored version 1; the proposal shown here is version 2." in content
    assert "子ども食堂 改訂版" in content  # the page shows the new version
    assert 'name="points_' in content  # the review is a draft again, to be looked at
    assert "submit it again" in content

    # Scoring again (the new version) ends the notice.
    client.post(url("submit", world), _points(world, 4))
    review = Review.objects.get(reviewer=council, proposal=first)
    assert review.status == ReviewStatus.SUBMITTED
    assert review.version.number == 2
    assert notice not in client.get(url("score", world)).content.decode()
    # Nobody else is told anything: the official has not scored.
    client.force_login(world["official"])
    assert notice not in client.get(url("score", world)).content.decode()


def test_a_closed_stage_is_read_only(client, world):
    stage, council = world["stage"], world["council"]
    review = score_all(stage, world["first"], council, 3, submit=False)
    reviews.stage_close(stage=stage, by=world["staff"])
    client.force_login(council)
    content = client.get(url("score", world)).content.decode()
    assert 'name="points_' not in content
    assert url("reopen", world) not in content
    assert "nothing can be changed" in content
    response = client.post(url("score", world), _points(world, 5), follow=True)
    assert "Scoring of this stage is closed." in response.content.decode()
    client.post(url("submit", world), _points(world, 5))
    review.refresh_from_db()
    assert review.status == ReviewStatus.DRAFT
    assert set(review.scores.values_list("points", flat=True)) == {3}
    # nor can a reviewer who has not declared do so now
    client.force_login(world["official"])
    content = client.get(url("score", world)).content.decode()
    assert 'name="conflict"' not in content
    client.post(url("declare", world), {"conflict": "no"})
    assert not ConflictDeclaration.objects.filter(reviewer=world["official"]).exists()


def test_a_reviewer_may_declare_a_conflict_after_declaring_none(client, world):
    council, first = world["council"], world["first"]
    client.force_login(council)
    client.post(url("declare", world), {"conflict": "no"})
    content = client.get(url("score", world)).content.decode()
    assert "Has that changed?" in content
    client.post(url("declare", world), {"conflict": "yes", "note": "親族が理事"})
    declaration = ConflictDeclaration.objects.get(reviewer=council, proposal=first)
    assert declaration.has_conflict and declaration.note == "親族が理事"
    response = client.post(url("declare", world), {"conflict": "no"}, follow=True)
    assert "cannot be withdrawn" in response.content.decode()
    assert ConflictDeclaration.objects.get(reviewer=council, proposal=first).has_conflict


# --- files and the department's opinion ---------------------------------------------------------


def test_an_assigned_reviewer_downloads_a_file_of_the_frozen_version(client, world):
    client.force_login(world["conflicted"])  # a conflict does not keep one from reading
    response = client.get(url("attachment", world))
    assert response["Content-Disposition"].startswith("attachment;")
    assert "budget.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_a_file_gone_from_the_storage_is_404_not_an_error(client, world):
    attachment = ProposalAttachment.objects.get(
        pk=world["first"].submitted_version.attachment_ids[0]
    )
    default_storage.delete(attachment.file.name)
    client.force_login(world["council"])
    assert client.get(url("attachment", world)).status_code == 404


@pytest.mark.parametrize("view", ["score", "attachment"])
def test_the_score_page_and_the_files_are_never_cached(client, world, view):
    client.force_login(world["council"])
    response = client.get(url(view, world))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_file_not_in_the_version_is_404(client, world):
    other = proposal_with_file(world["round"])
    attachment_id = other.submitted_version.attachment_ids[0]
    client.force_login(world["council"])
    wrong = reverse(
        "proposals_review:attachment",
        args=[world["stage"].pk, world["first"].pk, attachment_id],
    )
    assert client.get(wrong).status_code == 404


def test_the_department_official_saves_then_gives_the_opinion(client, world):
    first, department = world["first"], world["department"]
    client.force_login(department)
    content = client.get(url("opinion", world)).content.decode()
    assert "子ども食堂" in content and "Give the opinion" in content
    client.post(
        url("opinion", world),
        {"feasibility": "with_changes", "text": "会場の確保が課題", "save": ""},
    )
    opinion = DepartmentOpinion.objects.get(proposal=first)
    assert (opinion.feasibility, opinion.is_submitted) == ("with_changes", False)

    client.force_login(world["council"])
    assert "会場の確保が課題" not in client.get(url("score", world)).content.decode()

    client.force_login(department)
    response = client.post(
        url("opinion", world),
        {"feasibility": "feasible", "text": "実施可能", "give": ""},
        follow=True,
    )
    opinion.refresh_from_db()
    assert (opinion.feasibility, opinion.is_submitted, opinion.text) == (
        "feasible",
        True,
        "実施可能",
    )
    assert "Your opinion was given" in response.content.decode()

    client.force_login(world["council"])
    content = client.get(url("score", world)).content.decode()
    assert "実施可能" in content and "Feasible" in content


def test_an_opinion_cannot_be_given_empty(client, world):
    client.force_login(world["department"])
    response = client.post(
        url("opinion", world), {"feasibility": "feasible", "text": "", "give": ""}
    )
    assert response.status_code == 200
    assert "Write the opinion before giving it." in response.content.decode()
    assert not DepartmentOpinion.objects.exists()


def test_the_mypage_section_lists_the_reviewers_work(client, world):
    client.force_login(world["chair"])
    content = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("proposals_review:stage", args=[world["stage"].pk]) in content
    assert reverse("proposals_review:dashboard", args=[world["stage"].pk]) in content
    client.force_login(world["department"])
    content = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("proposals_review:opinion", args=[world["first"].pk]) in content


def test_a_saved_draft_comes_back_on_the_sheet_and_survives_a_submit_of_the_page(client, world):
    """The sheet loads the saved draft (points checked, comments filled), and submitting the
    page as it is keeps every saved point: it once came back blank and was wiped with None."""
    council, first = world["council"], world["first"]
    criteria = list(world["round"].criteria.order_by("order"))
    saved = [3, 4, 5, 2, 1, 0, 3, 4, 5, 2]
    reviews.conflict_declare(
        proposal=first, stage=world["stage"], reviewer=council, has_conflict=False
    )
    review = reviews.review_save(
        stage=world["stage"],
        proposal=first,
        reviewer=council,
        points={c.pk: p for c, p in zip(criteria, saved, strict=True)},
        comments={criteria[0].pk: "公益性が高い"},
        overall_comment="丁寧な計画",
    )
    client.force_login(council)
    content = client.get(url("score", world)).content.decode()
    data = form_values(content, action=url("score", world))
    assert [data[f"points_{c.pk}"] for c in criteria] == [str(p) for p in saved]
    assert data[f"comment_{criteria[0].pk}"] == "公益性が高い"
    assert data["overall_comment"] == "丁寧な計画"
    response = client.post(url("submit", world), data, follow=True)
    review.refresh_from_db()
    assert review.status == ReviewStatus.SUBMITTED
    assert [s.points for s in review.scores.order_by("criterion__order")] == saved
    assert review.scores.get(criterion=criteria[0]).comment == "公益性が高い"
    assert "Your review was submitted" in response.content.decode()
