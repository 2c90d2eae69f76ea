"""Permission predicates for events. Views and templates ask these, never is_staff."""

from accounts.rules import is_center_staff


def can_manage_events(user) -> bool:
    """Center staff (with two-factor log-in where required) run the catalogue."""
    return is_center_staff(user)
