"""Two-factor log-in on /review/: ward officials (accounts) and, from this pillar, the chair
of a call's review, who sees every score."""

from django.urls import reverse

from accounts.rules import must_use_mfa
from tests.factories import CouncilMemberFactory, RoundFactory


def test_the_chair_of_a_review_must_use_two_factor_log_in(client, settings, db):
    settings.KYODO_REQUIRE_MFA_FOR_STAFF = True
    chair, member = CouncilMemberFactory(), CouncilMemberFactory()
    RoundFactory(chair=chair)
    assert must_use_mfa(chair)
    assert not must_use_mfa(member)
    client.force_login(chair)
    response = client.get(reverse("proposals_review:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    client.force_login(member)
    assert client.get(reverse("proposals_review:home")).status_code == 200  # no 2FA redirect
