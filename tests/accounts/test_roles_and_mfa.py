import pytest
from allauth.mfa.models import Authenticator
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from accounts.rules import is_center_staff, is_council_member, is_ward_official, must_use_mfa
from tests.accounts.mfa_helpers import confirm_with_totp, give_totp, log_in_with_totp
from tests.factories import (
    PASSWORD,
    CouncilMemberFactory,
    StaffFactory,
    UserFactory,
    WardOfficialFactory,
)

pytestmark = pytest.mark.django_db


def test_the_three_role_groups_exist_after_migrating():
    names = set(Group.objects.values_list("name", flat=True))
    assert {"センター職員", "区職員", "協働推進会議委員"} <= names


def test_center_staff_may_manage_the_centers_data_but_not_delete_users():
    group = Group.objects.get(name=Role.CENTER_STAFF)
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert {"change_closure", "add_closure", "change_user", "view_sentmail"} <= codenames
    assert "delete_user" not in codenames
    assert Permission.objects.filter(codename="delete_user").exists()


@pytest.mark.parametrize(
    ("factory", "staff", "ward", "council", "needs_mfa"),
    [
        (UserFactory, False, False, False, False),
        (StaffFactory, True, False, False, True),
        (WardOfficialFactory, False, True, False, True),
        (CouncilMemberFactory, False, False, True, False),
    ],
)
def test_role_predicates(factory, staff, ward, council, needs_mfa):
    user = factory()
    assert (is_center_staff(user), is_ward_official(user), is_council_member(user)) == (
        staff,
        ward,
        council,
    )
    assert must_use_mfa(user) is needs_mfa


def test_an_inactive_user_holds_no_role():
    user = StaffFactory(is_active=False)
    assert not is_center_staff(user)


@pytest.mark.parametrize("factory", [StaffFactory, WardOfficialFactory])
def test_staff_and_ward_officials_without_mfa_are_sent_to_set_it_up(client, settings, factory):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    client.force_login(factory())
    for path in ("/admin/", "/staff/anything/", "/review/anything/"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_who_logged_in_with_their_second_factor_reach_the_backoffice(client, settings):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    staff = StaffFactory()
    log_in_with_totp(client, staff, give_totp(staff))
    assert client.get("/admin/").status_code == 200


def test_staff_with_totp_whose_session_did_not_use_it_confirm_it_first(client, settings):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    staff = StaffFactory()
    secret = give_totp(staff)
    client.force_login(staff)  # a session with no second factor (as after a password reset)

    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_reauthenticate") + "?next=%2Fadmin%2F"
    confirmed = confirm_with_totp(client, response["Location"], secret)

    assert confirmed["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_without_the_setting_staff_reach_the_backoffice_without_mfa(client):
    client.force_login(StaffFactory())
    assert client.get("/admin/").status_code == 200


def _log_in_and_confirm_password(client, user):
    # allauth asks for the password again before two-factor set-up (reauthentication).
    client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": PASSWORD})


def test_the_requirement_leaves_my_page_and_the_setup_page_reachable(client, settings):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    _log_in_and_confirm_password(client, StaffFactory())
    assert client.get(reverse("accounts:mypage")).status_code == 200
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_members_and_council_members_are_not_forced_to_use_mfa(client, settings):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    for user in (UserFactory(), CouncilMemberFactory()):
        client.force_login(user)
        response = client.get("/review/anything/")
        assert response.status_code == 404  # no redirect to the set-up page


def test_every_user_can_turn_on_totp_from_my_page(client):
    _log_in_and_confirm_password(client, UserFactory())
    page = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("mfa_index") in page
    assert client.get(reverse("mfa_activate_totp")).status_code == 200


def test_only_the_center_manager_reads_the_consultation_access_log():
    staff_codenames = set(
        Group.objects.get(name=Role.CENTER_STAFF).permissions.values_list("codename", flat=True)
    )
    manager_codenames = set(
        Group.objects.get(name=Role.CENTER_MANAGER).permissions.values_list("codename", flat=True)
    )
    assert {"view_access_log", "anonymize_case"} <= manager_codenames
    assert not {"view_access_log", "anonymize_case"} & staff_codenames
    assert "change_case" in staff_codenames


def test_setting_up_totp_counts_as_this_sessions_second_factor(client, settings, transactional_db):
    """allauth announces the new authenticator once its transaction commits: a test on real
    transactions sees it as a person does (the role groups are made again after the flush of
    an earlier transactional test)."""
    from importlib import import_module

    from django.apps import apps

    import_module("accounts.migrations.0002_role_groups").create_roles(apps, None)
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    staff = StaffFactory()
    _log_in_and_confirm_password(client, staff)
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")
    client.get(reverse("mfa_activate_totp"))  # the page puts the new secret in the session
    secret = client.session["mfa.totp.secret"]

    activated = confirm_with_totp(client, reverse("mfa_activate_totp"), secret)

    assert activated.status_code == 302
    assert Authenticator.objects.filter(user=staff, type=Authenticator.Type.TOTP).exists()
    assert client.get("/admin/").status_code == 200


def test_my_page_says_the_roles_wait_for_two_factor_log_in(client, settings):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    staff = StaffFactory()
    client.force_login(staff)
    waiting = client.get(reverse("accounts:mypage")).content.decode()
    secret = give_totp(staff)
    with_totp = client.get(reverse("accounts:mypage")).content.decode()
    client.logout()
    log_in_with_totp(client, staff, secret)
    confirmed = client.get(reverse("accounts:mypage")).content.decode()

    notice = "ordinary member"
    assert notice in waiting and reverse("mfa_activate_totp") in waiting
    assert notice in with_totp and reverse("mfa_reauthenticate") in with_totp
    assert notice not in confirmed
    assert "Center staff" in waiting  # the role is still named: it is theirs


def test_a_person_read_outside_a_request_keeps_their_roles(settings):
    """Tasks, and checks about someone else ("is the official named here a ward official?"),
    read the person from the database: no session, so the roles are what they hold."""
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    official = WardOfficialFactory()

    assert is_ward_official(User.objects.get(pk=official.pk))
