"""Never twice, under concurrency (PostgreSQL: separate connections racing): a round's
decisions are released once, with one letter each, and proposal numbers stay unique."""

import threading

import pytest
from django.db import connection, connections

from kyodo.models import GeneratedDocument
from proposals import services
from proposals.enums import ProposalStatus
from proposals.models import Proposal, ProposalEvent
from tests.factories import MembershipFactory, ProposalFactory, RoundFactory, UserFactory
from tests.proposals.conftest import manager_of

ATTEMPTS = 10

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: concurrent writers with their own connections",
    ),
]


def _race(call):
    barrier = threading.Barrier(ATTEMPTS)
    results = []

    def attempt(index):
        try:
            barrier.wait()
            call(index)
            results.append("ok")
        except services.ProposalError as error:
            results.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _proposal(call):
    # A transactional test sees no data-migration rows once an earlier one flushed: the
    # organization gets no activity fields, and staff is a superuser rather than a role.
    proposal = ProposalFactory(round=call, organization__fields=[])
    MembershipFactory(organization=proposal.organization, role="owner")
    return proposal


def test_concurrent_submissions_get_distinct_numbers(transactional_db):
    call = RoundFactory()
    drafts = [_proposal(call) for _ in range(ATTEMPTS)]

    def submit(index):
        services.proposal_submit(proposal=drafts[index], by=manager_of(drafts[index].organization))

    assert _race(submit) == ["ok"] * ATTEMPTS
    numbers = sorted(Proposal.objects.filter(round=call).values_list("number", flat=True))
    assert numbers == list(range(1, ATTEMPTS + 1))


def test_concurrent_releases_release_once(transactional_db):
    call = RoundFactory()
    staff = UserFactory(is_superuser=True, is_staff=True)
    proposals = []
    for _ in range(3):
        proposal = _proposal(call)
        proposals.append(
            services.proposal_submit(proposal=proposal, by=manager_of(proposal.organization))
        )
    for proposal in proposals:
        services.decision_prepare(proposal=proposal, by=staff, outcome="not_adopted")

    results = _race(lambda _index: services.decisions_release(round_=call, by=staff))
    assert results.count("ok") == 1
    assert len(results) == ATTEMPTS
    decided = ProposalEvent.objects.filter(new_status=ProposalStatus.NOT_ADOPTED)
    assert decided.count() == 3
    assert GeneratedDocument.objects.filter(kind="proposal_decision_letter").count() == 3
