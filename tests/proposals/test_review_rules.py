"""Conflict of interest, the score sheet's moves, and who sees whose scores."""

import pytest

from kyodo.workflow import TransitionNotAllowed
from proposals import reviews, selectors
from proposals.enums import ReviewStatus, StageStatus
from proposals.models import ConflictDeclaration, Review, ReviewEvent
from proposals.services import ProposalError
from tests.factories import CouncilMemberFactory, MembershipFactory, StageFactory
from tests.proposals.conftest import assign, score_all


def points_for(stage, value):
    return {c.pk: value for c in stage.round.criteria.all()}


# --- conflict of interest ---------------------------------------------------------------------


def test_a_reviewer_must_declare_before_scoring(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    with pytest.raises(ProposalError, match="Declare"):
        reviews.review_save(
            stage=stage,
            proposal=proposal,
            reviewer=in_review["council"],
            points=points_for(stage, 3),
        )
    assert not Review.objects.exists()


def test_a_member_of_the_proposing_organization_is_excluded_automatically(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    reviewer = in_review["council"]
    MembershipFactory(organization=proposal.organization, user=reviewer, role="member")
    with pytest.raises(ProposalError, match="member of the proposing organization"):
        reviews.conflict_declare(
            proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=False
        )
    with pytest.raises(ProposalError, match="member of the proposing organization"):
        reviews.review_save(
            stage=stage, proposal=proposal, reviewer=reviewer, points=points_for(stage, 5)
        )
    assert selectors.is_conflicted(reviewer, proposal)
    rows = selectors.reviewer_rows(stage.assignments.get(reviewer=reviewer))
    row = next(r for r in rows if r.proposal == proposal)
    assert row.conflicted and row.is_member


def test_a_declared_conflict_stops_scoring_and_cannot_be_withdrawn(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    reviewer = in_review["council"]
    reviews.conflict_declare(
        proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=True, note="理事を兼務"
    )
    with pytest.raises(ProposalError, match="conflict"):
        reviews.review_save(
            stage=stage, proposal=proposal, reviewer=reviewer, points=points_for(stage, 5)
        )
    with pytest.raises(ProposalError, match="cannot be withdrawn"):
        reviews.conflict_declare(
            proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=False
        )
    declaration = ConflictDeclaration.objects.get(proposal=proposal, reviewer=reviewer)
    assert declaration.has_conflict and declaration.note == "理事を兼務"
    assert declaration.history.count() == 1  # recorded, with its audit trail


def test_declaring_a_conflict_after_scoring_takes_the_review_out_of_the_results(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    score_all(stage, proposal, in_review["council"], 5)
    score_all(stage, proposal, in_review["official"], 1)
    reviews.conflict_declare(
        proposal=proposal, stage=stage, reviewer=in_review["council"], has_conflict=True
    )
    result = next(
        r for r in selectors.stage_results(stage, in_review["staff"]) if r.proposal == proposal
    )
    assert result.totals == [20]
    assert result.conflicts == 1


def test_only_assigned_reviewers_declare_and_score(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    stranger = CouncilMemberFactory()
    with pytest.raises(ProposalError, match="not assigned"):
        reviews.conflict_declare(
            proposal=proposal, stage=stage, reviewer=stranger, has_conflict=False
        )
    chosen = CouncilMemberFactory()
    assign(stage, chosen, proposals=[in_review["proposals"][1]])
    with pytest.raises(ProposalError, match="not assigned"):
        reviews.conflict_declare(
            proposal=proposal, stage=stage, reviewer=chosen, has_conflict=False
        )
    reviews.conflict_declare(
        proposal=in_review["proposals"][1], stage=stage, reviewer=chosen, has_conflict=False
    )


def test_a_conflicted_reviewer_never_sees_others_scores(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    score_all(stage, proposal, in_review["official"], 4)
    reviewer = in_review["council"]
    reviews.conflict_declare(proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=True)
    assert not selectors.may_see_others(reviewer, stage, proposal, None)
    stage.round.hide_scores_until_submitted = False
    stage.round.save()
    assert not selectors.may_see_others(reviewer, stage, proposal, None)
    # …nor on the dashboard, when they chair the round.
    stage.round.chair = reviewer
    stage.round.save()
    result = next(r for r in selectors.stage_results(stage, reviewer) if r.proposal == proposal)
    assert result.hidden


# --- hidden scores ---------------------------------------------------------------------------


def test_others_scores_are_hidden_until_ones_own_is_submitted(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    reviewer = in_review["council"]
    score_all(stage, proposal, in_review["official"], 4)
    draft = score_all(stage, proposal, reviewer, 3, submit=False)
    assert not selectors.may_see_others(reviewer, stage, proposal, draft)
    submitted = reviews.review_submit(review=draft, by=reviewer)
    assert selectors.may_see_others(reviewer, stage, proposal, submitted)
    others = list(selectors.others_reviews(stage, proposal, reviewer))
    assert [r.reviewer for r in others] == [in_review["official"]]


def test_with_the_setting_off_others_scores_show_at_once(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    stage.round.hide_scores_until_submitted = False
    stage.round.save()
    reviewer = in_review["council"]
    reviews.conflict_declare(proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=False)
    assert selectors.may_see_others(reviewer, stage, proposal, None)


def test_others_reviews_leave_out_drafts_and_conflicted_reviewers(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    score_all(stage, proposal, in_review["official"], 4, submit=False)
    score_all(stage, proposal, in_review["chair"], 4)
    reviews.conflict_declare(
        proposal=proposal, stage=stage, reviewer=in_review["chair"], has_conflict=True
    )
    assert list(selectors.others_reviews(stage, proposal, in_review["council"])) == []


def test_the_chair_sees_a_proposal_on_the_dashboard_only_after_scoring_it(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    chair = in_review["chair"]
    score_all(stage, proposal, in_review["council"], 4)
    row = next(r for r in selectors.stage_results(stage, chair) if r.proposal == proposal)
    assert row.hidden
    score_all(stage, proposal, chair, 2)
    row = next(r for r in selectors.stage_results(stage, chair) if r.proposal == proposal)
    assert not row.hidden and row.mean == 60
    staff_row = next(
        r for r in selectors.stage_results(stage, in_review["staff"]) if r.proposal == proposal
    )
    assert not staff_row.hidden


# --- the score sheet's moves -------------------------------------------------------------------


def test_points_outside_0_to_max_are_refused(in_review):
    stage, proposal, reviewer = in_review["stage"], in_review["proposals"][0], in_review["council"]
    reviews.conflict_declare(proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=False)
    for bad in (-1, 6):
        with pytest.raises(ProposalError, match="0 to 5"):
            reviews.review_save(
                stage=stage, proposal=proposal, reviewer=reviewer, points=points_for(stage, bad)
            )


def test_a_sheet_is_submitted_only_when_every_criterion_has_points(in_review):
    stage, proposal, reviewer = in_review["stage"], in_review["proposals"][0], in_review["council"]
    reviews.conflict_declare(proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=False)
    first = stage.round.criteria.order_by("order").first()
    review = reviews.review_save(
        stage=stage,
        proposal=proposal,
        reviewer=reviewer,
        points={first.pk: 3},
        comments={first.pk: "よい"},
        overall_comment="全体として良好",
    )
    with pytest.raises(ProposalError, match="9 missing"):
        reviews.review_submit(review=review, by=reviewer)
    review = reviews.review_save(
        stage=stage, proposal=proposal, reviewer=reviewer, points=points_for(stage, 4)
    )
    review = reviews.review_submit(review=review, by=reviewer)
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_at
    assert review.scores.get(criterion=first).comment == "よい"


def test_a_submitted_sheet_is_reopened_changed_and_submitted_again(in_review):
    stage, proposal, reviewer = in_review["stage"], in_review["proposals"][0], in_review["council"]
    review = score_all(stage, proposal, reviewer, 3)
    with pytest.raises(ProposalError, match="Re-open"):
        reviews.review_save(
            stage=stage, proposal=proposal, reviewer=reviewer, points=points_for(stage, 5)
        )
    review = reviews.review_reopen(review=review, by=reviewer)
    assert review.status == ReviewStatus.DRAFT and review.submitted_at is None
    reviews.review_save(
        stage=stage, proposal=proposal, reviewer=reviewer, points=points_for(stage, 5)
    )
    review = reviews.review_submit(review=review, by=reviewer)
    moves = list(ReviewEvent.objects.filter(review=review).values_list("new_status", flat=True))
    assert moves == ["draft", "submitted", "draft", "submitted"]
    with pytest.raises(TransitionNotAllowed):
        reviews.review_submit(review=review, by=reviewer)


def test_nothing_changes_once_the_stage_is_closed(in_review):
    stage, proposal, reviewer = in_review["stage"], in_review["proposals"][0], in_review["council"]
    review = score_all(stage, proposal, reviewer, 3)
    reviews.stage_close(stage=stage, by=in_review["staff"])
    stage.refresh_from_db()
    review.stage = stage
    with pytest.raises(ProposalError, match="closed"):
        reviews.review_reopen(review=review, by=reviewer)
    with pytest.raises(ProposalError, match="closed"):
        reviews.review_save(
            stage=stage, proposal=proposal, reviewer=reviewer, points=points_for(stage, 5)
        )
    reviews.stage_open(stage=stage, by=in_review["staff"], reason="委員1名の採点が遅れたため")
    assert stage.status == StageStatus.OPEN
    assert stage.events.filter(new_status="open", reason__contains="遅れた").exists()


def test_only_the_reviewer_submits_or_reopens_their_sheet(in_review):
    stage, proposal = in_review["stage"], in_review["proposals"][0]
    review = score_all(stage, proposal, in_review["council"], 3, submit=False)
    with pytest.raises(ProposalError):
        reviews.review_submit(review=review, by=in_review["official"])


def test_only_staff_open_and_close_stages(in_review):
    with pytest.raises(ProposalError):
        reviews.stage_close(stage=in_review["stage"], by=in_review["chair"])


def test_a_stage_cannot_be_opened_without_criteria(db):
    from tests.factories import RoundFactory, StaffFactory

    stage = StageFactory(round=RoundFactory(criteria=False), status="preparing")
    with pytest.raises(ProposalError, match="criteria"):
        reviews.stage_open(stage=stage, by=StaffFactory())


def test_a_preparing_stage_is_invisible_to_reviewers(in_review):
    stage = StageFactory(round=in_review["round"], number=2, status="preparing")
    assign(stage, in_review["council"])
    assert stage not in selectors.stages_for_reviewer(in_review["council"])
    assert in_review["stage"] in selectors.stages_for_reviewer(in_review["council"])
