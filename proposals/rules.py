"""Permission predicates of 協働事業提案. Views and templates ask these."""

from accounts.rules import is_center_staff, is_council_member, is_ward_official, rights_apply
from organizations.rules import can_manage_organization, membership_of
from proposals.enums import EDITABLE_STATUSES


def can_manage_proposals(user) -> bool:
    """Center staff run the rounds: set-up, returns, shortlist, decisions, release."""
    return is_center_staff(user)


def can_edit_proposal(user, proposal) -> bool:
    """The organization's 代表管理者 and 管理者 write and submit, while it is a draft or
    returned (the deadline is checked by the service, with a message)."""
    return proposal.status in EDITABLE_STATUSES and can_manage_organization(
        user, proposal.organization
    )


def can_be_reviewer(user) -> bool:
    """Who may be assigned to score: council members and ward officials."""
    return is_council_member(user) or is_ward_official(user)


def is_member_of_proposer(user, proposal) -> bool:
    """Members of the proposing organization are excluded from its review automatically."""
    return membership_of(user, proposal.organization) is not None


def acts_in_review(user) -> bool:
    """Rights that come from being named in a call — its chair, a reviewer's assignment, the
    所管課's official — are elevated rights like the roles: they wait for two-factor log-in
    where it is required (accounts.rules.rights_apply)."""
    return bool(getattr(user, "is_authenticated", False)) and rights_apply(user)


def is_chair(user, round_) -> bool:
    return (
        round_.chair_id is not None
        and getattr(user, "pk", None) == round_.chair_id
        and acts_in_review(user)
    )


def can_view_dashboard(user, round_) -> bool:
    """The chair of the round and staff see the scores of every proposal."""
    return is_center_staff(user) or is_chair(user, round_)


def can_give_opinion(user, proposal) -> bool:
    """The 所管課's official named on the proposal."""
    return (
        proposal.department_official_id is not None
        and getattr(user, "pk", None) == proposal.department_official_id
        and is_ward_official(user)
    )
