"""Which organization a person acts for.

A person can belong to several organizations; the one they chose ("act for") is kept in the
session, and later pillars ask ``acting_organization(request)`` to book or apply for the right
one. The session only holds an id: it is checked against the user's memberships on every read,
so leaving an organization (or being removed) never lets anyone keep acting for it.
"""

from organizations.selectors import request_memberships

SESSION_KEY = "acting_organization_id"


def set_acting_organization(request, organization) -> None:
    """Remember the choice. The caller has checked that the user is a member."""
    request.session[SESSION_KEY] = organization.pk


def forget_acting_organization(request, organization) -> None:
    """Drop the choice if it names ``organization`` (e.g. after leaving it)."""
    if _same_id(request.session.get(SESSION_KEY), organization.pk):
        del request.session[SESSION_KEY]


def acting_organization(request):
    """The organization the user acts for: the session's choice while it still names one of the
    user's memberships, else their only (or first) organization, else None."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    memberships = request_memberships(request)
    chosen = request.session.get(SESSION_KEY)
    for membership in memberships:
        if _same_id(chosen, membership.organization_id):
            return membership.organization
    return memberships[0].organization if memberships else None


def _same_id(value, pk) -> bool:
    # Session values may come back as strings depending on the serializer; compare as text.
    return value is not None and str(value) == str(pk)
