"""The shared review services driven directly with a kit (no view, no proposals wrapper):
stages, declarations and the rule that a conflicted reviewer does not score, the score
sheet's workflow and history, and the kit's own texts and error class."""

import pytest
from django.db import IntegrityError, transaction
from django.test.utils import isolate_apps

from accounts.rules import SESSION_MFA_ATTR
from proposals.services import ProposalError
from reviewing import rules, selectors, services
from reviewing.enums import ReviewStatus, StageStatus
from reviewing.kit import ReviewError
from reviewing.models import AbstractCriterion, AbstractScore, AbstractStage
from tests.factories import MembershipFactory, StageFactory


def sheet(kit, panel, reviewer, subject, points=None, *, declare=True):
    if declare:
        services.conflict_declare(
            kit=kit, subject=subject, stage=panel["stage"], reviewer=reviewer, has_conflict=False
        )
    points = points if points is not None else 4
    return services.review_save(
        kit=kit,
        stage=panel["stage"],
        subject=subject,
        reviewer=reviewer,
        points={c.pk: points for c in panel["criteria"]},
    )


def test_errors_and_texts_come_from_the_kit(kit, panel):
    stranger_stage = StageFactory(number=2, round=panel["container"])
    with pytest.raises(ReviewError, match=r"^You are not assigned to review this\.$") as refused:
        sheet(kit, {**panel, "stage": stranger_stage}, panel["council"], panel["subjects"][0])
    assert not isinstance(refused.value, ProposalError)
    from proposals.review_kit import KIT

    with pytest.raises(ProposalError, match="review this proposal"):
        services.conflict_declare(
            kit=KIT,
            subject=panel["subjects"][0],
            stage=stranger_stage,
            reviewer=panel["council"],
            has_conflict=False,
        )


def test_a_reviewer_declares_before_scoring(kit, panel):
    with pytest.raises(ReviewError, match="Declare whether"):
        sheet(kit, panel, panel["council"], panel["subjects"][0], declare=False)


def test_a_conflicted_reviewer_does_not_score_and_cannot_take_it_back(kit, panel):
    subject = panel["subjects"][0]
    services.conflict_declare(
        kit=kit, subject=subject, stage=panel["stage"], reviewer=panel["council"], has_conflict=True
    )
    with pytest.raises(ReviewError, match="do not score it"):
        sheet(kit, panel, panel["council"], subject, declare=False)
    with pytest.raises(ReviewError, match="cannot be withdrawn"):
        services.conflict_declare(
            kit=kit,
            subject=subject,
            stage=panel["stage"],
            reviewer=panel["council"],
            has_conflict=False,
        )
    assert selectors.is_conflicted(kit, panel["council"], subject)
    assert not selectors.is_conflicted(kit, panel["council"], panel["subjects"][1])


def test_a_member_of_the_applicant_is_excluded_without_declaring(kit, panel):
    subject = panel["subjects"][0]
    MembershipFactory(organization=subject.organization, user=panel["official"])
    with pytest.raises(ReviewError, match="member of the applying organization"):
        sheet(kit, panel, panel["official"], subject)
    assert selectors.is_conflicted(kit, panel["official"], subject)


def test_the_sheet_moves_draft_submitted_draft_with_history(kit, panel):
    reviewer, subject = panel["council"], panel["subjects"][0]
    review = sheet(kit, panel, reviewer, subject)
    review = services.review_submit(kit=kit, review=review, by=reviewer)
    assert review.status == ReviewStatus.SUBMITTED and review.submitted_at
    with pytest.raises(ReviewError, match="submitted"):
        sheet(kit, panel, reviewer, subject, declare=False)
    review = services.review_reopen(kit=kit, review=review, by=reviewer)
    assert review.status == ReviewStatus.DRAFT and review.submitted_at is None
    assert [(e.old_status, e.new_status) for e in review.events.order_by("pk")] == [
        ("", "draft"),
        ("draft", "submitted"),
        ("submitted", "draft"),
    ]
    # The version scored is the kit's extra field (proposals: the frozen version).
    assert review.version_id == subject.submitted_version_id


def test_only_the_reviewer_submits_and_only_a_complete_sheet(kit, panel):
    subject = panel["subjects"][0]
    review = sheet(kit, panel, panel["council"], subject, points=None)
    with pytest.raises(ReviewError, match="Only the reviewer"):
        services.review_submit(kit=kit, review=review, by=panel["official"])
    services.review_save(
        kit=kit,
        stage=panel["stage"],
        subject=subject,
        reviewer=panel["council"],
        points={panel["criteria"][0].pk: None},
    )
    with pytest.raises(ReviewError, match=r"1 missing"):
        services.review_submit(kit=kit, review=review, by=panel["council"])


@pytest.mark.parametrize("points", [-1, 6])
def test_points_outside_0_to_the_maximum_are_refused(kit, panel, points):
    with pytest.raises(ReviewError, match="from 0 to 5 points"):
        sheet(kit, panel, panel["council"], panel["subjects"][0], points=points)


def test_a_closed_stage_takes_no_sheet_and_a_late_conflict_goes_through_staff(kit, panel):
    subject, reviewer = panel["subjects"][0], panel["council"]
    sheet(kit, panel, reviewer, subject)
    services.stage_close(kit=kit, stage=panel["stage"], by=panel["staff"])
    with pytest.raises(ReviewError, match="closed"):
        sheet(kit, panel, reviewer, subject, declare=False)
    refusal = services.declaration_refusal(
        kit=kit, stage=panel["stage"], subject=subject, user=reviewer
    )
    assert "late conflict" in refusal
    with pytest.raises(ReviewError, match="reason"):
        services.conflict_record(
            kit=kit, subject=subject, reviewer=reviewer, by=panel["staff"], note=" "
        )
    declaration = services.conflict_record(
        kit=kit, subject=subject, reviewer=reviewer, by=panel["staff"], note="親族が役員"
    )
    assert declaration.has_conflict


def test_only_staff_open_and_close_and_each_move_is_recorded(kit, panel):
    stage = panel["stage"]
    with pytest.raises(ReviewError, match="Only center staff"):
        services.stage_close(kit=kit, stage=stage, by=panel["council"])
    services.stage_close(kit=kit, stage=stage, by=panel["staff"], reason="期限")
    services.stage_open(kit=kit, stage=stage, by=panel["staff"])
    assert stage.status == StageStatus.OPEN and stage.closed_at is None
    assert [(e.old_status, e.new_status) for e in stage.events.order_by("pk")] == [
        ("open", "closed"),
        ("closed", "open"),
    ]


def test_a_stage_without_criteria_does_not_open(kit, panel):
    stage = StageFactory(round=panel["container"], number=2, status=StageStatus.PREPARING)
    panel["container"].criteria.all().delete()
    with pytest.raises(ReviewError, match="no criteria"):
        services.stage_open(kit=kit, stage=stage, by=panel["staff"])


def test_rights_from_a_review_wait_for_two_factor_log_in(kit, panel, settings):
    """A ward official must use two-factor log-in: until this session did, the assignment
    gives no right to score and the chair's seat none to the chair's view."""
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    official = panel["official"]
    setattr(official, SESSION_MFA_ATTR, False)
    assert not rules.acts_in_review(official)
    with pytest.raises(ReviewError, match="not assigned"):
        sheet(kit, panel, official, panel["subjects"][0])
    setattr(official, SESSION_MFA_ATTR, True)
    assert rules.acts_in_review(official)
    chair = panel["chair"]
    assert rules.is_chair(chair, panel["container"])
    chair.groups.clear()
    chair.is_staff = True  # must use two-factor log-in now
    chair._kyodo_must_use_mfa = None
    setattr(chair, SESSION_MFA_ATTR, False)
    assert not rules.is_chair(chair, panel["container"])


def test_the_declaration_rules_as_predicates():
    assert rules.declaration_change_allowed(had_conflict=None, has_conflict=False)
    assert rules.declaration_change_allowed(had_conflict=False, has_conflict=True)
    assert not rules.declaration_change_allowed(had_conflict=True, has_conflict=False)
    assert rules.is_excluded(is_member=True, declared_conflict=False)
    assert rules.is_excluded(is_member=False, declared_conflict=True)
    assert not rules.is_excluded(is_member=False, declared_conflict=False)


def test_a_score_and_a_declaration_are_once_per_pair_in_the_database(kit, panel):
    review = sheet(kit, panel, panel["council"], panel["subjects"][0])
    with pytest.raises(IntegrityError), transaction.atomic():
        kit.score_model.objects.create(review=review, criterion=panel["criteria"][0], points=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        kit.declaration_model.objects.create(
            proposal=panel["subjects"][0], reviewer=panel["council"], has_conflict=True
        )


@isolate_apps("reviewing")
def test_a_second_pillar_inherits_the_constraints_under_its_own_names():
    from django.db import models

    class Programme(models.Model):
        class Meta:
            app_label = "reviewing"

        def __str__(self):
            return str(self.pk)

    class Criterion(AbstractCriterion):
        programme = models.ForeignKey(Programme, on_delete=models.CASCADE)

        class Meta(AbstractCriterion.Meta):
            app_label = "reviewing"

    class Stage(AbstractStage):
        programme = models.ForeignKey(Programme, on_delete=models.CASCADE)

        class Meta(AbstractStage.Meta):
            app_label = "reviewing"

    class Score(AbstractScore):
        criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT)

        class Meta(AbstractScore.Meta):
            app_label = "reviewing"

    names = {
        model.__name__: [c.name for c in model._meta.constraints]
        for model in (Criterion, Stage, Score)
    }
    assert names == {
        "Criterion": ["reviewing_criterion_weight_positive"],
        "Stage": ["reviewing_stage_dates_ordered"],
        "Score": ["reviewing_score_points_range"],
    }
