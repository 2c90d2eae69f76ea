"""What a signed-in person who may not book for any group sees instead of a bare 403: why
(no group, not a manager of it, or its registration not valid today) and what to do about it
(register a group, ask to be invited, ask a manager, renew)."""

from django.shortcuts import render
from django.utils import timezone

from organizations.enums import MANAGING_ROLES
from organizations.selectors import memberships_of


def needs_group(request):
    """403 with the way to a group that may book: each of the user's memberships with the
    reason it does not let them book, and the links to register or join one."""
    today = timezone.localdate()
    rows = [
        {
            "organization": membership.organization,
            "role": membership.get_role_display(),
            "is_manager": membership.role in MANAGING_ROLES,
            "is_valid": membership.organization.is_valid_on(today),
        }
        for membership in memberships_of(request.user)
    ]
    return render(request, "facilities/needs_group.html", {"memberships": rows}, status=403)
