"""Set-ups of the shared review's tests. The machinery owns no tables, so its services are
driven through a pillar's kit — the proposals' one, the pillar that uses it today — and
through a variant of it with the shared defaults (texts, error), as a second pillar would."""

import dataclasses

import pytest
from django.utils import translation

from proposals.review_kit import KIT
from reviewing.kit import ReviewError, ReviewTexts
from tests.factories import (
    CouncilMemberFactory,
    RoundFactory,
    StaffFactory,
    StageFactory,
    WardOfficialFactory,
)
from tests.proposals.conftest import assign, submitted_proposal


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def kit():
    """The proposals' models with the shared machinery's own texts and error."""
    return dataclasses.replace(KIT, error=ReviewError, texts=ReviewTexts())


@pytest.fixture
def panel(db):
    """A container with its default criteria, one stage open for scoring, two subjects, two
    reviewers assigned to both, a chair, staff."""
    container = RoundFactory()
    subjects = [submitted_proposal(container) for _ in range(2)]
    stage = StageFactory(round=container, number=1)
    council, official, chair = CouncilMemberFactory(), WardOfficialFactory(), CouncilMemberFactory()
    container.chair = chair
    container.save(update_fields=["chair"])
    for reviewer in (council, official):
        assign(stage, reviewer)
    return {
        "container": container,
        "stage": stage,
        "subjects": subjects,
        "council": council,
        "official": official,
        "chair": chair,
        "staff": StaffFactory(),
        "criteria": list(container.criteria.order_by("order")),
    }
