"""Each request reads a thing once (issue 16): マイページ's memberships (its sections, the
act-for switch and the acting organization all ask) and the home page's calendar rows (today,
the week, the weekly hours and the annual closures)."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _reads(client, url, table: str) -> int:
    client.get(url)  # warm the session
    cache.clear()  # the home page's calendar is cached (tests/kyodo/test_public_cache.py)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return sum(1 for q in queries.captured_queries if f'FROM "{table}"' in q["sql"])


def test_the_home_page_reads_the_calendar_rows_once(client):
    for table in (
        "kyodo_openinghours",
        "kyodo_annualclosure",
        "kyodo_closure",
        "kyodo_holidayrule",
    ):
        assert _reads(client, reverse("home"), table) == 1, table
    response = client.get(reverse("home"))
    assert len(response.context["week"]) == 7
    assert response.context["today"] == response.context["week"][0]
    assert [h.weekday for h in response.context["opening_hours"]] == list(range(7))


def test_mypage_reads_the_memberships_once(client):
    user = UserFactory()
    for _ in range(2):
        MembershipFactory(user=user, organization=OrganizationFactory())
    client.force_login(user)
    memberships = 'FROM "organizations_membership" INNER JOIN "organizations_organization"'
    client.get(reverse("accounts:mypage"))
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("accounts:mypage"))
    assert response.status_code == 200
    reads = [q["sql"] for q in queries.captured_queries if memberships in q["sql"]]
    assert len(reads) == 1, reads
