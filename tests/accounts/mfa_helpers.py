"""Two-factor log-in as a person does it: a TOTP authenticator with a known secret, and the
allauth log-in (password, then the code) or re-authentication that records it in the session."""

import time

import time_machine
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from tests.factories import PASSWORD


def give_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def _still_clock():
    # allauth accepts only the code of the current 30-second period: the code is made and
    # checked at one instant, so a test never straddles two periods.
    return time_machine.travel(time.time(), tick=False)


def log_in_with_totp(client, user, secret: str) -> None:
    with _still_clock():
        response = client.post(
            reverse("account_login"), {"login": user.email, "password": PASSWORD}
        )
        assert response["Location"] == reverse("mfa_authenticate"), response["Location"]
        response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] != reverse("mfa_authenticate")


def confirm_with_totp(client, url: str, secret: str):
    """Post the current code to allauth's two-factor re-authentication at ``url``."""
    with _still_clock():
        return client.post(url, {"code": totp_code(secret)})
