"""Members of an organization: the member page, invitations, roles, the hand-over, leaving and
the organization a person acts for."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from kyodo.mail import absolute_url
from organizations import services
from organizations.acting import SESSION_KEY, acting_organization
from organizations.models import Invitation, Membership
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "outsider", "stranger", "member", "manager", "owner", "staff"]


@pytest.fixture
def english(client):
    """Render pages in English (the source language) so that tests can read their text."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def _login(client, people, who):
    if who != "anonymous":
        client.force_login(people[who])


def _membership(organization, user):
    return Membership.objects.get(organization=organization, user=user)


def _invite(organization, by, email="invited@example.jp", role="member"):
    return services.member_invite(organization=organization, by=by, email=email, role=role)


def _body(response):
    return response.content.decode()


# --- the permission matrix -------------------------------------------------------------------

# For each action: the status every kind of visitor gets. Outsiders (a member of another
# organization, a signed-in stranger) get 404 and learn nothing; a member without the right
# gets 403; anonymous visitors are sent to log in. Staff are not members: they manage members
# and hand the role over, but have nothing to leave and no organization to act for here.
MANAGERS_ONLY = {
    "anonymous": 302,
    "outsider": 404,
    "stranger": 404,
    "member": 403,
    "manager": 302,
    "owner": 302,
    "staff": 302,
}
MATRIX = {
    "members": {
        "anonymous": 302,
        "outsider": 404,
        "stranger": 404,
        "member": 200,
        "manager": 200,
        "owner": 200,
        "staff": 200,
    },
    "invite": MANAGERS_ONLY,
    "invitation_revoke": MANAGERS_ONLY,
    "change_role": MANAGERS_ONLY,
    "remove_member": MANAGERS_ONLY,
    "set_contact": MANAGERS_ONLY,
    "hand_over_page": {**MANAGERS_ONLY, "manager": 403, "owner": 200, "staff": 200},
    "hand_over": {**MANAGERS_ONLY, "manager": 403},
    # The owner is sent back to the member page with the reason (see test_the_owner_cannot_leave).
    "leave": {**MANAGERS_ONLY, "member": 302, "staff": 404},
    "act_for": {**MANAGERS_ONLY, "member": 302, "staff": 404},
}
ALLOWED = {200, 302}
# Allowed to ask, but the rule refuses: the 代表管理者 cannot leave without a successor.
REFUSED_BY_RULE = {("leave", "owner")}


def _action(name, organization, people, who):
    """(method, url, data, happened): ``happened()`` reads the database (or the response) to
    tell whether the action took effect."""
    pk = organization.pk
    target = MembershipFactory(organization=organization, role="member")

    if name == "members":
        url = reverse("organizations:members", args=[pk])
        return "get", url, {}, lambda r: people["owner"].email in _body(r)
    if name == "invite":
        url = reverse("organizations:invite", args=[pk])
        data = {"email": "new@example.jp", "role": "member"}
        return "post", url, data, lambda r: Invitation.objects.filter(email=data["email"]).exists()
    if name == "invitation_revoke":
        invitation = _invite(organization, people["owner"])
        url = reverse("organizations:invitation_revoke", args=[pk, invitation.pk])

        def revoked(_r):
            invitation.refresh_from_db()
            return invitation.revoked_at is not None

        return "post", url, {}, revoked
    if name == "change_role":
        url = reverse("organizations:change_role", args=[pk, target.pk])
        return "post", url, {"role": "manager"}, lambda r: _role(target) == "manager"
    if name == "remove_member":
        url = reverse("organizations:remove_member", args=[pk, target.pk])
        return "post", url, {}, lambda r: not Membership.objects.filter(pk=target.pk).exists()
    if name == "set_contact":
        url = reverse("organizations:set_contact", args=[pk, target.pk])

        def contact(_r):
            organization.refresh_from_db()
            return organization.contact_person_id == target.user_id

        return "post", url, {}, contact
    if name == "hand_over_page":
        url = reverse("organizations:hand_over", args=[pk, target.pk])
        return "get", url, {}, lambda r: f'action="{url}"' in _body(r)
    if name == "hand_over":
        url = reverse("organizations:hand_over", args=[pk, target.pk])
        return "post", url, {}, lambda r: _role(target) == "owner"
    if name == "leave":
        url = reverse("organizations:leave", args=[pk])
        own = Membership.objects.filter(organization=organization, user=people.get(who))
        was_member = own.exists()
        return "post", url, {}, lambda r: was_member and not own.exists()
    if name == "act_for":
        url = reverse("organizations:act_for", args=[pk])
        return "post", url, {}, lambda r: r.wsgi_request.session.get(SESSION_KEY) == pk
    raise AssertionError(name)


def _role(membership):
    return Membership.objects.get(pk=membership.pk).role


@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(client, organization, people, name, who):
    expected = MATRIX[name][who]
    method, url, data, happened = _action(name, organization, people, who)
    _login(client, people, who)

    response = getattr(client, method)(url, data)

    assert response.status_code == expected
    if who == "anonymous":
        assert response["Location"].startswith(reverse("account_login"))
    should_happen = (
        expected in ALLOWED and who != "anonymous" and (name, who) not in REFUSED_BY_RULE
    )
    assert happened(response) is should_happen


@pytest.mark.parametrize(
    "name", ["invite", "invitation_revoke", "change_role", "remove_member", "set_contact"]
)
def test_actions_refuse_get(client, organization, people, name):
    _method, url, _data, happened = _action(name, organization, people, "manager")
    client.force_login(people["manager"])
    assert client.get(url).status_code == 405
    assert not happened(None)


def test_a_membership_of_another_organization_is_not_found(client, organization, people):
    elsewhere = MembershipFactory(organization=OrganizationFactory(), role="member")
    client.force_login(people["owner"])
    for name in ("change_role", "remove_member", "set_contact", "hand_over"):
        url = reverse(f"organizations:{name}", args=[organization.pk, elsewhere.pk])
        assert client.post(url, {"role": "manager"}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.role == "member"


# --- the member page -------------------------------------------------------------------------


def test_member_page_lists_members_roles_and_the_contact_person(english, organization, people):
    organization.contact_person = people["manager"]
    organization.save()
    english.force_login(people["member"])

    body = _body(english.get(reverse("organizations:members", args=[organization.pk])))

    for role in ("owner", "manager", "member"):
        assert people[role].email in body
    assert "Representative manager" in body
    assert "Contact person" in body
    assert timezone.localdate().strftime("%Y-%m-%d") in body
    assert "What each role may do" in body
    # A member sees but manages nothing.
    assert reverse("organizations:invite", args=[organization.pk]) not in body
    assert "Open invitations" not in body
    assert reverse("organizations:leave", args=[organization.pk]) in body


def test_managers_see_open_invitations_and_the_tools(english, organization, people):
    _invite(organization, people["owner"], email="pending@example.jp", role="manager")
    revoked = _invite(organization, people["owner"], email="gone@example.jp")
    services.invitation_revoke(invitation=revoked, by=people["owner"])
    english.force_login(people["manager"])

    body = _body(english.get(reverse("organizations:members", args=[organization.pk])))

    assert "pending@example.jp" in body
    assert "gone@example.jp" not in body
    assert reverse("organizations:invite", args=[organization.pk]) in body
    member = _membership(organization, people["member"])
    owner = _membership(organization, people["owner"])
    assert reverse("organizations:change_role", args=[organization.pk, member.pk]) in body
    assert reverse("organizations:remove_member", args=[organization.pk, member.pk]) in body
    assert reverse("organizations:remove_member", args=[organization.pk, owner.pk]) not in body
    assert reverse("organizations:change_role", args=[organization.pk, owner.pk]) not in body
    # Only the 代表管理者 (and staff) hand the role over.
    assert reverse("organizations:hand_over", args=[organization.pk, member.pk]) not in body


def test_the_owner_sees_the_hand_over_and_why_they_cannot_leave(english, organization, people):
    english.force_login(people["owner"])
    body = _body(english.get(reverse("organizations:members", args=[organization.pk])))
    member = _membership(organization, people["member"])
    assert reverse("organizations:hand_over", args=[organization.pk, member.pk]) in body
    assert "you cannot leave the organization" in body
    assert reverse("organizations:leave", args=[organization.pk]) not in body


def test_member_page_needs_the_same_queries_for_1_and_30_members(client, django_assert_num_queries):
    organization = OrganizationFactory()
    owner = MembershipFactory(organization=organization, role="owner").user
    _invite(organization, owner, email="first@example.jp")
    client.force_login(owner)
    url = reverse("organizations:members", args=[organization.pk])

    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for i in range(29):
        MembershipFactory(organization=organization, role="manager" if i % 3 else "member")
        _invite(organization, owner, email=f"more{i}@example.jp")
    assert organization.memberships.count() == 30

    with django_assert_num_queries(len(one.captured_queries)):
        response = client.get(url)
    body = _body(response)
    assert all(m.user.email in body for m in organization.memberships.select_related("user"))
    assert "more28@example.jp" in body


def test_invalid_invitation_shows_the_error_on_the_page(english, organization, people):
    english.force_login(people["manager"])
    response = english.post(
        reverse("organizations:invite", args=[organization.pk]),
        {"email": people["member"].email, "role": "member"},
    )
    assert response.status_code == 200
    assert "already a member" in _body(response)
    assert not Invitation.objects.exists()


# --- invitations -----------------------------------------------------------------------------


def test_the_invitation_email_contains_the_link(client, organization, people, run_on_commit):
    client.force_login(people["manager"])
    with run_on_commit():
        response = client.post(
            reverse("organizations:invite", args=[organization.pk]),
            {"email": "Hanako@Example.jp", "role": "manager"},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        "hanako@example.jp",
        "manager",
        people["manager"],
    )
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hanako@example.jp"]
    link = absolute_url(reverse("organizations:invitation", args=[invitation.token]))
    assert link in message.body
    assert organization.name in message.body


def test_accepting_as_the_invited_user_creates_the_membership(english, organization, people):
    invitation = _invite(organization, people["owner"], email="hanako@example.jp", role="manager")
    hanako = UserFactory(email="hanako@example.jp")
    english.force_login(hanako)
    url = reverse("organizations:invitation", args=[invitation.token])

    page = english.get(url)
    assert page.status_code == 200
    body = _body(page)
    assert organization.name in body
    assert "Manager" in body
    assert str(people["owner"]) in body
    assert "Accept the invitation" in body
    assert "Everything a manager may do" in body  # what the invited role may do

    response = english.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "organizations:members", args=[organization.pk]
    )
    assert f"Welcome to {organization.name}" in _body(response)
    assert _membership(organization, hanako).role == "manager"
    invitation.refresh_from_db()
    assert invitation.accepted_by == hanako


def test_someone_who_must_sign_up_first_can_accept(english, organization, people):
    invitation = _invite(organization, people["manager"], email="newcomer@example.jp")
    url = reverse("organizations:invitation", args=[invitation.token])

    # Not logged in: the page offers to log in or sign up, and to come back here afterwards.
    body = _body(english.get(url))
    assert f"{reverse('account_login')}?next={url}" in body
    assert f"{reverse('account_signup')}?next={url}" in body
    assert "newcomer@example.jp" in body
    assert english.post(url)["Location"].startswith(reverse("account_login"))
    assert not Membership.objects.filter(user__email="newcomer@example.jp").exists()

    # Signed up with that address (the factory verifies it, as confirming the e-mail does).
    newcomer = UserFactory(email="newcomer@example.jp")
    english.force_login(newcomer)
    assert english.post(url).status_code == 302
    assert _membership(organization, newcomer).role == "member"


def test_someone_else_cannot_accept_a_forwarded_link(english, organization, people):
    invitation = _invite(organization, people["manager"], email="right@example.jp")
    wrong = UserFactory(email="wrong@example.jp")
    english.force_login(wrong)

    response = english.post(reverse("organizations:invitation", args=[invitation.token]))

    assert response.status_code == 403
    assert "This invitation was sent to right@example.jp" in _body(response)
    assert not Membership.objects.filter(user=wrong).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_unverified_address_cannot_accept(client, organization, people):
    invitation = _invite(organization, people["manager"], email="unverified@example.jp")
    user = UserFactory(email="unverified@example.jp", verified=False)
    client.force_login(user)
    response = client.post(reverse("organizations:invitation", args=[invitation.token]))
    assert response.status_code == 403
    assert not Membership.objects.filter(user=user).exists()


def test_an_expired_invitation_is_refused(english, organization, people):
    invitation = _invite(organization, people["manager"], email="late@example.jp")
    late = UserFactory(email="late@example.jp")
    english.force_login(late)
    url = reverse("organizations:invitation", args=[invitation.token])

    with time_machine.travel(invitation.expires_at + dt.timedelta(minutes=1)):
        page = english.get(url)
        response = english.post(url)

    assert page.status_code == 410
    assert "This invitation has expired" in _body(page)
    assert response.status_code == 410
    assert not Membership.objects.filter(user=late).exists()


def test_an_invitation_is_valid_until_it_expires(client, organization, people):
    invitation = _invite(organization, people["manager"], email="ontime@example.jp")
    ontime = UserFactory(email="ontime@example.jp")
    client.force_login(ontime)
    with time_machine.travel(invitation.expires_at - dt.timedelta(minutes=1)):
        response = client.post(reverse("organizations:invitation", args=[invitation.token]))
    assert response.status_code == 302
    assert _membership(organization, ontime).role == "member"


def test_a_revoked_invitation_is_refused(english, organization, people):
    invitation = _invite(organization, people["manager"], email="revoked@example.jp")
    english.force_login(people["manager"])
    english.post(reverse("organizations:invitation_revoke", args=[organization.pk, invitation.pk]))
    invited = UserFactory(email="revoked@example.jp")
    english.force_login(invited)
    url = reverse("organizations:invitation", args=[invitation.token])

    page = english.get(url)
    response = english.post(url)

    assert page.status_code == 410
    assert "This invitation was revoked" in _body(page)
    assert response.status_code == 410
    assert not Membership.objects.filter(user=invited).exists()


def test_a_used_link_cannot_be_used_twice(english, organization, people):
    invitation = _invite(organization, people["manager"], email="once@example.jp")
    once = UserFactory(email="once@example.jp")
    english.force_login(once)
    url = reverse("organizations:invitation", args=[invitation.token])
    assert english.post(url).status_code == 302
    _membership(organization, once).delete()  # even after leaving, the link stays used

    response = english.post(url)

    assert response.status_code == 410
    assert "already used" in _body(response)
    assert not Membership.objects.filter(user=once).exists()


def test_an_unknown_token_is_not_found(english, db):
    response = english.get(reverse("organizations:invitation", args=["no-such-token"]))
    assert response.status_code == 404
    assert "Invitation not found" in _body(response)


def test_revoking_twice_says_so(english, organization, people):
    invitation = _invite(organization, people["manager"])
    english.force_login(people["manager"])
    url = reverse("organizations:invitation_revoke", args=[organization.pk, invitation.pk])
    english.post(url)
    response = english.post(url, follow=True)
    assert "already used or revoked" in _body(response)


# --- roles, removal, contact person ----------------------------------------------------------


def test_the_owners_role_cannot_be_changed(english, organization, people):
    owner = _membership(organization, people["owner"])
    english.force_login(people["manager"])
    url = reverse("organizations:change_role", args=[organization.pk, owner.pk])

    response = english.post(url, {"role": "member"}, follow=True)

    assert "Use the hand-over" in _body(response)
    assert _role(owner) == "owner"


def test_nobody_is_made_owner_by_a_role_change(client, organization, people):
    member = _membership(organization, people["member"])
    client.force_login(people["owner"])
    client.post(
        reverse("organizations:change_role", args=[organization.pk, member.pk]), {"role": "owner"}
    )
    assert _role(member) == "member"
    assert Membership.objects.filter(organization=organization, role="owner").count() == 1


def test_the_owner_cannot_be_removed(english, organization, people):
    owner = _membership(organization, people["owner"])
    english.force_login(people["manager"])
    response = english.post(
        reverse("organizations:remove_member", args=[organization.pk, owner.pk]), follow=True
    )
    assert "cannot leave" in _body(response)
    assert Membership.objects.filter(pk=owner.pk).exists()


def test_removing_the_contact_person_clears_it(client, organization, people):
    member = _membership(organization, people["member"])
    client.force_login(people["manager"])
    client.post(reverse("organizations:set_contact", args=[organization.pk, member.pk]))
    organization.refresh_from_db()
    assert organization.contact_person == people["member"]

    client.post(reverse("organizations:remove_member", args=[organization.pk, member.pk]))

    organization.refresh_from_db()
    assert organization.contact_person is None


# --- leaving ---------------------------------------------------------------------------------


def test_the_owner_cannot_leave(english, organization, people):
    english.force_login(people["owner"])
    response = english.post(reverse("organizations:leave", args=[organization.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse(
        "organizations:members", args=[organization.pk]
    )
    assert "cannot leave" in _body(response)
    assert _membership(organization, people["owner"]).role == "owner"


def test_a_member_leaves_and_stops_acting_for_the_organization(client, organization, people):
    client.force_login(people["member"])
    client.post(reverse("organizations:act_for", args=[organization.pk]))

    response = client.post(reverse("organizations:leave", args=[organization.pk]))

    assert response["Location"] == reverse("accounts:mypage")
    assert not Membership.objects.filter(organization=organization, user=people["member"]).exists()
    assert SESSION_KEY not in client.session
    members_page = reverse("organizations:members", args=[organization.pk])
    assert client.get(members_page).status_code == 404


# --- the hand-over ---------------------------------------------------------------------------


def test_hand_over_asks_for_confirmation_first(english, organization, people):
    member = _membership(organization, people["member"])
    english.force_login(people["owner"])
    url = reverse("organizations:hand_over", args=[organization.pk, member.pk])

    body = _body(english.get(url))

    assert f"{people['member']} becomes the representative manager" in body
    assert "You become a manager" in body
    assert _role(member) == "member"


def test_hand_over_makes_the_new_owner_and_demotes_the_old(english, organization, people):
    member = _membership(organization, people["member"])
    old = _membership(organization, people["owner"])
    english.force_login(people["owner"])

    response = english.post(
        reverse("organizations:hand_over", args=[organization.pk, member.pk]), follow=True
    )

    assert "is now the representative manager" in _body(response)
    assert _role(member) == "owner"
    assert _role(old) == "manager"
    owners = Membership.objects.filter(organization=organization, role="owner")
    assert list(owners.values_list("user", flat=True)) == [people["member"].pk]
    # The former owner may now leave; the new one may not.
    english.post(reverse("organizations:leave", args=[organization.pk]))
    assert not Membership.objects.filter(pk=old.pk).exists()


def test_staff_can_hand_over(client, organization, people):
    manager = _membership(organization, people["manager"])
    client.force_login(people["staff"])
    client.post(reverse("organizations:hand_over", args=[organization.pk, manager.pk]))
    assert _role(manager) == "owner"
    assert _role(_membership(organization, people["owner"])) == "manager"


def test_hand_over_to_the_owner_is_refused(english, organization, people):
    owner = _membership(organization, people["owner"])
    english.force_login(people["owner"])
    response = english.get(
        reverse("organizations:hand_over", args=[organization.pk, owner.pk]), follow=True
    )
    assert "already the representative manager" in _body(response)
    assert _role(owner) == "owner"


# --- acting for an organization --------------------------------------------------------------


def test_act_for_sets_the_session_and_goes_back(client, organization, people):
    second = OrganizationFactory()
    MembershipFactory(organization=second, user=people["member"], role="manager")
    client.force_login(people["member"])

    response = client.post(
        reverse("organizations:act_for", args=[second.pk]), {"next": "/mypage/?tab=1"}
    )

    assert response["Location"] == "/mypage/?tab=1"
    assert client.session[SESSION_KEY] == second.pk


def test_act_for_refuses_an_unsafe_next(client, organization, people):
    client.force_login(people["member"])
    response = client.post(
        reverse("organizations:act_for", args=[organization.pk]),
        {"next": "https://evil.example.com/"},
    )
    assert response["Location"] == reverse("accounts:mypage")
    assert client.session[SESSION_KEY] == organization.pk


def test_act_for_refuses_other_organizations(client, organization, people):
    client.force_login(people["outsider"])
    response = client.post(reverse("organizations:act_for", args=[organization.pk]))
    assert response.status_code == 404
    assert SESSION_KEY not in client.session


def _request(user, session=None):
    request = RequestFactory().get("/")
    request.user = user
    request.session = dict(session or {})
    return request


def test_acting_organization_is_none_without_a_membership(people):
    assert acting_organization(_request(AnonymousUser())) is None
    assert acting_organization(_request(people["stranger"])) is None


def test_acting_organization_is_the_only_one_without_a_choice(organization, people):
    assert acting_organization(_request(people["member"])) == organization


def test_acting_organization_follows_the_choice_while_it_is_valid(organization, people):
    user = people["member"]
    later = OrganizationFactory(name_kana="ンンン")  # sorts last
    MembershipFactory(organization=later, user=user)

    assert acting_organization(_request(user)) == organization  # the first one
    assert acting_organization(_request(user, {SESSION_KEY: later.pk})) == later
    assert acting_organization(_request(user, {SESSION_KEY: str(later.pk)})) == later
    # A choice naming an organization the user does not (or no longer) belong to is ignored.
    foreign = OrganizationFactory()
    assert acting_organization(_request(user, {SESSION_KEY: foreign.pk})) == organization


# --- マイページ ----------------------------------------------------------------------------------


def test_my_page_lists_the_organizations_and_the_one_acted_for(english, organization, people):
    user = people["member"]
    later = OrganizationFactory(name_kana="ンンン", status="applying", valid_until=None)
    MembershipFactory(organization=later, user=user, role="manager")
    english.force_login(user)

    body = _body(english.get(reverse("accounts:mypage")))

    assert organization.name in body and later.name in body
    assert reverse("organizations:detail", args=[later.pk]) in body
    assert "Registered" in body and "Applied" in body
    assert organization.valid_until.strftime("%Y-%m-%d") in body
    assert "Acting for this organization" in body
    assert reverse("organizations:act_for", args=[later.pk]) in body
    assert reverse("organizations:act_for", args=[organization.pk]) not in body
    assert reverse("organizations:apply") in body

    english.post(reverse("organizations:act_for", args=[later.pk]), {"next": "/mypage/"})
    body = _body(english.get(reverse("accounts:mypage")))
    assert reverse("organizations:act_for", args=[organization.pk]) in body
    assert reverse("organizations:act_for", args=[later.pk]) not in body


def test_my_page_lists_invitations_waiting_for_the_user(client, organization, run_on_commit):
    from organizations import services
    from tests.factories import MembershipFactory

    owner = MembershipFactory(organization=organization, role="owner").user
    with run_on_commit():
        invitation = services.member_invite(
            organization=organization, by=owner, email="later@example.jp", role="member"
        )
    newcomer = UserFactory(email="later@example.jp")  # signed up after the invitation
    client.force_login(newcomer)
    page = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("organizations:invitation", args=[invitation.token]) in page
    services.invitation_accept(invitation=invitation, user=newcomer)
    page = client.get(reverse("accounts:mypage")).content.decode()
    assert reverse("organizations:invitation", args=[invitation.token]) not in page
