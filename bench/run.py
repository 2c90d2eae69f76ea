"""Measure the portal on the generated data, every figure against a baseline of the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kyodo_bench python -m bench.run

- page latency: gunicorn (2 workers) on 127.0.0.1, `--concurrency` clients, each page's batch
  right after a batch of the bare view (bench/urls.py); p50/p95 per batch, the ratio of the
  page's p95 to the bare view's, min and median over `--rounds` rounds;
- queries per page (count, time, the slowest with its EXPLAIN), in process;
- the availability month of the busiest resource (輪転機) in the selector;
- PDFs against a minimal one-page Japanese PDF;
- booking_create against a bare insert of the same rows, on 1 and 8 threads;
- the peak memory of a gunicorn worker.

Every loop is bounded in count and in time and stops by itself; the only server it talks to
is the gunicorn it starts on 127.0.0.1. Results go to bench/results/<date>-<time>.md and .json.
"""

import argparse
import datetime as dt
import http.client
import json
import math
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
LOOPBACK = "127.0.0.1"
BATCH_SECONDS = 90  # no batch of requests runs longer than this, whatever the page costs


PARTS = ("queries", "availability", "pdfs", "throughput", "sweeps", "latency")


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


# --- statistics --------------------------------------------------------------------------------


def percentile(values, fraction: float) -> float:
    """Nearest-rank percentile (p95 of 30 samples is the 29th)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, min(len(ordered), math.ceil(fraction * len(ordered) - 1e-9)))
    return ordered[rank - 1]


def min_median(values) -> tuple[float, float]:
    return min(values), statistics.median(values)


# --- what is measured ------------------------------------------------------------------------


def discover() -> dict:
    """The people and objects the pages are opened with, found in the generated data."""
    from django.urls import reverse

    from accounts.models import User
    from accounts.roles import Role
    from facilities.models import Booking, Resource
    from organizations.models import Membership, Organization
    from proposals.models import Assignment, Review, Stage

    stage = Stage.objects.filter(status="open").order_by("-pk").select_related("round").first()
    if stage is None:
        raise SystemExit("No stage open for scoring: run python -m bench.generate first.")
    chair = stage.round.chair
    reviewer = Assignment.objects.filter(stage=stage).exclude(reviewer=chair).first().reviewer
    review = Review.objects.filter(stage=stage, reviewer=chair).select_related("proposal").first()
    staff = (
        User.objects.filter(is_staff=True, groups__name=Role.CENTER_STAFF.value)
        .order_by("pk")
        .first()
    )
    member = User.objects.filter(email="member@demo.kyodo.jp").first() or (
        Membership.objects.filter(role="owner").order_by("pk").first().user
    )
    organization = Membership.objects.filter(user=member).order_by("pk").first().organization
    printer = Resource.objects.get(name="輪転機")
    booking = Booking.objects.filter(organization__isnull=False).order_by("-pk").first()
    listed = Organization.objects.filter(is_listed=True).order_by("pk").first()
    return {
        "stage": stage,
        "chair": chair,
        "reviewer": reviewer,
        "review": review,
        "staff": staff,
        "member": member,
        "organization": organization,
        "printer": printer,
        "booking": booking,
        "listed": listed,
        "reverse": reverse,
    }


def pages(ctx) -> list[tuple[str, str, str, str]]:
    """(name, group, who, url) of every list page (and the few others the issue names)."""
    r = ctx["reverse"]
    stage = ctx["stage"]
    month = dt.date.today().replace(day=1)
    return [
        ("home", "public", "anonymous", r("home")),
        ("directory", "public", "anonymous", r("organizations:directory")),
        ("directory search", "public", "anonymous", r("organizations:directory") + "?q=%E4%BC%9A"),
        ("resources", "public", "anonymous", r("facilities:resource_list")),
        (
            "availability month 輪転機 (public)",
            "public",
            "anonymous",
            r("facilities:resource_detail", args=[ctx["printer"].pk])
            + f"?view=month&date={month:%Y-%m-%d}",
        ),
        ("proposals index", "public", "anonymous", r("proposals:index")),
        ("マイページ", "member", "member", r("accounts:mypage")),
        ("my bookings", "member", "member", r("facilities:booking_list")),
        (
            "availability month 輪転機 (member)",
            "member",
            "member",
            r("facilities:resource_detail", args=[ctx["printer"].pk])
            + f"?view=month&date={month:%Y-%m-%d}",
        ),
        ("my proposals", "member", "member", r("proposals:mine")),
        ("my cases", "member", "member", r("consultations:my_cases")),
        (
            "organization page",
            "member",
            "member",
            r("organizations:detail", args=[ctx["organization"].pk]),
        ),
        ("review home", "reviewer", "reviewer", r("proposals_review:home")),
        (
            "reviewer's list (stage)",
            "reviewer",
            "reviewer",
            r("proposals_review:stage", args=[stage.pk]),
        ),
        ("chair dashboard", "reviewer", "chair", r("proposals_review:dashboard", args=[stage.pk])),
        (
            "declarations",
            "reviewer",
            "chair",
            r("proposals_review:declarations", args=[stage.round_id]),
        ),
        ("case dashboard", "staff", "staff", r("consultations:dashboard")),
        ("case list", "staff", "staff", r("consultations:case_list")),
        ("organization list", "staff", "staff", r("organizations:staff_list")),
        ("registration reviews", "staff", "staff", r("organizations:review_list")),
        ("facilities counter", "staff", "staff", r("facilities_staff:counter")),
        ("staff bookings", "staff", "staff", r("facilities_staff:booking_list")),
        ("printer totals", "staff", "staff", r("facilities_staff:printer_totals")),
        ("staff rounds", "staff", "staff", r("proposals_staff:rounds")),
        ("staff round", "staff", "staff", r("proposals_staff:round", args=[stage.round_id])),
        ("admin bookings", "admin", "staff", "/admin/facilities/booking/"),
        ("admin organizations", "admin", "staff", "/admin/organizations/organization/"),
        ("admin cases", "admin", "staff", "/admin/consultations/case/"),
        ("admin proposals", "admin", "staff", "/admin/proposals/proposal/"),
        ("admin reviews", "admin", "staff", "/admin/proposals/review/"),
    ]


def session_cookies(ctx) -> dict[str, str]:
    """A signed-in session per person, made the way the test client does it."""
    from django.conf import settings
    from django.test import Client

    cookies = {"anonymous": ""}
    for who in ("member", "reviewer", "chair", "staff"):
        client = Client()
        client.force_login(ctx[who])
        cookies[who] = (
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    return cookies


# --- the server and the clients --------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


class Gunicorn:
    """gunicorn with 2 sync workers on 127.0.0.1, started and stopped by the harness."""

    def __init__(self, workers: int = 2):
        self.port = free_port()
        self.workers = workers
        self.process = None

    def __enter__(self):
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "false"}
        self.process = subprocess.Popen(  # noqa: S603 -- our own venv's gunicorn, fixed args
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "kyodo.wsgi:application",
                "--bind",
                f"{LOOPBACK}:{self.port}",
                "--workers",
                str(self.workers),
                "--timeout",
                "300",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if request(self.port, "/health/", "")[0] == 200:
                    return self
            except OSError:
                time.sleep(0.3)
        self.__exit__()
        raise SystemExit("gunicorn did not answer on /health/ within 60 s")

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
            return [int(p) for p in children.read_text().split()]
        except OSError:
            return []

    def peak_memory_mb(self) -> float | None:
        """The largest resident set (VmHWM) any worker reached."""
        peaks = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peaks.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return round(max(peaks), 1) if peaks else None

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def request(port: int, path: str, cookie: str) -> tuple[int, float, int]:
    """One GET on a new connection (gunicorn's sync workers close each one): status,
    seconds, bytes."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection(LOOPBACK, port, timeout=BATCH_SECONDS)
    try:
        headers = {"Accept-Language": "ja", "Host": LOOPBACK}
        if cookie:
            headers["Cookie"] = cookie
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = response.read()
        return response.status, time.perf_counter() - started, len(body)
    finally:
        connection.close()


def batch(port: int, path: str, cookie: str, *, requests: int, concurrency: int) -> dict:
    """`requests` GETs from `concurrency` clients at once; stops issuing after BATCH_SECONDS."""
    deadline = time.monotonic() + BATCH_SECONDS
    lock = threading.Lock()
    remaining = [requests]
    samples, statuses, sizes = [], set(), []

    def client():
        while True:
            with lock:
                if remaining[0] <= 0 or time.monotonic() > deadline:
                    return
                remaining[0] -= 1
            status, seconds, size = request(port, path, cookie)
            with lock:
                samples.append(seconds)
                statuses.add(status)
                sizes.append(size)

    with ThreadPoolExecutor(concurrency) as pool:
        for _ in range(concurrency):
            pool.submit(client)
    return {
        "p50": percentile(samples, 0.50),
        "p95": percentile(samples, 0.95),
        "n": len(samples),
        "statuses": sorted(statuses),
        "kb": round(statistics.median(sizes) / 1024, 1) if sizes else 0,
    }


def measure_latency(port, page_list, cookies, *, rounds, requests, concurrency) -> dict:
    results = {name: [] for name, *_ in page_list}
    for round_number in range(1, rounds + 1):
        log(f"latency round {round_number}/{rounds}")
        for name, _group, who, url in page_list:
            bare = batch(
                port, "/bench/bare/", cookies[who], requests=requests, concurrency=concurrency
            )
            page = batch(port, url, cookies[who], requests=requests, concurrency=concurrency)
            results[name].append({"bare": bare, "page": page, "ratio": page["p95"] / bare["p95"]})
    return results


# --- in-process measurements -----------------------------------------------------------------


def measure_queries(page_list, ctx) -> dict:
    """Queries per page in process: count, SQL time, the slowest with its EXPLAIN."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    clients = {"anonymous": Client(HTTP_ACCEPT_LANGUAGE="ja")}
    for who in ("member", "reviewer", "chair", "staff"):
        clients[who] = Client(HTTP_ACCEPT_LANGUAGE="ja")
        clients[who].force_login(ctx[who])
    results = {}
    for name, _group, who, url in page_list:
        clients[who].get(url)  # warm caches as a running server has them
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = clients[who].get(url)
            seconds = time.perf_counter() - started
        queries = captured.captured_queries
        slowest = max(queries, key=lambda q: float(q["time"]), default=None)
        results[name] = {
            "status": response.status_code,
            "queries": len(queries),
            "sql_ms": round(sum(float(q["time"]) for q in queries) * 1000, 1),
            "server_ms": round(seconds * 1000, 1),
            "slowest_ms": round(float(slowest["time"]) * 1000, 1) if slowest else 0,
            "slowest_sql": slowest["sql"][:2000] if slowest else "",
            "explain": explain(slowest["sql"]) if slowest else "",
        }
    return results


def explain(sql: str) -> str:
    from django.db import connection

    if connection.vendor != "postgresql" or not sql.lstrip().upper().startswith("SELECT"):
        return ""
    try:
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            return "\n".join(row[0] for row in cursor.fetchall())
    except Exception as error:
        return f"(no plan: {error})"


def timed(func, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        func()
        times.append(time.perf_counter() - started)
    return times


def bare_in_process_seconds(repeat: int = 5) -> float:
    from django.test import Client

    client = Client()
    client.get("/bench/bare/")
    return statistics.median(timed(lambda: client.get("/bench/bare/"), repeat))


def measure_availability(ctx, *, repeat: int = 5) -> dict:
    """The month view of the busiest resource, in the selector alone."""
    import calendar

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from facilities.selectors import availability

    printer = ctx["printer"]
    month = dt.date.today().replace(day=1)
    days = calendar.monthrange(month.year, month.month)[1]
    results = {}
    for who in ("anonymous", "staff"):
        viewer = None if who == "anonymous" else ctx["staff"]
        availability(printer, month, days, viewer=viewer)
        with CaptureQueriesContext(connection) as captured:
            availability(printer, month, days, viewer=viewer)
        times = timed(lambda v=viewer: availability(printer, month, days, viewer=v), repeat)
        results[who] = {
            "min_ms": round(min(times) * 1000, 1),
            "median_ms": round(statistics.median(times) * 1000, 1),
            "queries": len(captured.captured_queries),
            "sql_ms": round(sum(float(q["time"]) for q in captured.captured_queries) * 1000, 1),
        }
    return results


def measure_pdfs(ctx, *, repeat: int = 3) -> dict:
    """Each PDF view in process against a minimal one-page Japanese PDF."""
    from django.test import Client

    from kyodo.pdf import render_pdf

    r = ctx["reverse"]
    stage, review = ctx["stage"], ctx["review"]
    chair = Client()
    chair.force_login(ctx["chair"])
    minimal = timed(lambda: render_pdf("bench/minimal_pdf.html"), repeat)
    base = statistics.median(minimal)
    results = {"minimal one-page PDF": {"min_ms": round(min(minimal) * 1000), "ratio": 1.0}}
    views = [
        (
            "score sheet (one page)",
            r("proposals_review:score_sheet_pdf", args=[stage.pk, review.proposal_id]),
        ),
        ("review packet", r("proposals_review:packet_pdf", args=[stage.pk, review.proposal_id])),
    ]
    for name, url in views:
        statuses = set()

        def get(url=url, statuses=statuses):
            statuses.add(chair.get(url).status_code)

        times = timed(get, repeat)
        results[name] = {
            "min_ms": round(min(times) * 1000),
            "median_ms": round(statistics.median(times) * 1000),
            "ratio": round(statistics.median(times) / base, 1),
            "statuses": sorted(statuses),
        }
    summaries = _summaries_module()
    if summaries is None:  # before the summary went to the background: in the request
        url = r("proposals_review:summary_pdf", args=[stage.pk])
        times = timed(lambda: chair.get(url), repeat)
        name = "stage summary (in the request)"
    else:
        # What the task does (Celery runs eagerly here: in production the request is
        # answered at once and a worker spends this).
        made = []

        def background():
            made.append(summaries.summary_request(stage=stage, by=ctx["chair"]))

        times = timed(background, repeat)
        for summary in made:
            summary.document.file.delete(save=False)
            summary.document.delete()
        name = "stage summary (background task)"
    rows = stage.round.proposals.filter(status="submitted").count()
    results[name] = {
        "min_ms": round(min(times) * 1000),
        "median_ms": round(statistics.median(times) * 1000),
        "ratio": round(statistics.median(times) / base, 1),
        "per_100_rows_ms": round(statistics.median(times) * 1000 * 100 / max(rows, 1)),
    }
    return results


def _summaries_module():
    try:
        from proposals import summaries
    except ImportError:
        return None
    return summaries


def measure_booking_throughput(ctx, *, count: int, threads_to_try=(1, 8)) -> dict:
    """booking_create against Booking.objects.create of the same rows, on 1 and 8 threads,
    on a resource the harness makes for it (and removes afterwards)."""
    from django.db import connection, connections
    from django.test.utils import CaptureQueriesContext

    from facilities.models import Booking, BookingPolicy, Price, Resource, ResourceHours
    from facilities.selectors import availability
    from facilities.services import booking_create
    from organizations.selectors import valid_organizations

    # The generated groups already hold bookings: the monthly and daily limits are raised for
    # the run (still checked, with the same query) and put back afterwards.
    policy = BookingPolicy.current()
    limits = (policy.max_per_month, policy.max_per_day)
    if policy.pk:
        BookingPolicy.objects.filter(pk=policy.pk).update(max_per_month=10_000, max_per_day=1_000)
    resource = Resource.objects.create(
        name="ベンチ用機材",
        kind="equipment",
        mode="grid",
        grid_minutes=30,
        min_minutes=30,
        max_minutes=120,
        needs_approval=True,  # 仮予約: the service's work, without the confirmation letter
        order=999,
    )
    try:
        for weekday in range(7):
            ResourceHours.objects.create(
                resource=resource, weekday=weekday, opens=dt.time(10), closes=dt.time(19)
            )
        Price.objects.create(resource=resource, unit="hour", amount=0)
        cells = [
            (cell.start, cell.end)
            for day in availability(resource, dt.date.today(), 92, viewer=ctx["staff"])
            for cell in day.cells
            if cell.bookable
        ]
        organizations = list(valid_organizations().order_by("pk")[: len(cells)])
        count = min(count, len(cells), len(organizations))
        jobs = [(organizations[i], *cells[i]) for i in range(count)]
        by = ctx["staff"]
        results = {}

        def service(job):
            organization, start, end = job
            booking_create(
                resource=resource, organization=organization, start=start, end=end,
                purpose="ベンチ", by=by,
            )  # fmt: skip

        def bare(job):
            organization, start, end = job
            Booking.objects.create(
                resource=resource, organization=organization, start=start, end=end,
                status="tentative", purpose="ベンチ", booked_by=by,
            )  # fmt: skip

        with CaptureQueriesContext(connection) as captured:
            service(jobs[0])
        results["queries per booking_create"] = sum(
            1 for q in captured.captured_queries if q["sql"] not in ("BEGIN", "COMMIT")
        )  # psycopg logs the transaction's BEGIN and COMMIT too: not counted
        Booking.objects.filter(resource=resource).delete()
        for threads in threads_to_try:
            for name, func in (("bare insert", bare), ("booking_create", service)):
                rates = []
                for _ in range(3):
                    Booking.objects.filter(resource=resource).delete()
                    rates.append(run_threads(func, jobs, threads, connections))
                results[f"{name}, {threads} thread{'s' if threads > 1 else ''} (/s)"] = round(
                    statistics.median(rates), 1
                )
            service_rate = results[
                f"booking_create, {threads} thread{'s' if threads > 1 else ''} (/s)"
            ]
            bare_rate = results[f"bare insert, {threads} thread{'s' if threads > 1 else ''} (/s)"]
            results[f"ratio, {threads} thread{'s' if threads > 1 else ''}"] = round(
                service_rate / bare_rate, 2
            )
        results["bookings per run"] = count
        return results
    finally:
        Booking.objects.filter(resource=resource).delete()
        resource.delete()
        if policy.pk:
            BookingPolicy.objects.filter(pk=policy.pk).update(
                max_per_month=limits[0], max_per_day=limits[1]
            )


def measure_reminder_sweeps(ctx, *, limit: int = 100, repeat: int = 3) -> dict:
    """The reminder sweep (facilities.reminders.booking_reminders_send: a claim per booking,
    its mails in the outbox, then sent) against the plain sends of the same mails (enqueue
    and send, no claim); then two sweeps at once on the same bookings, counting the bookings
    reminded twice. Everything it changes (reminded_at, outbox rows, sent-mail log) is put
    back afterwards."""
    from django.db import connections, transaction
    from django.utils import timezone
    from django.utils.translation import gettext_lazy

    from facilities import reminders
    from facilities.models import Booking
    from kyodo.mail import mail_enqueue, outbox_send
    from kyodo.models import OutboxMail, SentMail
    from organizations.selectors import managers_of

    now = timezone.now()
    due = list(reminders._due_for_reminder(now).values_list("pk", flat=True)[:limit])
    if not due:
        return {"bookings due": 0}
    outbox_before = OutboxMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sent_before = SentMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # The sweep sees only these bookings: later ones are pushed past its window meanwhile.
    later = list(reminders._due_for_reminder(now).exclude(pk__in=due).values_list("pk", flat=True))

    def reset():
        Booking.objects.filter(pk__in=due).update(reminded_at=None)
        SentMail.objects.filter(pk__gt=sent_before).delete()
        OutboxMail.objects.filter(pk__gt=outbox_before).delete()

    def mail(user, booking):
        # The sweep's own mail (same template, texts and facts), without its claim.
        context = {
            "subject": gettext_lazy("Reminder: your booking tomorrow"),
            "paragraphs": [
                gettext_lazy(
                    "This is a reminder of your organization's booking. If you no "
                    "longer need it, please cancel it from My page so that others "
                    "can use it."
                )
            ],
            "facts": reminders._facts(booking),
            "action_url": reminders._letter_url(booking),
            "action_label": gettext_lazy("Download the approval letter"),
        }
        return mail_enqueue(
            to=user.email,
            template="notice",
            user=user,
            purpose="facilities.booking_reminder",
            context=context,
            publish=False,
        )

    def plain():
        for booking in Booking.objects.filter(pk__in=due).select_related(
            "resource", "organization"
        ):
            with transaction.atomic():
                rows = [mail(user, booking) for user in managers_of(booking.organization)]
            for row in rows:
                outbox_send(outbox_id=row.pk)

    def sweep():
        reminders.booking_reminders_send(now=now)

    Booking.objects.filter(pk__in=later).update(reminded_at=now)  # out of the sweep's way
    try:
        results = {"bookings due": len(due)}
        timings = {"plain sends": [], "sweep": []}
        for _ in range(repeat):
            for name, func in (("plain sends", plain), ("sweep", sweep)):
                reset()
                started = time.perf_counter()
                func()
                timings[name].append(time.perf_counter() - started)
        mails = OutboxMail.objects.filter(pk__gt=outbox_before).count()
        for name, values in timings.items():
            results[f"{name}, median ms"] = round(statistics.median(values) * 1000, 1)
        results["mails per sweep"] = mails
        results["ratio sweep / plain"] = round(
            statistics.median(timings["sweep"]) / statistics.median(timings["plain sends"]), 2
        )
        reset()
        barrier = threading.Barrier(2)

        def racer():
            try:
                barrier.wait()
                sweep()
            finally:
                connections.close_all()

        pair = [threading.Thread(target=racer) for _ in range(2)]
        for thread in pair:
            thread.start()
        for thread in pair:
            thread.join(timeout=300)
        raced = OutboxMail.objects.filter(pk__gt=outbox_before).count()
        results["two sweeps at once: mails"] = raced
        results["two sweeps at once: duplicates"] = raced - mails
        return results
    finally:
        reset()
        Booking.objects.filter(pk__in=later).update(reminded_at=None)


def run_threads(func, jobs, threads: int, connections) -> float:
    """Jobs per second with `threads` threads, each on its own database connection."""
    errors = []

    def worker(part):
        try:
            for job in part:
                func(job)
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    parts = [jobs[i::threads] for i in range(threads)]
    started = time.perf_counter()
    if threads == 1:
        for job in jobs:
            func(job)
    else:
        pool = [threading.Thread(target=worker, args=(part,)) for part in parts]
        for t in pool:
            t.start()
        for t in pool:
            t.join()
    seconds = time.perf_counter() - started
    if errors:
        raise errors[0]
    return len(jobs) / seconds


# --- the report ---------------------------------------------------------------------------------


def data_sizes() -> dict:
    from consultations.models import Case, Entry
    from facilities.models import Booking
    from organizations.models import Organization
    from proposals.models import Proposal, Review, Score

    return {
        "organizations": Organization.objects.count(),
        "bookings": Booking.objects.count(),
        "cases": Case.objects.count(),
        "entries": Entry.objects.count(),
        "proposals": Proposal.objects.count(),
        "reviews": Review.objects.count(),
        "scores": Score.objects.count(),
    }


GOALS = {"public": 5, "member": 5, "reviewer": 10, "staff": 10, "admin": 10}


def report(
    meta, page_list, latency, queries, availability, pdfs, throughput, memory, sweeps=None
) -> str:
    lines = [
        f"# Bench run {meta['started']}",
        "",
        f"Machine: {meta['machine']}. Data: "
        + ", ".join(f"{v:,} {k}" for k, v in meta["sizes"].items())
        + ".",
        f"Command: `{meta['command']}` — {meta['rounds']} rounds × {meta['requests']} requests per "
        f"batch, {meta['concurrency']} concurrent clients, gunicorn with 2 workers on 127.0.0.1.",
        "",
        "## Pages (p95 under concurrency, as a multiple of the bare view's p95 in the same round)",
        "",
        "| page | group | ratio min | ratio median | goal | met | p50 ms | p95 ms | KB "
        "| queries | SQL ms | server ms (1 request) | slowest query ms |",
        "| --- | --- | ---: | ---: | ---: | :-: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, group, _who, _url in page_list:
        runs = latency.get(name, [])
        q = queries.get(name, {})
        if runs:
            lo, med = min_median([run["ratio"] for run in runs])
            p50 = statistics.median(run["page"]["p50"] for run in runs) * 1000
            p95 = statistics.median(run["page"]["p95"] for run in runs) * 1000
            kb = runs[-1]["page"]["kb"]
            statuses = sorted({s for run in runs for s in run["page"]["statuses"]})
        else:
            lo = med = p50 = p95 = kb = float("nan")
            statuses = []
        goal = GOALS[group]
        met = ("yes" if med <= goal else "**no**") if runs else "—"  # latency not measured
        flag = "" if statuses in ([200], []) else f" (HTTP {statuses})"
        lines.append(
            f"| {name}{flag} | {group} | {lo:.1f} | {med:.1f} | ≤{goal} | {met} "
            f"| {p50:.0f} | {p95:.0f} | "
            f"{kb} | {q.get('queries', '')} | {q.get('sql_ms', '')} | {q.get('server_ms', '')} | "
            f"{q.get('slowest_ms', '')} |"
        )
    lines += [
        "",
        "## Availability: month of 輪転機 in `availability()` (goal ≤ 30 ms)",
        "",
        "| viewer | min ms | median ms | queries | SQL ms | × bare view (in process) |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for who, row in availability.items():
        lines.append(
            f"| {who} | {row['min_ms']} | {row['median_ms']} | {row['queries']} "
            f"| {row['sql_ms']} | "
            f"{row['median_ms'] / meta['bare_ms']:.0f} |"
        )
    lines += [
        "",
        "## PDFs (in process, against a minimal one-page Japanese PDF)",
        "",
        "| PDF | min ms | median ms | × minimal | ms per 100 rows |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for name, row in pdfs.items():
        lines.append(
            f"| {name} | {row['min_ms']} | {row.get('median_ms', row['min_ms'])} | {row['ratio']} "
            f"| {row.get('per_100_rows_ms', '')} |"
        )
    lines += [
        "",
        "## Booking throughput (median of 3 runs)",
        "",
        "| measure | value |",
        "| --- | ---: |",
    ]
    for name, value in throughput.items():
        lines.append(f"| {name} | {value} |")
    if sweeps:
        lines += [
            "",
            "## Reminder sweep against the plain sends it makes (goal ≤ 1.3×, 0 duplicates)",
            "",
            "| measure | value |",
            "| --- | ---: |",
        ]
        lines += [f"| {name} | {value} |" for name, value in sweeps.items()]
    lines += [
        "",
        f"Peak memory of a gunicorn worker (VmHWM): {memory} MB.",
        f"Bare view in process: {meta['bare_ms']:.2f} ms.",
        "",
        "The slowest query of each page with its plan: the .json file beside this one.",
        "",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description="Measure the portal against a bare view.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--requests", type=int, default=30, help="requests per batch")
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--bookings", type=int, default=200, help="bookings per throughput run")
    parser.add_argument("--only", default="", help="comma-separated page names (default: all)")
    parser.add_argument("--out", default=str(HERE / "results"))
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help=f"comma-separated parts to measure (default: all of {', '.join(PARTS)})",
    )
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql" or settings.DATABASES["default"]["HOST"] not in (
        "127.0.0.1",
        "localhost",
        "",
    ):
        sys.exit("bench.run measures a local PostgreSQL database only (DATABASE_URL).")
    started = dt.datetime.now(dt.UTC)
    ctx = discover()
    page_list = pages(ctx)
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        page_list = [p for p in page_list if p[0] in wanted]
    parts = {part.strip() for part in args.parts.split(",")}
    cookies = session_cookies(ctx)
    queries, availability, pdfs, throughput, sweeps, latency = {}, {}, {}, {}, {}, {}
    memory = float("nan")
    if "queries" in parts:
        log("queries per page")
        queries = measure_queries(page_list, ctx)
    if "availability" in parts:
        log("availability")
        availability = measure_availability(ctx)
    if "pdfs" in parts:
        log("PDFs")
        pdfs = measure_pdfs(ctx)
    if "throughput" in parts:
        log("booking throughput")
        throughput = measure_booking_throughput(ctx, count=args.bookings)
    if "sweeps" in parts:
        log("reminder sweeps")
        sweeps = measure_reminder_sweeps(ctx)
    connection.close()
    if "latency" in parts:
        with Gunicorn() as server:
            latency = measure_latency(
                server.port, page_list, cookies,
                rounds=args.rounds, requests=args.requests, concurrency=args.concurrency,
            )  # fmt: skip
            memory = server.peak_memory_mb()
        page_list = [p for p in page_list if p[0] in latency or p[0] in queries]
    else:
        page_list = [p for p in page_list if p[0] in queries]
    meta = {
        "started": started.strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "sizes": data_sizes(),
        "command": "make bench " + " ".join(argv or sys.argv[1:]),
        "rounds": args.rounds,
        "requests": args.requests,
        "concurrency": args.concurrency,
        "bare_ms": bare_in_process_seconds() * 1000,
    }
    text = report(meta, page_list, latency, queries, availability, pdfs, throughput, memory, sweeps)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    stem = started.strftime("%Y-%m-%d-%H%M")
    (out / f"{stem}.md").write_text(text, encoding="utf-8")
    (out / f"{stem}.json").write_text(
        json.dumps(
            {"meta": meta, "latency": latency, "queries": queries, "availability": availability,
             "pdfs": pdfs, "throughput": throughput, "sweeps": sweeps, "memory_mb": memory},
            ensure_ascii=False, indent=1, default=str,
        ),
        encoding="utf-8",
    )  # fmt: skip
    print(text)
    log(f"written: {out / stem}.md")


if __name__ == "__main__":
    main()
