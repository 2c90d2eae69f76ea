"""A real round trip: a Celery worker against the Redis of REDIS_URL renders a PDF queued
through transaction.on_commit. Runs in `make test-postgres` (and CI), where REDIS_URL is set."""

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings

from kyodo.celery import app
from kyodo.models import DocumentStatus, GeneratedDocument
from kyodo.services import document_request
from tests.kyodo.brokers import route_kyodo_tasks_to

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set (make test-postgres)"),
]


@pytest.fixture
def real_worker(transactional_db):
    """A worker thread on a queue of this test alone: a parallel test process on the same
    Redis must not take the task (it would look for the row in its own test database)."""
    import os
    import time

    queue = f"kyodo-real-worker-{os.getpid()}-{time.monotonic_ns()}"
    route_kyodo_tasks_to(queue)
    app.conf.task_always_eager = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[queue]
        ):
            yield
    finally:
        app.conf.task_always_eager = True
        route_kyodo_tasks_to(None)
        # Nothing left behind on the shared Redis.
        app.connection_for_write().default_channel.client.delete(queue)


def test_a_worker_on_redis_renders_a_document_queued_on_commit(real_worker):
    document = document_request(
        kind="guide", template_name="pdf/guide.html", filename="guide.pdf", language="ja"
    )
    # on_commit fired when document_request's transaction committed (no test transaction
    # here), so the task is on the broker: wait for the worker's result.
    import time

    # A loaded machine renders the guide slowly (seconds a page without HarfBuzz's subsetter).
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        document.refresh_from_db()
        if document.status != DocumentStatus.PENDING:
            break
        time.sleep(0.1)
    assert document.status == DocumentStatus.READY
    assert GeneratedDocument.objects.get(pk=document.pk).file.read(4) == b"%PDF"


def test_a_worker_on_redis_sends_a_mail_from_the_outbox(real_worker):
    from django.core import mail

    from kyodo.mail import mail_enqueue
    from kyodo.models import OutboxMail

    assert app.conf.broker_url.startswith("redis://")
    assert not app.conf.task_always_eager
    row = mail_enqueue(
        to="worker@example.jp",
        template="notice",
        context={"subject": "via Redis", "paragraphs": ["本文"]},
        purpose="test.worker",
    )
    import time

    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        row.refresh_from_db()
        if row.status != OutboxMail.Status.PENDING:
            break
        time.sleep(0.1)
    assert row.status == OutboxMail.Status.SENT
    # The worker runs in this process (a thread), so the locmem backend's outbox is ours.
    assert [m.to for m in mail.outbox] == [["worker@example.jp"]]
