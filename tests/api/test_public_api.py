"""The public read-only API: what each endpoint may show and never shows, ETags, CORS, the
rate limit, bad input, query counts, and the OpenAPI schema tried by schemathesis."""

import datetime as dt

import pytest
import schemathesis
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from hypothesis import HealthCheck, settings
from rest_framework.throttling import AnonRateThrottle

from facilities.models import Booking, Resource
from tests.factories import OrganizationFactory, ProposalFactory, RoundFactory

pytestmark = pytest.mark.django_db

SECRET = "秘密の打ち合わせ"


def _organizations(n, **kwargs):
    return [
        OrganizationFactory(is_listed=True, public_fields=["website"], **kwargs) for _ in range(n)
    ]


def _adopted(n, *, released=True):
    round_ = RoundFactory(
        decisions_released_at=timezone.now() - dt.timedelta(days=1) if released else None
    )
    return [
        ProposalFactory(round=round_, status="adopted", number=i + 1, title=f"採択事業{i}")
        for i in range(n)
    ]


def _booking(resource, organization, day, hour, hours=2):
    start = timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))
    return Booking.objects.create(
        resource=resource,
        organization=organization,
        start=start,
        end=start + dt.timedelta(hours=hours),
        status="confirmed",
        purpose=SECRET,
    )


# --- what each endpoint shows ----------------------------------------------------------------


def test_the_directory_holds_listed_valid_organizations_and_only_their_chosen_details(client):
    listed = OrganizationFactory(is_listed=True, public_fields=["website"], website="https://a.jp")
    OrganizationFactory(is_listed=False, name="載せない会")
    OrganizationFactory(is_listed=True, status="expired", name="期限切れの会")
    body = client.get("/api/v1/organizations/").json()
    assert [row["id"] for row in body["results"]] == [listed.pk]
    row = body["results"][0]
    assert row["details"] == {"website": "https://a.jp"}
    raw = client.get("/api/v1/organizations/").content.decode()
    # The phone, e-mail and representative were not chosen for the directory.
    for private in (listed.phone, listed.email, listed.representative_name):
        assert private not in raw


def test_an_unlisted_organization_is_404_in_the_api_too(client):
    hidden = OrganizationFactory(is_listed=False)
    assert client.get(f"/api/v1/organizations/{hidden.pk}/").status_code == 404


def test_busy_times_never_say_who_booked_or_why(client):
    room = Resource.objects.get(name="サロン")
    day = timezone.localdate() + dt.timedelta(days=3)
    group = OrganizationFactory(name="予約した会")
    _booking(room, group, day, 10)
    _booking(room, group, day, 12)  # touches the first: one interval, not two bookings
    _booking(room, group, day, 15)
    response = client.get(f"/api/v1/resources/{room.pk}/busy/?start={day}&days=1")
    body = response.json()
    assert response.status_code == 200
    assert [(b["start"][11:16], b["end"][11:16]) for b in body["busy"]] == [
        ("10:00", "14:00"),
        ("15:00", "17:00"),
    ]
    raw = response.content.decode()
    assert SECRET not in raw and "予約した会" not in raw and "organization" not in raw


def test_a_booking_of_the_whole_room_makes_its_parts_busy(client):
    room = Resource.objects.get(name="会議室")
    part = Resource.objects.get(name="会議室A")
    day = timezone.localdate() + dt.timedelta(days=3)
    _booking(room, OrganizationFactory(), day, 9, hours=3)
    body = client.get(f"/api/v1/resources/{part.pk}/busy/?start={day}&days=1").json()
    assert len(body["busy"]) == 1


def test_only_adopted_proposals_of_released_calls_are_listed(client):
    shown = _adopted(1)[0]
    _adopted(1, released=False)  # decided, not yet released
    ProposalFactory(round=shown.round, status="not_adopted", number=9, title="不採択の事業")
    ProposalFactory(round=shown.round, status="draft", title="下書きの事業")
    body = client.get("/api/v1/adopted-proposals/").json()
    assert [row["id"] for row in body["results"]] == [shown.pk]
    assert body["results"][0]["reference"] == shown.reference
    raw = client.get("/api/v1/adopted-proposals/").content.decode()
    assert "不採択の事業" not in raw and "下書きの事業" not in raw


def test_a_proposal_not_released_is_404(client):
    hidden = _adopted(1, released=False)[0]
    assert client.get(f"/api/v1/adopted-proposals/{hidden.pk}/").status_code == 404


def test_a_signed_in_staff_member_sees_no_more_than_the_public(client, staff):
    OrganizationFactory(is_listed=False)
    _organizations(1)
    anonymous = client.get("/api/v1/organizations/").content
    client.force_login(staff)
    assert client.get("/api/v1/organizations/").content == anonymous


# --- HTTP behaviour --------------------------------------------------------------------------


def test_a_repeated_request_with_the_etag_is_answered_304(client):
    _organizations(2)
    first = client.get("/api/v1/organizations/")
    etag = first["ETag"]
    again = client.get("/api/v1/organizations/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    _organizations(1)  # the answer changed: a new body, a new ETag
    changed = client.get("/api/v1/organizations/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_any_site_may_read_it_from_the_browser(client):
    response = client.get("/api/v1/resources/", HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Access-Control-Allow-Origin" not in client.get("/", HTTP_ORIGIN="https://example.org")


def test_writing_is_refused(client):
    assert client.post("/api/v1/organizations/", {}).status_code == 405
    assert client.delete("/api/v1/resources/1/").status_code == 405


def test_a_client_past_the_rate_is_told_to_wait(client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    statuses = [client.get("/api/v1/resources/").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    # Another address has its own count.
    assert client.get("/api/v1/resources/", REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/organizations/?field=21",
        "/api/v1/organizations/?field=x",
        "/api/v1/organizations/?org_type=castle",
        "/api/v1/adopted-proposals/?fiscal_year=99999999999999",
        "/api/v1/resources/1/busy/?start=2026-02-30",
        "/api/v1/resources/1/busy/?days=400",
        "/api/v1/resources/1/busy/?start=2199-12-30&days=5",
    ],
)
def test_a_wrong_parameter_is_a_400_that_names_it(client, url):
    response = client.get(url)
    assert response.status_code == 400
    assert set(response.json()) & {"field", "org_type", "fiscal_year", "start", "days"}


@pytest.mark.parametrize(
    ("url", "make"),
    [
        ("/api/v1/organizations/", _organizations),
        ("/api/v1/adopted-proposals/", _adopted),
    ],
)
def test_a_list_costs_the_same_queries_for_one_row_and_many(client, url, make):
    make(1)
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    make(6)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.json()["count"] >= 7
    assert len(many) == len(one)


def test_the_human_page_lists_every_endpoint_in_both_languages(client):
    body = client.get("/api/").content.decode()
    for path in (
        "/api/v1/organizations/",
        "/api/v1/resources/{id}/busy/",
        "/api/v1/adopted-proposals/",
    ):
        assert path in body
    assert "公開API" in body
    client.cookies["django_language"] = "en"
    assert "Public API" in client.get("/api/").content.decode()


# --- the schema, tried by a property-based tester ---------------------------------------------


@pytest.fixture
def api_data(db):
    _organizations(3)
    _adopted(2)
    room = Resource.objects.get(name="サロン")
    _booking(room, OrganizationFactory(), timezone.localdate() + dt.timedelta(days=1), 10)


def test_the_schema_is_served_as_openapi_3(client):
    response = client.get("/api/v1/schema/?format=json")
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) >= {
        "/api/v1/organizations/",
        "/api/v1/organizations/{id}/",
        "/api/v1/resources/{id}/busy/",
        "/api/v1/adopted-proposals/",
    }


def _load_schema():
    # Read from the running app, as a client would; the schema view touches no database.
    from kyodo.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)


schema = _load_schema()


@pytest.fixture
def wsgi_keeps_the_test_connection():
    """Called as a WSGI app (not through Django's test client), a request's end closes the
    database connection — on PostgreSQL the test's own transaction. The test client
    disconnects the same signal handlers for the same reason."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_every_endpoint_answers_within_its_schema(
    case, api_data, monkeypatch, wsgi_keeps_the_test_connection
):
    """No 500, and every answer — 200, 400, 404 — valid against the schema."""
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "1000000/minute"})
    case.call_and_validate()


@pytest.mark.parametrize("page", ["", "0", "x", "last", "-1"])
def test_a_page_that_is_not_a_whole_number_from_1_is_not_found(client, page):
    response = client.get(f"/api/v1/organizations/?page={page}")
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}
