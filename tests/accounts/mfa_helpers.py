"""Two-factor log-in as a person does it: a TOTP authenticator with a known secret, and the
allauth log-in (password, then the code) or re-authentication that records it in the session."""

import time

from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value
from django.urls import reverse

from tests.factories import PASSWORD


def give_totp(user) -> str:
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, step: int = 0) -> str:
    # allauth accepts the codes of the neighbouring periods too; each code is good only once,
    # so a second use in a test takes the next period's (step=1).
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def log_in_with_totp(client, user, secret: str) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response["Location"] == reverse("mfa_authenticate"), response["Location"]
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.content[:500]
    assert response["Location"] != reverse("mfa_authenticate")
