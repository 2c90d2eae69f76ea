"""Permission predicates about people and roles; every view and template asks these.

A role is a group the person holds (``holds_role``). Whether it counts in this request is a
second question, answered in one place, ``rights_apply``: a person who must use two-factor
log-in (KYODO_REQUIRE_MFA_FOR_STAFF) and has not done so in this session holds no elevated
right anywhere — staff, ward official, council member, chair, superuser. Every role predicate
here goes through it, and so does every predicate built on them, so none can forget it.
"""

from django.conf import settings

from accounts.roles import Role

# Set on the request's user by accounts.mfa.bind_session_state: whether this session passed a
# second factor. A user object read outside a request (a task, the subject of a check such as
# "is the official named here a ward official") carries none; its rights are its roles.
SESSION_MFA_ATTR = "_kyodo_session_mfa"


def holds_role(user, role: Role) -> bool:
    """The person holds the role (a group), whatever this session did. For decisions about
    someone other than the one asking, and for saying which roles a person has."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    # The role names are read once per request and kept on the user object.
    names = getattr(user, "_kyodo_role_names", None)
    if names is None:
        names = set(user.groups.values_list("name", flat=True))
        user._kyodo_role_names = names
    return role.value in names


def _holds_superuser(user) -> bool:
    return bool(getattr(user, "is_superuser", False) and user.is_active)


# Further people a pillar requires two-factor log-in of (e.g. the chair of a proposals
# review, who sees every score): predicates registered from the pillar's AppConfig.ready().
# They must ask about what the person holds (holds_role, rows naming them), not rights_apply.
_mfa_requirements: list = []


def register_mfa_requirement(check) -> None:
    _mfa_requirements.append(check)


def must_use_mfa(user) -> bool:
    """Staff and ward officials — and whoever a pillar names — must use two-factor log-in
    (when the setting is on)."""
    if not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_kyodo_must_use_mfa", None)
    if cached is None:
        cached = (
            bool(user.is_staff)
            or _holds_superuser(user)
            or holds_role(user, Role.CENTER_STAFF)
            or holds_role(user, Role.CENTER_MANAGER)
            or holds_role(user, Role.WARD_OFFICIAL)
            or any(check(user) for check in _mfa_requirements)
        )
        user._kyodo_must_use_mfa = cached
    return cached


def rights_apply(user) -> bool:
    """Whether the person's elevated rights count in this request: not while someone who must
    use two-factor log-in has not used it in this session. Every predicate that grants more
    than an ordinary member has asks this (through has_role, or directly for rights that come
    from rows naming the person, such as a call's chair or a reviewer's assignment)."""
    if not getattr(settings, "KYODO_REQUIRE_MFA_FOR_STAFF", False):
        return True
    passed = getattr(user, SESSION_MFA_ATTR, None)
    if passed is None or passed:
        return True
    return not must_use_mfa(user)


def has_role(user, role: Role) -> bool:
    """The person holds the role and it counts in this request (rights_apply)."""
    return holds_role(user, role) and rights_apply(user)


def is_superuser(user) -> bool:
    return _holds_superuser(user) and rights_apply(user)


def is_center_staff(user) -> bool:
    return is_superuser(user) or has_role(user, Role.CENTER_STAFF)


def is_center_manager(user) -> bool:
    return is_superuser(user) or has_role(user, Role.CENTER_MANAGER)


def is_ward_official(user) -> bool:
    return has_role(user, Role.WARD_OFFICIAL)


def is_council_member(user) -> bool:
    return has_role(user, Role.COUNCIL_MEMBER)


def can_use_backoffice(user) -> bool:
    """The admin: its is_staff flag, and only while the person's rights apply."""
    return bool(getattr(user, "is_active", False) and user.is_staff) and rights_apply(user)


def has_mfa(user) -> bool:
    """The person has set up a second factor (whether or not this session used it)."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
