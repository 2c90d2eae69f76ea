"""Permission predicates of 社会貢献活動事業補助金. Views and templates ask these."""

from accounts.rules import is_center_staff
from organizations.rules import can_manage_organization, can_view_organization
from subsidies.enums import EDITABLE_STATUSES


def can_manage_subsidies(user) -> bool:
    """Center staff run the programme: set-up, decisions, reports, payments."""
    return is_center_staff(user)


def can_view_application(user, application) -> bool:
    """Members of the applying organization (any role) and staff."""
    return can_view_organization(user, application.organization)


def can_act_for_application(user, application) -> bool:
    """The organization's 代表管理者 and 管理者 (and staff) submit and withdraw."""
    return can_manage_organization(user, application.organization)


def can_edit_application(user, application) -> bool:
    """…and write it while it is a draft (the deadline is the service's, with a message)."""
    return application.status in EDITABLE_STATUSES and can_act_for_application(user, application)
