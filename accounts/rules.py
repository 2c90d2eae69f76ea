"""Permission predicates about people and roles; every view and template asks these."""

from accounts.roles import Role


def has_role(user, role: Role) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # The role names are read once per request and kept on the user object.
    names = getattr(user, "_kyodo_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._kyodo_role_names = names
    return role.value in names


def is_center_staff(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active) or has_role(
        user, Role.CENTER_STAFF
    )


def is_center_manager(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active) or has_role(
        user, Role.CENTER_MANAGER
    )


def is_ward_official(user) -> bool:
    return has_role(user, Role.WARD_OFFICIAL)


def is_council_member(user) -> bool:
    return has_role(user, Role.COUNCIL_MEMBER)


# Further people a pillar requires two-factor log-in of (e.g. the chair of a proposals
# review, who sees every score): predicates registered from the pillar's AppConfig.ready().
_mfa_requirements: list = []


def register_mfa_requirement(check) -> None:
    _mfa_requirements.append(check)


def must_use_mfa(user) -> bool:
    """Staff and ward officials — and whoever a pillar names — must have two-factor log-in
    (when the setting is on)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if bool(user.is_staff) or is_center_staff(user) or is_ward_official(user):
        return True
    return any(check(user) for check in _mfa_requirements)


def has_mfa(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
