"""Permission predicates for organizations. Views and templates ask these, never is_staff."""

from accounts.rules import is_center_staff
from organizations.enums import MANAGING_ROLES, MemberRole


def membership_of(user, organization):
    """The user's Membership in the organization, or None (cached per request on the user)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    cache = getattr(user, "_kyodo_memberships", None)
    if cache is None:
        cache = {m.organization_id: m for m in user.memberships.all()}
        user._kyodo_memberships = cache
    return cache.get(organization.pk)


def role_in(user, organization) -> str | None:
    membership = membership_of(user, organization)
    return membership.role if membership else None


def can_view_organization(user, organization) -> bool:
    """Members of any role and staff see the organization's private pages and files."""
    return is_center_staff(user) or membership_of(user, organization) is not None


def can_manage_organization(user, organization) -> bool:
    """代表管理者 and 管理者 edit the profile, upload documents, book and apply."""
    return is_center_staff(user) or role_in(user, organization) in MANAGING_ROLES


def can_manage_members(user, organization) -> bool:
    return role_in(user, organization) in MANAGING_ROLES or is_center_staff(user)


def can_hand_over(user, organization) -> bool:
    """Only the 代表管理者 hands the role over (staff may too, e.g. when the owner left)."""
    return role_in(user, organization) == MemberRole.OWNER or is_center_staff(user)


def can_review_registrations(user) -> bool:
    return is_center_staff(user)
