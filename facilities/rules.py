"""Permission predicates for bookings. Views and templates ask these, never is_staff."""

from django.utils import timezone

from accounts.rules import is_center_staff
from facilities.enums import HOLDING_STATUSES
from organizations.enums import MANAGING_ROLES
from organizations.rules import membership_of, role_in


def can_book(user, organization) -> bool:
    """A 代表管理者 or 管理者 of an organization with a valid registration, or center staff."""
    if is_center_staff(user):
        return True
    return role_in(user, organization) in MANAGING_ROLES and organization.is_valid_on(
        timezone.localdate()
    )


def can_view_booking(user, booking) -> bool:
    """Members of any role of the booking's organization, and center staff."""
    if is_center_staff(user):
        return True
    if booking.organization_id is None:  # a staff block
        return False
    return membership_of(user, booking.organization) is not None


def can_cancel_booking(user, booking) -> bool:
    """Who may press cancel: a manager of the organization (or staff) while the booking still
    holds its time. The deadline itself is checked by the service."""
    if booking.status not in HOLDING_STATUSES or booking.organization_id is None:
        return False
    return is_center_staff(user) or role_in(user, booking.organization) in MANAGING_ROLES


def may_book_for_some_organization(user) -> bool:
    """Whether the user may book for at least one organization (to offer booking links)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if is_center_staff(user):
        return True
    return any(
        m.role in MANAGING_ROLES and m.organization.is_valid_on(timezone.localdate())
        for m in user.memberships.select_related("organization")
    )
