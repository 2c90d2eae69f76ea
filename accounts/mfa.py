"""Whether this session passed a second factor, told to the permission predicates.

allauth records every authentication step of a session (``get_authentication_records``): a
log-in with a TOTP code or a recovery code, or a re-authentication with one, adds a record of
method "mfa". The request's user is marked with the answer (accounts.rules.SESSION_MFA_ATTR),
which ``accounts.rules.rights_apply`` reads, so the predicates need no request.
"""

from allauth.account.authentication import get_authentication_records
from django.contrib.auth.middleware import get_user
from django.utils.functional import SimpleLazyObject

from accounts.rules import SESSION_MFA_ATTR


def session_passed_mfa(request, user) -> bool:
    return any(
        record.get("method") == "mfa" for record in get_authentication_records(request, user)
    )


def mark_user(request, user):
    if getattr(user, "is_authenticated", False):
        setattr(user, SESSION_MFA_ATTR, session_passed_mfa(request, user))
    return user


def bind_session_state(request) -> None:
    """Make request.user carry this session's two-factor state, read when the user is first
    used (as AuthenticationMiddleware's lazy user: no query for requests that never ask)."""
    request.user = SimpleLazyObject(lambda: mark_user(request, get_user(request)))


def on_user_logged_in(sender, request, user, **kwargs):
    # django.contrib.auth.login() puts a fresh user object on the request: mark it too.
    if request is not None:
        mark_user(request, user)


def on_authenticator_added(sender, request, user, authenticator, **kwargs):
    """Setting up TOTP proves the code of the new factor; it counts as this session's second
    factor, so a person sent to set it up goes on without logging in again. (Someone holding
    only the password could set up their own factor and log in again with it all the same.)"""
    from allauth.account.internal.flows.login import record_authentication
    from allauth.mfa.models import Authenticator

    if request is None or authenticator.type not in (
        Authenticator.Type.TOTP,
        Authenticator.Type.WEBAUTHN,
    ):
        return
    record_authentication(
        request, user, "mfa", id=authenticator.pk, type=authenticator.type, enrolled=True
    )
    mark_user(request, request.user)
