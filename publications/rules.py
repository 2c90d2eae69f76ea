"""Permission predicates of 情報. Views and templates ask these, never is_staff."""

from django.utils import timezone

from accounts.rules import is_center_staff


def can_manage_publications(user) -> bool:
    """News, grant listings and their checks are center staff's work."""
    return is_center_staff(user)


def can_suggest_grant(user) -> bool:
    """A member (any role) of a validly registered group may suggest a grant listing."""
    if not getattr(user, "is_authenticated", False):
        return False
    today = timezone.localdate()
    return any(
        m.organization.is_valid_on(today) for m in user.memberships.select_related("organization")
    )
