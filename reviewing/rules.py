"""Permission predicates and conflict rules of the shared review machinery."""

from accounts.rules import is_center_staff, is_council_member, is_ward_official, rights_apply
from organizations.rules import membership_of


def acts_in_review(user) -> bool:
    """Rights that come from being named in a review — its chair, a reviewer's assignment, the
    official who gives an opinion — are elevated rights like the roles: they wait for
    two-factor log-in where it is required (accounts.rules.rights_apply)."""
    return bool(getattr(user, "is_authenticated", False)) and rights_apply(user)


def can_be_reviewer(user) -> bool:
    """Who may be assigned to score: council members and ward officials."""
    return is_council_member(user) or is_ward_official(user)


def can_manage_review(user) -> bool:
    """Center staff open and close stages and record late conflicts."""
    return is_center_staff(user)


def is_chair(user, container) -> bool:
    """The chair named on the call or programme, with their rights in force."""
    chair_id = getattr(container, "chair_id", None)
    return chair_id is not None and getattr(user, "pk", None) == chair_id and acts_in_review(user)


def is_member_of_applicant(user, subject, *, organization_field: str = "organization") -> bool:
    """Members of the applying organization are excluded from its review automatically."""
    return membership_of(user, getattr(subject, organization_field)) is not None


def is_excluded(*, is_member: bool, declared_conflict: bool) -> bool:
    """A reviewer is out of a subject's review — scores nothing, counts in nothing, sees no
    other scores — when they belong to the applicant or declared a conflict."""
    return is_member or declared_conflict


def declaration_change_allowed(*, had_conflict: bool | None, has_conflict: bool) -> bool:
    """A first declaration may say either; "none" may become a conflict; a declared conflict
    is final (None: nothing declared yet)."""
    return not (had_conflict and not has_conflict)
