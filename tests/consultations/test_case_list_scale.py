"""The staff case list at scale: the entry counts are computed for the rows shown, and the
paginator's COUNT neither joins the entries nor groups every case."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from consultations import services
from tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def _case(staff, n, entries):
    case = services.case_create(
        by=staff, title=f"相談{n}", request="会の運営について", channel="visit", asker_name="中央"
    )
    for k in range(entries):
        services.entry_add(case=case, by=staff, kind="memo", notes=f"記録{k}")
    return case


def test_the_case_list_counts_each_shown_cases_entries_without_grouping_all_cases(client):
    staff = StaffFactory()
    made = {_case(staff, n, entries).number: entries for n, entries in enumerate([0, 1, 3, 2])}
    client.force_login(staff)
    url = reverse("consultations:case_list")
    client.get(url)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)

    shown = {case.number: case.entry_count for case in response.context["cases"]}
    assert shown == made  # a case without entries shows 0, not a missing row
    sql = [q["sql"].upper() for q in captured.captured_queries]
    count = next(
        q for q in sql if q.startswith('SELECT COUNT(*) AS "__COUNT" FROM "CONSULTATIONS_CASE"')
    )
    assert "GROUP BY" not in count and "CONSULTATIONS_ENTRY" not in count
    listing = next(q for q in sql if q.startswith('SELECT "CONSULTATIONS_CASE"."ID"'))
    assert 'GROUP BY "CONSULTATIONS_CASE"."ID"' not in listing
