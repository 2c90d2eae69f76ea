"""Reads of 協働事業提案, with their permission filters and prefetching built in.

The reviewer's list and the chair's dashboard each run a fixed number of queries whatever
the number of proposals and reviews (tests/proposals/test_queries.py)."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from organizations.models import Membership
from organizations.selectors import organizations_visible_to
from proposals import rules, scoring
from proposals.enums import (
    ADOPTED_STATUSES,
    DECIDED_STATUSES,
    IN_REVIEW_STATUSES,
    ProposalStatus,
    ReviewStatus,
    StageStatus,
)
from proposals.models import (
    Assignment,
    ConflictDeclaration,
    Criterion,
    DepartmentOpinion,
    Presentation,
    Proposal,
    ProposalAttachment,
    Review,
    Round,
    Stage,
)
from proposals.review_kit import KIT
from reviewing import selectors as shared

REVIEWED_STATUSES = IN_REVIEW_STATUSES | DECIDED_STATUSES
# The 事業構築シート's text fields in the order of the sheet, with their labels from the model.
SHEET_SECTIONS = (
    "issue",
    "aims",
    "outcome_target",
    "activity_indicator",
    "beneficiary_target",
    "year1_activities",
    "year1_schedule",
    "year2_activities",
    "year2_schedule",
    "role_group",
    "role_ward",
    "track_record",
)
# The proposal's long texts (the sheet's): lists of many proposals leave them in the database.
LONG_TEXTS = SHEET_SECTIONS


# --- the public and the organizations -------------------------------------------------------


def published_rounds():
    return Round.objects.filter(is_published=True).prefetch_related("themes", "stages")


def published_round(pk: int) -> Round:
    round_ = published_rounds().prefetch_related("criteria").filter(pk=pk).first()
    if round_ is None:
        raise Http404
    return round_


def rounds_open_for_proposals(today=None):
    today = today or timezone.localdate()
    return published_rounds().filter(call_opens_on__lte=today, submission_deadline__gte=today)


def released_results(round_: Round):
    """The adopted proposals of a round whose decisions are released; nothing before."""
    if not round_.decisions_released:
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(round=round_, status__in=ADOPTED_STATUSES)
        .select_related("organization", "theme", "decision")
        .order_by("number")
    )


def proposals_of_organization(organization):
    return (
        Proposal.objects.filter(organization=organization)
        .select_related("round", "theme", "decision")
        .order_by("-round__fiscal_year", "-pk")
    )


def proposals_visible_to(user):
    """Proposals of the organizations the user is a member of (any role); staff see all."""
    return Proposal.objects.filter(organization__in=organizations_visible_to(user))


def proposal_for_member(user, pk: int) -> Proposal:
    proposal = (
        proposals_visible_to(user)
        .select_related("round", "organization", "theme", "submitted_version", "decision")
        .prefetch_related("budget_lines", attachments_in_use())
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def attachments_in_use():
    return Prefetch(
        "attachments",
        queryset=ProposalAttachment.objects.filter(removed_at__isnull=True),
        to_attr="current_attachments",
    )


def budget_totals(lines) -> dict:
    """{year: {"ward": n, "group": n, "total": n}} and the grand totals under key 0."""
    totals = defaultdict(lambda: {"ward": 0, "group": 0, "total": 0})
    for line in lines:
        for year in (line.year, 0):
            totals[year][line.borne_by] += line.amount
            totals[year]["total"] += line.amount
    return {year: dict(values) for year, values in sorted(totals.items())}


def decision_visible(proposal) -> bool:
    """The organization sees the decision only once it is released (the status says so)."""
    return proposal.status in DECIDED_STATUSES


# --- reviewers ---------------------------------------------------------------------------


def stage_proposals(stage: Stage):
    """The proposals a stage reviews: in stage 1 every submitted one still in the running or
    decided; in stage 2 the shortlist."""
    proposals = Proposal.objects.filter(round_id=stage.round_id)
    if stage.number == 1:
        return proposals.filter(status__in=REVIEWED_STATUSES)
    return proposals.filter(presentations__stage=stage).exclude(status=ProposalStatus.WITHDRAWN)


def stages_for_reviewer(user):
    """The stages the user is assigned to, once staff have opened them."""
    if not rules.acts_in_review(user):
        return Stage.objects.none()
    return (
        Stage.objects.filter(assignments__reviewer=user)
        .exclude(status=StageStatus.PREPARING)
        .select_related("round")
        .order_by("-round__fiscal_year", "round", "number")
    )


def assignment_for(user, stage_pk: int) -> Assignment:
    """The user's assignment to an opened stage, or 404."""
    assignment = (
        Assignment.objects.filter(stage_id=stage_pk, reviewer=user)
        .exclude(stage__status=StageStatus.PREPARING)
        .select_related("stage__round")
        .prefetch_related("proposals")
        .first()
    )
    if assignment is None or not rules.acts_in_review(user):
        raise Http404
    return assignment


def assigned_proposals(assignment: Assignment):
    proposals = stage_proposals(assignment.stage)
    if not assignment.all_proposals:
        proposals = proposals.filter(pk__in=[p.pk for p in assignment.proposals.all()])
    return proposals


def is_assigned(assignment: Assignment, proposal: Proposal) -> bool:
    return assigned_proposals(assignment).filter(pk=proposal.pk).exists()


def _member_pairs(user_ids, organization_ids) -> set[tuple[int, int]]:
    return shared.member_pairs(user_ids, organization_ids)


@dataclass
class ReviewerRow:
    proposal: Proposal
    review: Review | None
    declaration: ConflictDeclaration | None
    is_member: bool
    presentation: Presentation | None = None

    @property
    def conflicted(self) -> bool:
        return self.is_member or bool(self.declaration and self.declaration.has_conflict)

    @property
    def declared(self) -> bool:
        return self.is_member or self.declaration is not None

    @property
    def submitted(self) -> bool:
        return self.review is not None and self.review.status == ReviewStatus.SUBMITTED


def reviewer_list(assignment: Assignment):
    """The reviewer's proposals in list order, with what a row shows (a view pages it)."""
    return (
        assigned_proposals(assignment)
        .select_related("round", "organization", "theme", "opinion")
        .defer(*LONG_TEXTS, "organization__purpose", "organization__activities")
        .order_by("number", "pk")
    )


def reviewer_counts(assignment: Assignment) -> tuple[int, int]:
    """(reviews submitted, proposals to score) over the whole list, counted in the database:
    the list itself is shown a page at a time."""
    user = assignment.reviewer
    proposals = assigned_proposals(assignment)
    submitted = Review.objects.filter(
        stage=assignment.stage,
        reviewer=user,
        status=ReviewStatus.SUBMITTED,
        proposal__in=proposals,
    ).count()
    conflicted = (
        proposals.filter(
            Q(organization__memberships__user=user)
            | Q(conflict_declarations__reviewer=user, conflict_declarations__has_conflict=True)
        )
        .values("pk")
        .distinct()
        .count()
    )
    return submitted, proposals.count() - conflicted


def reviewer_rows(assignment: Assignment, proposals=None) -> list[ReviewerRow]:
    """The reviewer's list (or the given page of it): each assigned proposal with their
    review, declaration and whether they belong to the proposer."""
    user = assignment.reviewer
    proposals = list(reviewer_list(assignment) if proposals is None else proposals)
    ids = [p.pk for p in proposals]
    reviews = {
        r.proposal_id: r
        for r in Review.objects.filter(stage=assignment.stage, reviewer=user, proposal_id__in=ids)
    }
    declarations = {
        d.proposal_id: d
        for d in ConflictDeclaration.objects.filter(reviewer=user, proposal_id__in=ids)
    }
    members = _member_pairs([user.pk], {p.organization_id for p in proposals})
    presentations = {
        p.proposal_id: p
        for p in Presentation.objects.filter(stage=assignment.stage, proposal_id__in=ids)
    }
    return [
        ReviewerRow(
            proposal=p,
            review=reviews.get(p.pk),
            declaration=declarations.get(p.pk),
            is_member=(user.pk, p.organization_id) in members,
            presentation=presentations.get(p.pk),
        )
        for p in proposals
    ]


def is_conflicted(user, proposal) -> bool:
    return shared.is_conflicted(KIT, user, proposal)


def criteria_of(round_) -> list[Criterion]:
    return shared.criteria_of(KIT, round_)


weights_of = shared.weights_of
review_total = shared.review_total


def may_see_others(user, stage: Stage, proposal: Proposal, own_review: Review | None) -> bool:
    """Others' scores of the proposal are shown only to a reviewer who has declared no
    conflict of interest (and is no member of the proposer); with the round's setting on,
    only once their own review is submitted."""
    return shared.may_see_others(KIT, user, stage, proposal, own_review)


def others_reviews(stage: Stage, proposal: Proposal, user):
    """The submitted reviews of the other reviewers without a conflict, with their scores."""
    return shared.others_reviews(KIT, stage, proposal, user)


def version_attachments(proposal: Proposal):
    """The files of the frozen version reviewers see (removed later or not)."""
    version = proposal.submitted_version
    if version is None:
        return ProposalAttachment.objects.none()
    return ProposalAttachment.objects.filter(proposal=proposal, pk__in=version.attachment_ids)


def given_opinion(proposal: Proposal) -> DepartmentOpinion | None:
    return DepartmentOpinion.objects.filter(proposal=proposal, submitted_at__isnull=False).first()


def opinions_to_give(user):
    """Proposals whose department opinion this ward official is to write."""
    if not rules.acts_in_review(user):
        return Proposal.objects.none()
    return (
        Proposal.objects.filter(department_official=user, status__in=REVIEWED_STATUSES)
        .select_related("round", "organization", "opinion")
        .order_by("-round__fiscal_year", "number")
    )


# --- the chair's and staff's dashboard ------------------------------------------------------


def stage_results(stage: Stage, viewer) -> list[scoring.ProposalResult]:
    """Every proposal of the stage with the totals of its reviews, ranked (the shared
    reviewing.selectors.stage_results, with each proposal's presentation slot).

    A row is ``hidden`` for a viewer who has a conflict with the proposal, or, with the
    round's setting on, is assigned to it and has not submitted their own review (staff see
    everything)."""
    proposals = (
        stage_proposals(stage)
        .select_related("round", "organization", "theme")
        # The rows show the reference, title and group: not the proposal's long texts.
        .defer(*LONG_TEXTS, "organization__purpose", "organization__activities")
        .order_by("number", "pk")
    )
    presentations = {p.proposal_id: p for p in Presentation.objects.filter(stage=stage)}
    return shared.stage_results(
        KIT,
        stage,
        proposals,
        viewer,
        make_result=lambda proposal: scoring.ProposalResult(
            proposal=proposal, presentation=presentations.get(proposal.pk)
        ),
    )


def round_declared(round_: Round):
    """Every conflict declaration of the round, by proposal number: what the chair is shown,
    a page at a time (a call of 500 proposals has thousands)."""
    return (
        ConflictDeclaration.objects.filter(proposal__round=round_)
        .select_related("proposal", "reviewer")
        .order_by("proposal__number", "reviewer__family_name_kana", "pk")
    )


def declaration_row(declaration) -> dict:
    return {
        "proposal": declaration.proposal,
        "reviewer": declaration.reviewer,
        "has_conflict": declaration.has_conflict,
        "note": declaration.note,
        "declared_at": declaration.declared_at,
        "automatic": False,
    }


def round_automatic_exclusions(round_: Round) -> list[dict]:
    """The automatic exclusions of reviewers who are members of a proposing organization
    (as many as the reviewers' own groups have proposals: a few rows)."""
    rows = []
    assignments = Assignment.objects.filter(stage__round=round_).select_related("reviewer")
    reviewers = {a.reviewer_id: a.reviewer for a in assignments}
    pairs = set(
        Membership.objects.filter(user_id__in=reviewers).values_list("user_id", "organization_id")
    )
    proposals = Proposal.objects.filter(
        round=round_,
        status__in=REVIEWED_STATUSES,
        organization_id__in={organization_id for _, organization_id in pairs},
    ).only("pk", "number", "title", "organization_id", "round_id")
    by_org = defaultdict(list)
    for proposal in proposals:
        by_org[proposal.organization_id].append(proposal)
    for user_id, organization_id in pairs:
        for proposal in by_org[organization_id]:
            rows.append(
                {
                    "proposal": proposal,
                    "reviewer": reviewers[user_id],
                    "has_conflict": True,
                    "note": "",
                    "declared_at": None,
                    "automatic": True,
                }
            )
    return sorted(rows, key=lambda r: (r["proposal"].number or 0, r["reviewer"].pk))


def dashboard_stage(user, stage_pk: int) -> Stage:
    """A stage whose dashboard the user may see (chair of its round, or staff), or 404."""
    stage = Stage.objects.select_related("round").filter(pk=stage_pk).first()
    if stage is None:
        raise Http404
    from proposals.rules import can_view_dashboard

    if not can_view_dashboard(user, stage.round):
        raise Http404
    return stage


def chaired_rounds(user):
    if not rules.acts_in_review(user):
        return Round.objects.none()
    return Round.objects.filter(chair=user).prefetch_related("stages")


def round_proposals_for_staff(round_: Round):
    return (
        Proposal.objects.filter(round=round_)
        .select_related("organization", "theme", "decision", "opinion", "department_official")
        .order_by("number", "pk")
    )


# --- the frozen version, ready to show ---------------------------------------------------------


def version_view(version, *, attachment_url=None) -> dict:
    """A frozen ProposalVersion as the templates (pages and PDFs) show it: labels in the
    reader's language, the budget by year with totals. ``attachment_url(id)`` gives each
    file's link for the viewer (None: no links, as in a PDF)."""
    from proposals.enums import BorneBy, BudgetCategory, CollaborationForm, ProposalKind
    from proposals.models import BudgetLine

    data = version.data
    categories, borne = dict(BudgetCategory.choices), dict(BorneBy.choices)
    lines = [
        {
            **line,
            "category_label": categories.get(line["category"], line["category"]),
            "borne_by_label": borne.get(line["borne_by"], line["borne_by"]),
        }
        for line in data.get("budget", [])
    ]
    totals = budget_totals(
        BudgetLine(**{k: line[k] for k in ("year", "amount", "borne_by")}) for line in lines
    )
    return {
        "version": version,
        "title": data.get("title", ""),
        "kind_label": dict(ProposalKind.choices).get(data.get("kind"), ""),
        "theme": data.get("theme", ""),
        "collaboration_form_label": dict(CollaborationForm.choices).get(
            data.get("collaboration_form"), ""
        ),
        "organization": data.get("organization", {}),
        "sections": [
            (Proposal._meta.get_field(name).verbose_name, data.get(name, ""))
            for name in SHEET_SECTIONS
        ],
        "budget_years": [
            {
                "year": year,
                "lines": [line for line in lines if line["year"] == year],
                "totals": totals.get(year, {"ward": 0, "group": 0, "total": 0}),
            }
            for year in (1, 2)
        ],
        "budget_total": totals.get(0, {"ward": 0, "group": 0, "total": 0}),
        "attachments": [
            {**a, "url": attachment_url(a["id"]) if attachment_url else ""}
            for a in data.get("attachments", [])
        ],
    }


def adopted_proposals(*, fiscal_year: int | None = None):
    """Every adopted proposal whose call is published and whose decisions are released — what
    the calls' results pages show, across calls (the public API)."""
    proposals = Proposal.objects.filter(
        round__is_published=True,
        round__decisions_released_at__isnull=False,
        status__in=ADOPTED_STATUSES,
    )
    if fiscal_year is not None:
        proposals = proposals.filter(round__fiscal_year=fiscal_year)
    return proposals.select_related("round", "organization", "theme").order_by(
        "-round__fiscal_year", "round_id", "number"
    )
