"""How 協働事業提案 plugs into the shared review machinery (reviewing/): its concrete models,
the names of its relations, the messages worded for a proposal, and the rules only the
proposals pillar knows (which proposals a stage holds, which are in review)."""

from django.utils.translation import gettext_lazy as _

from proposals.enums import IN_REVIEW_STATUSES
from proposals.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    Proposal,
    Review,
    ReviewEvent,
    Score,
    Stage,
    StageEvent,
)
from proposals.services import ProposalError
from reviewing.kit import ReviewKit, ReviewTexts


def _is_assigned(assignment, proposal) -> bool:
    from proposals.selectors import is_assigned

    return is_assigned(assignment, proposal)


def _in_review(proposal) -> bool:
    return proposal.status in IN_REVIEW_STATUSES


def _review_fields(proposal) -> dict:
    # The version the reviewer scored: a later version sends the review back to draft.
    return {"version_id": proposal.submitted_version_id}


KIT = ReviewKit(
    subject_model=Proposal,
    criterion_model=Criterion,
    stage_model=Stage,
    stage_event_model=StageEvent,
    assignment_model=Assignment,
    declaration_model=ConflictDeclaration,
    review_model=Review,
    review_event_model=ReviewEvent,
    score_model=Score,
    subject_field="proposal",
    container_field="round",
    assignment_all_field="all_proposals",
    assignment_subjects_field="proposals",
    is_assigned=_is_assigned,
    subject_in_review=_in_review,
    review_fields=_review_fields,
    error=ProposalError,
    texts=ReviewTexts(
        not_assigned=_("You are not assigned to review this proposal."),
        applicant_member=_(
            "You are a member of the proposing organization and are excluded from its review."
        ),
        released=_("The decisions of this call have been released."),
        no_criteria=_("The call has no criteria yet."),
        not_in_review=_("This proposal is not in review."),
        only_panel_recorded=_("Only the call's reviewers and its chair can be recorded."),
        new_version=_("A new version of the proposal was submitted."),
    ),
)
