import pytest
from django.urls import reverse

from accounts.models import User
from accounts.mypage import MyPageSection, _sections, register_section
from tests.factories import StaffFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_my_page_needs_a_log_in(client):
    response = client.get(reverse("accounts:mypage"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_my_page_shows_the_profile_and_the_roles(client):
    staff = StaffFactory(email="staff@example.jp", family_name="中央", given_name="花子")
    client.force_login(staff)
    body = client.get(reverse("accounts:mypage")).content.decode()
    assert "staff@example.jp" in body
    assert "中央\u3000花子" in body
    assert "センター職員" in body or "Center staff" in body


def test_profile_edit_normalises_kana_and_is_audited(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "family_name": "佐藤",
            "given_name": "一",
            "family_name_kana": "さとう",
            "given_name_kana": "ﾊｼﾞﾒ",
            "phone": "090-1111-2222",
            "language": "en",
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.family_name_kana, user.given_name_kana, user.language) == (
        "サトウ",
        "ハジメ",
        "en",
    )
    latest = User.history.filter(id=user.pk).latest("history_date")
    assert latest.family_name == "佐藤"
    assert latest.history_user == user


def test_profile_edit_shows_errors_and_saves_nothing_on_bad_input(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_edit"),
        {
            "family_name": "佐藤",
            "given_name": "一",
            "family_name_kana": "Sato",
            "given_name_kana": "ハジメ",
            "phone": "12345",
            "language": "ja",
        },
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"family_name_kana", "phone"}
    user.refresh_from_db()
    assert user.family_name == "山田"


def test_a_pillar_section_appears_on_my_page_only_when_it_has_something(client):
    register_section(
        MyPageSection(
            key="test-bookings",
            title="Bookings",
            template="includes/opening_hours.html",
            context=lambda request: {"n": 3} if request.user.is_staff else None,
        )
    )
    try:
        client.force_login(UserFactory())
        assert "h-test-bookings" not in client.get(reverse("accounts:mypage")).content.decode()
        client.force_login(StaffFactory())
        assert "h-test-bookings" in client.get(reverse("accounts:mypage")).content.decode()
    finally:
        _sections.pop("test-bookings")


def test_staff_see_what_waits_for_review_on_my_page(client):
    from tests.factories import OrganizationFactory

    organization = OrganizationFactory(
        status="applying", registration_number=None, valid_until=None
    )
    organization.applications.create(kind="new", fiscal_year=2026)
    client.force_login(StaffFactory())
    body = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("organizations:review_list") in body
    client.force_login(UserFactory())
    assert (
        reverse("organizations:review_list")
        not in client.get(reverse("accounts:mypage")).content.decode()
    )
