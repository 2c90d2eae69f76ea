from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from organizations.selectors import organizations_visible_to


def organization_or_404(request, pk, predicate=None):
    """The organization if the user may see it (member or staff): an outsider gets 404 and
    learns nothing, not even that it exists. A member whose role does not allow what
    ``predicate`` checks gets 403 (they know the organization; they are told no)."""
    organization = get_object_or_404(organizations_visible_to(request.user), pk=pk)
    if predicate is not None and not predicate(request.user, organization):
        raise PermissionDenied
    return organization
