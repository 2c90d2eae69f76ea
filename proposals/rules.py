"""Permission predicates of 協働事業提案. Views and templates ask these. The review's own
predicates (acting in a review, who may be a reviewer, the chair, the automatic exclusion of
the applicant's members) are the shared machinery's (reviewing/rules.py), named here too."""

from accounts.rules import is_center_staff, is_ward_official
from organizations.rules import can_manage_organization
from proposals.enums import EDITABLE_STATUSES
from reviewing.rules import acts_in_review, can_be_reviewer, is_member_of_applicant
from reviewing.rules import is_chair as _is_chair

__all__ = [
    "acts_in_review",
    "can_be_reviewer",
    "can_edit_proposal",
    "can_give_opinion",
    "can_manage_proposals",
    "can_view_dashboard",
    "is_chair",
    "is_member_of_proposer",
]


def can_manage_proposals(user) -> bool:
    """Center staff run the rounds: set-up, returns, shortlist, decisions, release."""
    return is_center_staff(user)


def can_edit_proposal(user, proposal) -> bool:
    """The organization's 代表管理者 and 管理者 write and submit, while it is a draft or
    returned (the deadline is checked by the service, with a message)."""
    return proposal.status in EDITABLE_STATUSES and can_manage_organization(
        user, proposal.organization
    )


def is_member_of_proposer(user, proposal) -> bool:
    """Members of the proposing organization are excluded from its review automatically."""
    return is_member_of_applicant(user, proposal)


def is_chair(user, round_) -> bool:
    return _is_chair(user, round_)


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
