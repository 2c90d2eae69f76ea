"""Never twice, under concurrency (PostgreSQL: separate connections racing): a year's results
are published once with one PDF, and a verdict is recorded once."""

import threading

import pytest
from django.contrib.auth.models import Group
from django.db import connection, connections
from django.utils import timezone

from accounts.roles import Role
from evaluations import services
from evaluations.models import EvaluationReport
from kyodo.exceptions import DomainError
from kyodo.models import GeneratedDocument

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
        except DomainError as error:
            results.append(error.message)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(ATTEMPTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def _world():
    # A transactional test may find the roles' groups flushed by an earlier one.
    for role in Role:
        Group.objects.get_or_create(name=role.value)
    from tests.evaluations.conftest import World

    return World()


def test_concurrent_publications_publish_once(transactional_db):
    world = _world()
    world.decided()
    fiscal_year = world.project_year.fiscal_year
    results = _race(lambda _i: services.report_publish(fiscal_year=fiscal_year, by=world.staff))
    assert results.count("ok") == 1, results
    assert EvaluationReport.objects.filter(published_at__isnull=False).count() == 1
    assert GeneratedDocument.objects.filter(kind="evaluation_report").count() == 1


def test_concurrent_verdicts_are_recorded_once(transactional_db):
    world = _world()
    world.council_done()
    results = _race(
        lambda i: services.verdict_record(
            evaluation=world.evaluation,
            by=world.staff,
            verdict="continue" if i % 2 else "end",
            text=f"verdict {i}",
            on=timezone.localdate(),
        )
    )
    assert results.count("ok") == 1, results
    world.project_year.refresh_from_db()
    events = world.evaluation.events.filter(new_status="decided")
    assert events.count() == 1 and world.project_year.verdict in ("continue", "end")
