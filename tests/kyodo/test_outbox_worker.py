"""The outbox against real faults: a real Celery worker (a separate process) on the Redis of
REDIS_URL and the PostgreSQL test database, a real SMTP server on a local port, the broker down
while half the mails are queued, and the worker killed (SIGKILL) in the middle of a send. Every
mail arrives exactly once and every document is rendered into one file.

Runs in `make test-postgres` (and CI), where DATABASE_URL points to PostgreSQL and REDIS_URL is
set: the worker process must share the test database, which SQLite's in-memory one cannot."""

import collections
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from kyodo.celery import app
from kyodo.mail import mail_enqueue, outbox_sweep
from kyodo.models import DocumentStatus, GeneratedDocument, OutboxMail
from kyodo.services import document_request, documents_sweep
from tests.kyodo.brokers import BrokerDown

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="REDIS_URL is not set (make test-postgres)"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the worker process shares the test database: PostgreSQL only",
    ),
]

PROJECT_ROOT = Path(__file__).resolve().parents[2]
LEASE_SECONDS = 3
MAILS = 50
DOCUMENTS = 6
KILL_AT = 12  # the worker is killed while it sends this mail


class SMTPServer(socketserver.ThreadingTCPServer):
    """Just enough SMTP to receive mail from Django's SMTP backend. It answers DATA slowly, so
    a worker can be killed while it is in the middle of a send; ``sending`` is set when the
    ``kill_at``-th send reaches that point. Messages are recorded when their data is complete."""

    allow_reuse_address = True
    daemon_threads = True

    def __init__(self, kill_at: int):
        super().__init__(("127.0.0.1", 0), SMTPHandler)
        self.received: list = []
        self.lock = threading.Lock()
        self.sends = 0
        self.kill_at = kill_at
        self.sending = threading.Event()
        self.resume = threading.Event()


class SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str):
        self.wfile.write(f"{line}\r\n".encode())

    def handle(self):
        server = self.server
        self.reply("220 kyodo-test ESMTP")
        while line := self.rfile.readline():
            command = line.decode(errors="replace").strip().upper()
            if command.startswith(("EHLO", "HELO")):
                self.reply("250 kyodo-test")
            elif command.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self.reply("250 OK")
            elif command == "DATA":
                with server.lock:
                    server.sends += 1
                    number = server.sends
                if number == server.kill_at:
                    server.sending.set()  # the worker is mid-send: the test kills it now
                    server.resume.wait(30)
                    return
                self.reply("354 go ahead")
                data = b""
                while (chunk := self.rfile.readline()) not in (b".\r\n", b""):
                    data += chunk
                if chunk == b".\r\n":
                    with server.lock:
                        server.received.append(message_from_bytes(data))
                    self.reply("250 queued")
            elif command == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("502 not implemented")


def _database_url() -> str:
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


def _start_worker(queue: str, smtp_port: int, log: Path) -> subprocess.Popen:
    env = {
        **os.environ,
        "DJANGO_ENV": "test",
        "DATABASE_URL": _database_url(),
        "REDIS_URL": settings.REDIS_URL,
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "KYODO_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
        "DB_CONN_MAX_AGE": "0",
    }
    return subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "kyodo",
            "worker",
            "--pool=solo",
            f"--queues={queue}",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel=INFO",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def _wait_for(condition, seconds: float, what: str):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    pytest.fail(f"gave up waiting for {what}")


@pytest.fixture
def smtp():
    server = SMTPServer(kill_at=KILL_AT)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.resume.set()
    server.shutdown()
    server.server_close()


def _route_kyodo_tasks_to(queue):
    # Celery caches its routes and its router; both are rebuilt from the setting.
    app.conf.task_routes = {"kyodo.tasks.*": {"queue": queue}} if queue else None
    app.amqp.flush_routes()
    app.amqp.__dict__.pop("router", None)


@pytest.fixture
def real_broker(transactional_db, settings):
    """Tasks go to Redis (not in-process), to a queue of this test alone (the suite's other
    real-worker test, perhaps in a parallel test process, consumes the default queue on the
    same Redis); the leases are short."""
    queue = f"kyodo-outbox-test-{os.getpid()}-{time.monotonic_ns()}"
    settings.KYODO_OUTBOX_LEASE_SECONDS = LEASE_SECONDS
    app.conf.task_always_eager = False
    _route_kyodo_tasks_to(queue)
    yield queue
    _route_kyodo_tasks_to(None)
    app.conf.task_always_eager = True
    # Leave nothing behind on the shared Redis: the queue (duplicates the sweep published
    # for rows already sent) and its bindings.
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue, *client.keys(f"_kombu.binding*{queue}"))


def test_a_killed_worker_and_a_broker_down_lose_no_mail_and_send_none_twice(
    real_broker, smtp, tmp_path
):
    broker = BrokerDown()
    documents = []
    # The first half while the broker is down: the publish fails at once, the rows stay.
    broker.start()
    for i in range(MAILS // 2):
        mail_enqueue(
            to=f"person{i}@example.jp",
            template="notice",
            context={"subject": f"outbox {i}", "paragraphs": ["本文"]},
            purpose="test.outbox",
        )
    documents.append(
        document_request(kind="guide", template_name="pdf/guide.html", filename="guide.pdf")
    )
    broker.restore()
    assert OutboxMail.objects.filter(queued_at=None).count() == MAILS // 2
    # The second half, and documents (some mailed as attachments), with the broker up.
    for _ in range(DOCUMENTS - 1):
        documents.append(
            document_request(kind="guide", template_name="pdf/guide.html", filename="guide.pdf")
        )
    for i in range(MAILS // 2, MAILS):
        mail_enqueue(
            to=f"person{i}@example.jp",
            template="notice",
            context={"subject": f"outbox {i}", "paragraphs": ["本文"]},
            purpose="test.outbox",
            attachment=documents[i % DOCUMENTS] if i % 5 == 0 else None,
        )
    connection.close()  # the worker processes use the database alone from here

    log = tmp_path / "worker.log"
    worker = _start_worker(real_broker, smtp.server_address[1], log)
    try:
        # Killed in the middle of a send: it has claimed the row and opened the SMTP session.
        assert smtp.sending.wait(120), log.read_text()
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
        smtp.resume.set()
        stranded = OutboxMail.objects.filter(
            status=OutboxMail.Status.PENDING, claimed_at__isnull=False
        ).count()
        assert stranded == 1  # the mail it was sending: claimed, not sent, not lost

        worker = _start_worker(real_broker, smtp.server_address[1], log)

        def all_done():
            # Beat's sweep, run here: queues the rows the broker never had, and the mail
            # whose worker died once its lease is over.
            outbox_sweep()
            documents_sweep()
            return (
                not OutboxMail.objects.exclude(status=OutboxMail.Status.SENT).exists()
                and not GeneratedDocument.objects.exclude(status=DocumentStatus.READY).exists()
            )

        _wait_for(all_done, 180, "every mail sent and every document rendered")
    finally:
        worker.kill()
        worker.wait(30)

    recipients = collections.Counter(message["To"] for message in smtp.received)
    expected = {f"person{i}@example.jp" for i in range(MAILS)}
    assert set(recipients) == expected  # 0 lost
    assert max(recipients.values()) == 1  # 0 sent twice
    with_attachment = [
        m
        for m in smtp.received
        if m.is_multipart()
        and any(part.get_content_type() == "application/pdf" for part in m.walk())
    ]
    assert len(with_attachment) == MAILS // 2 // 5
    for document in GeneratedDocument.objects.all():
        folder = Path(settings.MEDIA_ROOT) / "documents" / str(document.pk)
        assert [p.name for p in folder.iterdir()] == ["guide.pdf"]  # one file, no orphan
