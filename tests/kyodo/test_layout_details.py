"""Small layout faults of issue 15: the organization page's breadcrumb, staff's マイページ
without 「新しい団体を登録する」, and the score sheet's total that stays in view."""

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def client(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_organization_pages_breadcrumb_ends_with_the_organization(client):
    organization = OrganizationFactory(name="佃まちづくりの会")
    owner = MembershipFactory(organization=organization, role="owner").user
    client.force_login(owner)
    html = client.get(reverse("organizations:detail", args=[organization.pk])).content.decode()
    crumbs = html.split('<ol class="breadcrumb">', 1)[1].split("</ol>", 1)[0]
    assert "My page" in crumbs
    assert 'aria-current="page">佃まちづくりの会</li>' in crumbs
    assert "Members" not in crumbs
    # The members page is still one click away.
    assert reverse("organizations:members", args=[organization.pk]) in html


def test_staff_are_not_offered_to_register_an_organization_on_their_mypage(client):
    client.force_login(StaffFactory())
    html = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("organizations:apply") not in html
    assert "Register a new organization" not in html


def test_a_person_without_an_organization_is_offered_to_register_one(client):
    client.force_login(UserFactory())
    html = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("organizations:apply") in html


def test_the_running_total_of_the_score_sheet_stays_in_view():
    template = Path(settings.BASE_DIR, "proposals/templates/proposals/review_score.html")
    bar = template.read_text().split('<div class="score-total-bar">', 1)[1]
    assert bar.index('id="running-total"') < bar.index("Submit the review")
    css = Path(settings.BASE_DIR, "static/kyodo/css/site.css").read_text()
    rule = css.split(".score-total-bar {", 1)[1].split("}", 1)[0]
    assert "position: sticky" in rule and "bottom: 0" in rule
