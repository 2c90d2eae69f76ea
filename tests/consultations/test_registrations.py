"""What consultations show on other apps' pages: the organization's 360 page and マイページ."""

import pytest
from django.urls import reverse

from consultations import services

pytestmark = pytest.mark.django_db


def test_the_organizations_360_page_lists_its_cases_with_sensitive_titles_hidden(
    client, organization, staff
):
    plain = services.case_create(
        by=staff,
        title="会計の相談",
        request="決算書の作り方",
        channel="visit",
        organization=organization,
    )
    secret = services.case_create(
        by=staff,
        title="家族の病状について",
        request="…",
        channel="phone",
        organization=organization,
        is_sensitive=True,
    )
    client.force_login(staff)
    page = client.get(reverse("organizations:staff_detail", args=[organization.pk]))
    body = page.content.decode()
    assert plain.number in body and "会計の相談" in body
    assert secret.number in body
    assert "家族の病状について" not in body


def test_my_page_lists_the_askers_own_consultations(client, people, organization):
    member = people["member"]
    case = services.case_request_online(
        user=member, organization=organization, request="イベントの広報について相談したい"
    )
    client.force_login(member)
    body = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("consultations:my_case", args=[case.pk]) in body
    client.force_login(people["manager"])  # another member of the same organization
    body = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("consultations:my_case", args=[case.pk]) not in body


def test_staff_see_the_follow_ups_due_on_my_page(client, staff):
    import datetime as dt

    from django.utils import timezone

    case = services.case_create(by=staff, title="t", request="r", channel="visit")
    services.followup_add(
        case=case,
        by=staff,
        description="折り返し電話",
        due_on=timezone.localdate() - dt.timedelta(days=1),
        assignee=staff,
    )
    client.force_login(staff)
    body = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("consultations:dashboard") in body
