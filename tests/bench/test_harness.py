"""The benchmark harness on a few rows, so that `make bench` keeps working as the portal
changes: the generator fills the database within the models' rules, and the in-process
measurements open every page it measures and produce the report."""

import datetime as dt
import itertools

import pytest

from bench import generate, run
from facilities.models import Booking, Resource
from organizations.models import Membership, Organization
from proposals.models import Review, Score
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_the_harness_generates_data_and_measures_every_page(settings):
    settings.ROOT_URLCONF = "bench.urls"
    engine = settings.TEMPLATES[0]
    settings.TEMPLATES = [{**engine, "DIRS": [*engine["DIRS"], run.HERE / "templates"]}]
    StaffFactory()

    made = generate.generate(scale=0.002, seed=7, demo=False)

    assert made["organizations"] == Organization.objects.count() == 4
    # Every organization has its one 代表管理者.
    assert Membership.objects.filter(role="owner").count() == 4
    assert made["bookings"] == Booking.objects.count() == 200
    # No two bookings of a resource overlap (what the exclusion constraint holds on PostgreSQL).
    for resource in Resource.objects.all():
        spans = sorted(Booking.objects.filter(resource=resource).values_list("start", "end"))
        assert all(end <= start for (_s, end), (start, _e) in itertools.pairwise(spans))
    assert Review.objects.count() == made["reviews"] > 0
    assert Score.objects.count() == made["reviews"] * 10
    with pytest.raises(SystemExit):  # a second run on the same database is refused
        generate.generate(scale=0.002, seed=7, demo=False)

    ctx = run.discover()
    pages = run.pages(ctx)
    queries = run.measure_queries(pages, ctx)
    assert {name: row["status"] for name, row in queries.items()} == {
        name: 200 for name, *_ in pages
    }
    availability = run.measure_availability(ctx, repeat=1)
    assert availability["staff"]["queries"] > 0
    throughput = run.measure_booking_throughput(ctx, count=3, threads_to_try=(1,))
    assert throughput["bookings per run"] == 3
    assert throughput["booking_create, 1 thread (/s)"] > 0
    assert not Resource.objects.filter(name="ベンチ用機材").exists()  # removed again

    latency = {
        name: [
            {
                "bare": {"p50": 0.01, "p95": 0.02, "statuses": [200], "kb": 1},
                "page": {"p50": 0.02, "p95": 0.04, "statuses": [200], "kb": 9},
                "ratio": 2.0,
            }
        ]
        for name, *_ in pages
    }
    meta = {
        "started": "now",
        "machine": "test",
        "sizes": run.data_sizes(),
        "command": "make bench",
        "rounds": 1,
        "requests": 1,
        "concurrency": 1,
        "bare_ms": 1.0,
    }
    sweeps = {"bookings due": 3, "ratio sweep / plain": 1.1, "two sweeps at once: duplicates": 0}
    text = run.report(meta, pages, latency, queries, availability, {}, throughput, 100.0, sweeps)
    assert "| two sweeps at once: duplicates | 0 |" in text
    assert "| chair dashboard | reviewer | 2.0 | 2.0 | ≤10 | yes |" in text
    assert "4 organizations" in text


def test_percentiles_are_nearest_rank():
    samples = [dt.timedelta(milliseconds=n).total_seconds() for n in range(1, 21)]
    assert run.percentile(samples, 0.5) == 0.010
    assert run.percentile(samples, 0.95) == 0.019
    assert run.percentile([0.3], 0.95) == 0.3
