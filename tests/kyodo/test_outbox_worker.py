"""The outbox against real faults: a real Celery worker (a separate process) on the Redis of
REDIS_URL and the PostgreSQL test database, a real SMTP server on a local port, the broker down
while half the mails are queued, and the worker killed (SIGKILL) in the middle of a send. Every
mail arrives exactly once and every document is rendered into one file: plain notices and
guides, then the real mails and documents of every pillar (a booking's 利用承認書, a series'
letter, a registration's 登録証, a consultation's acknowledgement, a proposal's decision letter).

Runs in `make test-postgres` (and CI), where DATABASE_URL points to PostgreSQL and REDIS_URL is
set: the worker process must share the test database, which SQLite's in-memory one cannot."""

import collections
import contextlib
import datetime as dt
import os
import signal
import socketserver
import subprocess
import sys
import threading
import time
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from kyodo.celery import app
from kyodo.mail import mail_enqueue, outbox_sweep
from kyodo.models import DocumentStatus, GeneratedDocument, OutboxMail
from kyodo.services import document_request, documents_sweep
from tests.kyodo.brokers import BrokerDown, route_kyodo_tasks_to

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


@contextlib.contextmanager
def _smtp_server(kill_at: int):
    server = SMTPServer(kill_at=kill_at)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.resume.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def smtp():
    with _smtp_server(KILL_AT) as server:
        yield server


@pytest.fixture
def smtp_first():
    """The worker is killed in its first send."""
    with _smtp_server(1) as server:
        yield server


@pytest.fixture
def real_broker(transactional_db, settings):
    """Tasks go to Redis (not in-process), to a queue of this test alone (the suite's other
    real-worker test, perhaps in a parallel test process, consumes the default queue on the
    same Redis); the leases are short."""
    queue = f"kyodo-outbox-test-{os.getpid()}-{time.monotonic_ns()}"
    settings.KYODO_OUTBOX_LEASE_SECONDS = LEASE_SECONDS
    app.conf.task_always_eager = False
    route_kyodo_tasks_to(queue)
    yield queue
    route_kyodo_tasks_to(None)
    app.conf.task_always_eager = True
    # Leave nothing behind on the shared Redis: the queue (duplicates the sweep published
    # for rows already sent) and its bindings.
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL)
    client.delete(queue, *client.keys(f"_kombu.binding*{queue}"))


def _kill_mid_send_then_recover(queue: str, smtp: SMTPServer, log: Path) -> OutboxMail:
    """Start a worker, SIGKILL it in the middle of the send the SMTP server picked, start
    another and run beat's sweeps until every mail is sent and every document rendered.
    Returns the mail the killed worker was sending."""
    worker = _start_worker(queue, smtp.server_address[1], log)
    try:
        # Killed in the middle of a send: it has claimed the row and opened the SMTP session.
        assert smtp.sending.wait(120), log.read_text()
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
        smtp.resume.set()
        [stranded] = OutboxMail.objects.filter(  # the mail it was sending: claimed, not sent
            status=OutboxMail.Status.PENDING, claimed_at__isnull=False
        )

        worker = _start_worker(queue, smtp.server_address[1], log)

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
    return stranded


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

    _kill_mid_send_then_recover(real_broker, smtp, tmp_path / "worker.log")

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


def _header(value) -> str:
    return str(make_header(decode_header(value)))


def _pdfs(message) -> dict[str, bytes]:
    """The PDF attachments of a received message, by file name."""
    return {
        part.get_filename(): part.get_payload(decode=True)
        for part in message.walk()
        if part.get_content_type() == "application/pdf"
    }


def _pillars_set_up():
    """What each pillar's real mails and documents need. Made with the broker down: the mails
    the set-up itself sends (the application's receipt, …) wait for the sweep too."""
    from facilities.models import Resource, ResourceHours, TimeSlot
    from kyodo.models import CenterProfile, OpeningHours
    from organizations import services as organizations
    from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory
    from tests.organizations.helpers import pdf_upload

    # A test on a real transaction before this one flushed the data migrations' rows (the
    # rooms, the opening hours, the center's profile): what this test needs is made here.
    for weekday in range(7):
        OpeningHours.objects.update_or_create(
            weekday=weekday,
            defaults={"is_closed": weekday == 0, "opens": dt.time(9), "closes": dt.time(21)},
        )
    if not CenterProfile.objects.exists():
        CenterProfile.objects.create(
            name="協働ステーション中央",
            address="中央区日本橋1-1",
            phone="03-0000-0000",
            email="center@example.jp",
        )
    room = Resource.objects.create(name="アウトボックス試験室", kind="room", capacity=20)
    for weekday in range(1, 7):
        ResourceHours.objects.create(
            resource=room, weekday=weekday, opens=dt.time(9), closes=dt.time(21)
        )
    TimeSlot.objects.create(resource=room, name="午前", starts=dt.time(9), ends=dt.time(12))

    def managed():
        organization = OrganizationFactory()
        for role in ("owner", "manager"):
            MembershipFactory(organization=organization, role=role)
        return organization

    applicant = UserFactory()
    applied = organizations.organization_apply(
        user=applicant,
        data={
            "name": "新川フードバンク",
            "name_kana": "シンカワフードバンク",
            "org_type": "voluntary",
            "representative_name": "新川　一",
            "representative_kana": "シンカワ　ハジメ",
            "postal_code": "104-0033",
            "street": "新川1-1",
            "phone": "03-1234-5678",
            "email": "food@example.jp",
            "activity_area": "新川",
            "member_count": 6,
            "purpose": "食品ロスを減らす",
            "activities": "フードドライブ",
        },
        activity_fields=[],
        documents=[("rules", pdf_upload())],
    )
    return {
        "room": room,
        "booker": managed(),
        "series_org": managed(),
        "applied": applied,
        "applicant": applicant,
        "asker": UserFactory(),
        "staff": StaffFactory(),
    }


def _decision_ready(staff):
    """A call with one submitted proposal whose decision is prepared, not yet released."""
    from proposals import services as proposals
    from tests.factories import RoundFactory, StageFactory
    from tests.proposals.conftest import submitted_proposal

    round_ = RoundFactory()
    proposal = submitted_proposal(round_)
    StageFactory(round=round_, number=1)
    proposals.decision_prepare(
        proposal=proposal, by=staff, outcome="not_adopted", council_comment="具体性に欠ける"
    )
    return round_, proposal


def test_every_pillars_mails_and_documents_survive_a_killed_worker_and_a_broker_down(
    real_broker, smtp_first, tmp_path
):
    from consultations.services import case_request_online
    from facilities.documents import APPROVAL_KIND, SERIES_APPROVAL_KIND
    from facilities.series import series_create
    from facilities.services import booking_create
    from organizations.certificates import CERTIFICATE_KIND
    from organizations.models import Application
    from organizations.selectors import managers_of
    from organizations.services import application_approve
    from proposals.letters import DECISION_LETTER_KIND
    from proposals.services import decisions_release
    from tests.facilities.conftest import at, next_weekday

    broker = BrokerDown()
    # Broker down: the set-up's own mails, a booking confirmed with its 利用承認書, an
    # approved registration with its 登録証, an online consultation request.
    broker.start()
    try:
        made = _pillars_set_up()
        round_, proposal = _decision_ready(made["staff"])
        wednesday = next_weekday(2)
        booking_create(
            resource=made["room"],
            organization=made["booker"],
            start=at(wednesday, 9),
            end=at(wednesday, 12),
            purpose="定例会",
            by=managers_of(made["booker"])[0],
        )
        application_approve(
            application=Application.objects.get(organization=made["applied"]), by=made["staff"]
        )
        case_request_online(user=made["asker"], request="会の運営について相談したい")
    finally:
        broker.restore()
    assert not OutboxMail.objects.exclude(queued_at=None).exists()  # none reached the broker
    # Broker up: a weekly series with its one letter, and a released decision with its letter.
    # The worker's first send (the one it is killed in) is a series mail carrying the letter.
    tuesday = next_weekday(1)
    _series, booked, _skipped = series_create(
        resource=made["room"],
        organization=made["series_org"],
        first=tuesday,
        frequency="weekly",
        until=tuesday + dt.timedelta(weeks=2),
        start_time=dt.time(9),
        end_time=dt.time(12),
        purpose="定例会",
        by=managers_of(made["series_org"])[0],
    )
    assert booked
    decisions_release(round_=round_, by=made["staff"])
    connection.close()  # the worker processes use the database alone from here

    killed_in = _kill_mid_send_then_recover(real_broker, smtp_first, tmp_path / "worker.log")
    assert killed_in.purpose == "facilities.series_confirmed"
    assert killed_in.attachment.kind == SERIES_APPROVAL_KIND

    rows = {(row.to, row.subject): row for row in OutboxMail.objects.select_related("attachment")}
    assert len(rows) == OutboxMail.objects.count()  # a received mail names its row
    mails = [(rows[m["To"], _header(m["Subject"])], m) for m in smtp_first.received]
    sent_to = collections.Counter((row.to, row.purpose) for row, _message in mails)
    # Every row's mail arrived, none twice (by recipient and purpose) …
    assert sent_to == collections.Counter((row.to, row.purpose) for row in rows.values())
    assert max(sent_to.values()) == 1

    # … among them each pillar's, to whom it is for.
    def emails(users):
        return {user.email for user in users}

    expected = {
        "facilities.booking_confirmed": emails(managers_of(made["booker"])),
        "facilities.series_confirmed": emails(managers_of(made["series_org"])),
        "organizations.application_approved": {made["applicant"].email},
        "consultations.request_received": {made["asker"].email},
        "proposals.decision": emails(managers_of(proposal.organization)),
    }
    for purpose, recipients in expected.items():
        assert {to for to, p in sent_to if p == purpose} == recipients, purpose
    # Each mail that carries a document carries its PDF, and only the mails that should.
    letters = {}
    for row, message in mails:
        pdfs = _pdfs(message)
        if row.attachment is None:
            assert pdfs == {}, row.purpose
            continue
        assert list(pdfs) == [row.attachment.filename], row.purpose
        assert pdfs[row.attachment.filename].startswith(b"%PDF")
        letters.setdefault(row.purpose, set()).add(row.attachment.kind)
    assert letters == {
        "facilities.booking_confirmed": {APPROVAL_KIND},
        "facilities.series_confirmed": {SERIES_APPROVAL_KIND},
        "proposals.decision": {DECISION_LETTER_KIND},
    }
    # Every document (the three letters and the certificate among them) is ready with one file.
    documents = GeneratedDocument.objects.all()
    assert {APPROVAL_KIND, SERIES_APPROVAL_KIND, CERTIFICATE_KIND, DECISION_LETTER_KIND} <= {
        d.kind for d in documents
    }
    for document in documents:
        assert document.status == DocumentStatus.READY
        folder = Path(settings.MEDIA_ROOT) / "documents" / str(document.pk)
        assert [p.name for p in folder.iterdir()] == [Path(document.file.name).name]
