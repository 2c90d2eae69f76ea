"""Never twice, under concurrency (PostgreSQL: separate connections racing): a programme's
decisions are released once, with one letter and one mail each; an advance's payment is
recorded once; application numbers stay unique."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections

from kyodo.mail import OutboxMail
from kyodo.models import GeneratedDocument
from subsidies import advances, decisions
from subsidies.enums import Declaration, Outcome
from subsidies.models import AdvancePayment, Application
from subsidies.services import SubsidyError, application_submit
from tests.factories import OrganizationFactory, UserFactory
from tests.subsidies.conftest import draft, make_programme, manager_of, with_papers

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
        except SubsidyError as error:
            results.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _draft(programme):
    # A transactional test sees no data-migration rows once an earlier one flushed.
    return draft(programme, with_papers(OrganizationFactory(fields=[])))


def test_concurrent_submissions_get_distinct_numbers(transactional_db):
    programme = make_programme()
    drafts = [_draft(programme) for _ in range(ATTEMPTS)]

    def submit(index):
        application_submit(
            application=drafts[index],
            by=manager_of(drafts[index].organization),
            declarations=list(Declaration.values),
        )

    assert _race(submit) == ["ok"] * ATTEMPTS
    numbers = sorted(Application.objects.values_list("number", flat=True))
    assert numbers == list(range(1, ATTEMPTS + 1))


def test_concurrent_releases_release_once(transactional_db):
    programme = make_programme(advance_payment_allowed=True)
    staff = UserFactory(is_superuser=True, is_staff=True)
    applications = []
    for _ in range(3):
        application = _draft(programme)
        application_submit(
            application=application,
            by=manager_of(application.organization),
            declarations=list(Declaration.values),
        )
        decisions.decision_save(
            application=application, by=staff, outcome=Outcome.GRANTED, amount=50_000
        )
        applications.append(application)

    results = _race(lambda _index: decisions.decisions_release(programme=programme, by=staff))
    assert results.count("ok") == 1 and len(results) == ATTEMPTS
    assert Application.objects.filter(status="granted").count() == 3
    assert GeneratedDocument.objects.filter(kind=decisions.LETTER_KIND).count() == 3
    assert OutboxMail.objects.filter(purpose="subsidies.decision").count() == 3

    first = applications[0]
    first.refresh_from_db()
    advance = advances.advance_request(
        application=first, by=manager_of(first.organization), amount=20_000
    )
    paid = _race(
        lambda index: advances.advance_record_payment(
            advance=AdvancePayment.objects.get(pk=advance.pk),
            by=staff,
            paid_on=dt.date(2026, 9, 1 + index),
        )
    )
    assert paid.count("ok") == 1
    assert OutboxMail.objects.filter(purpose="subsidies.advance_paid").count() == 1
