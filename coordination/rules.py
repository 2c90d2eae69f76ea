"""Permission predicates of the board. Views and templates ask these, never is_staff."""

from django.utils import timezone

from accounts.rules import is_center_staff, is_ward_official
from coordination.enums import EDITABLE_STATUSES, RENEWABLE_STATUSES, PosterKind, PostStatus
from organizations.enums import MANAGING_ROLES
from organizations.rules import role_in


def can_moderate(user) -> bool:
    return is_center_staff(user)


def can_post_for(user, organization) -> bool:
    """A 代表管理者 or 管理者 of an organization with a valid registration."""
    return role_in(user, organization) in MANAGING_ROLES and organization.is_valid_on(
        timezone.localdate()
    )


def can_post_as_ward(user) -> bool:
    return is_ward_official(user)


def is_poster(user, post) -> bool:
    """Who answers for the post: the organization's managers, or the ward official who wrote
    it."""
    if post.poster_kind == PosterKind.WARD:
        return post.created_by_id == getattr(user, "pk", None) and is_ward_official(user)
    return role_in(user, post.organization) in MANAGING_ROLES


def can_edit_post(user, post) -> bool:
    return post.status in EDITABLE_STATUSES and is_poster(user, post)


def can_renew_post(user, post) -> bool:
    return post.status in RENEWABLE_STATUSES and is_poster(user, post)


def can_withdraw_post(user, post) -> bool:
    return post.status not in (PostStatus.REFUSED, PostStatus.WITHDRAWN) and is_poster(user, post)


def can_express_interest(user, post, organization) -> bool:
    """Someone other than the poster: a manager of a valid organization (``organization``, the
    one they act for) or a ward official, on a published post."""
    if post.status != PostStatus.PUBLISHED or is_poster(user, post):
        return False
    if organization is not None and can_post_for(user, organization):
        return organization.pk != post.organization_id
    return is_ward_official(user)


# --- the council ---------------------------------------------------------------------------


def can_see_council_pages(user) -> bool:
    """The members-only pages: council members (their role, with two-factor where required)
    and center staff."""
    from accounts.rules import is_council_member

    return is_council_member(user) or is_center_staff(user)


def can_manage_council(user) -> bool:
    return is_center_staff(user)


def material_is_public(material) -> bool:
    return material.is_public and material.meeting.is_public


def can_read_material(user, material) -> bool:
    """A public material of a listed meeting: anyone; every other one: members and staff."""
    return material_is_public(material) or can_see_council_pages(user)


def can_comment_minutes(user, minutes) -> bool:
    from accounts.rules import is_council_member

    return minutes.status == "in_review" and is_council_member(user)
