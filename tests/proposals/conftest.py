"""Shared set-ups of the proposals tests: a call with a stage open for scoring, submitted
proposals, and reviewers assigned, built through the services as users would."""

import pytest
from django.conf import settings
from django.utils import translation

from proposals import reviews, services
from proposals.models import Assignment
from tests.factories import (
    CouncilMemberFactory,
    MembershipFactory,
    OrganizationFactory,
    ProposalFactory,
    RoundFactory,
    StageFactory,
    WardOfficialFactory,
)


@pytest.fixture(autouse=True)
def _english():
    """These tests read messages and pages in English (the source language), so they do not
    change when the Japanese catalogue does; tests of the Japanese pages switch explicitly."""
    with translation.override("en"):
        yield


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def manager_of(organization):
    """A 代表管理者 of the organization (made if there is none)."""
    membership = organization.memberships.filter(role="owner").first()
    if membership is None:
        membership = MembershipFactory(organization=organization, role="owner")
    return membership.user


def submitted_proposal(round_=None, **kwargs):
    """A proposal submitted by its organization's manager, with its frozen version."""
    if round_ is not None:
        kwargs["round"] = round_
    proposal = ProposalFactory(**kwargs)
    return services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))


def assign(stage, reviewer, proposals=None):
    assignment = Assignment.objects.create(
        stage=stage, reviewer=reviewer, all_proposals=proposals is None
    )
    if proposals is not None:
        assignment.proposals.set(proposals)
    return assignment


def score_all(stage, proposal, reviewer, points, *, submit=True, declare=True):
    """Declare no conflict, give ``points`` (an int for every criterion, or a list in
    criterion order) and submit."""
    criteria = list(stage.round.criteria.order_by("order"))
    if isinstance(points, int):
        points = [points] * len(criteria)
    if declare:
        reviews.conflict_declare(
            proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=False
        )
    review = reviews.review_save(
        stage=stage,
        proposal=proposal,
        reviewer=reviewer,
        points={c.pk: p for c, p in zip(criteria, points, strict=True)},
    )
    if submit:
        review = reviews.review_submit(review=review, by=reviewer)
    return review


@pytest.fixture
def call(db):
    """A published call open for proposals today."""
    return RoundFactory()


@pytest.fixture
def in_review(db):
    """A call past its deadline in stage 1 (open for scoring): 3 submitted proposals, a
    council member and a ward official assigned to all of them, a chair, staff."""
    from tests.factories import StaffFactory

    round_ = RoundFactory()
    proposals = [submitted_proposal(round_) for _ in range(3)]
    stage = StageFactory(round=round_, number=1)
    council = CouncilMemberFactory()
    official = WardOfficialFactory()
    chair = CouncilMemberFactory()
    round_.chair = chair
    round_.save(update_fields=["chair"])
    for reviewer in (council, official, chair):
        assign(stage, reviewer)
    return {
        "round": round_,
        "stage": stage,
        "proposals": proposals,
        "council": council,
        "official": official,
        "chair": chair,
        "staff": StaffFactory(),
        "outsider_org": OrganizationFactory(),
    }
