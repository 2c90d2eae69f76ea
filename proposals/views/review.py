"""The reviewers' pages: what one has to review, a stage's list, the score sheet (with the
conflict-of-interest declaration first), the running total, the files of the frozen version,
and the 所管課's opinion.

Only a reviewer assigned to an opened stage reaches its pages, and only for the proposals
assigned to them; everyone else gets 404. A reviewer with a conflict of interest reads the
proposal but never gets a score sheet nor anyone else's scores; others' scores are shown only
after the reviewer has declared no conflict (selectors.may_see_others).
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kyodo.actions import run_service
from kyodo.downloads import file_download
from kyodo.exceptions import DomainError
from proposals import reviews, rules, scoring, selectors, services
from proposals.enums import IN_REVIEW_STATUSES, ReviewStatus, StageStatus
from proposals.forms_review import DeclarationForm, OpinionForm, ScoreForm
from proposals.models import (
    Assignment,
    ConflictDeclaration,
    DepartmentOpinion,
    Proposal,
    Review,
    Stage,
)

# --- the reviewer's overview and a stage's list -------------------------------------------------

PAGE_SIZE = 50


@login_required
def home(request):
    user = request.user
    stages = list(selectors.stages_for_reviewer(user))
    opinions = list(selectors.opinions_to_give(user))
    chaired = list(selectors.chaired_rounds(user))
    if not (stages or opinions or chaired) and not rules.can_be_reviewer(user):
        raise Http404
    return render(
        request,
        "proposals/review_home.html",
        {"stages": stages, "opinions": opinions, "chaired": chaired},
    )


@login_required
def stage(request, pk):
    assignment = selectors.assignment_for(request.user, pk)
    assignment.reviewer = request.user  # the same person: saves reading it again
    # A call can have hundreds of proposals: the list is paged, its counts come from SQL.
    page = Paginator(selectors.reviewer_list(assignment), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    submitted_count, to_score_count = selectors.reviewer_counts(assignment)
    return render(
        request,
        "proposals/review_stage.html",
        {
            "stage": assignment.stage,
            "round": assignment.stage.round,
            "rows": selectors.reviewer_rows(assignment, proposals=page.object_list),
            "page_obj": page,
            "submitted_count": submitted_count,
            "to_score_count": to_score_count,
        },
    )


# --- one proposal: declaration, score sheet, others' reviews ----------------------------------


@dataclass
class Sheet:
    """Where one reviewer stands with one proposal in one stage."""

    stage: Stage
    proposal: Proposal
    reviewer: object
    is_member: bool
    declaration: ConflictDeclaration | None
    review: Review | None
    criteria: list

    @property
    def round(self):
        return self.stage.round

    @property
    def conflicted(self) -> bool:
        return self.is_member or bool(self.declaration and self.declaration.has_conflict)

    @property
    def declared(self) -> bool:
        return self.is_member or self.declaration is not None

    @property
    def submitted(self) -> bool:
        return self.review is not None and self.review.status == ReviewStatus.SUBMITTED

    @property
    def of_older_version(self) -> bool:
        """The review scored an earlier version than the one submitted now (the proposal was
        returned and submitted again: reviews.reviews_reopen_for_new_version)."""
        return (
            self.review is not None
            and self.review.version_id is not None
            and self.review.version_id != self.proposal.submitted_version_id
        )

    @property
    def stage_open(self) -> bool:
        return self.stage.is_open

    @property
    def editable(self) -> bool:
        return self.stage_open and self.declared and not self.conflicted and not self.submitted

    @property
    def weights(self) -> dict:
        return selectors.weights_of(self.criteria)

    def running_total(self, points: dict) -> object:
        return scoring.rounded(scoring.running_total(points, self.weights, self.round.max_points))

    def saved_points(self) -> dict:
        if self.review is None:
            return {}
        return {s.criterion_id: s.points for s in self.review.scores.all()}

    def score_form(self, data=None) -> ScoreForm:
        return ScoreForm(
            data,
            criteria=self.criteria,
            max_points=self.round.max_points,
            review=self.review,
        )


def _sheet(request, pk, proposal_pk) -> Sheet:
    """The user's sheet for a proposal assigned to them in an opened stage, or 404."""
    assignment = selectors.assignment_for(request.user, pk)
    proposal = (
        selectors.assigned_proposals(assignment)
        .select_related("round", "organization", "theme", "submitted_version")
        .filter(pk=proposal_pk)
        .first()
    )
    if proposal is None:
        raise Http404
    return _sheet_for(assignment.stage, proposal, request.user)


def _sheet_for(stage, proposal, user) -> Sheet:
    review = (
        Review.objects.filter(stage=stage, proposal=proposal, reviewer=user)
        .select_related("version")
        .prefetch_related("scores")
        .first()
    )
    return Sheet(
        stage=stage,
        proposal=proposal,
        reviewer=user,
        is_member=rules.is_member_of_proposer(user, proposal),
        declaration=ConflictDeclaration.objects.filter(proposal=proposal, reviewer=user).first(),
        review=review,
        criteria=selectors.criteria_of(stage.round),
    )


def _score_url(sheet: Sheet) -> str:
    return reverse("proposals_review:score", args=[sheet.stage.pk, sheet.proposal.pk])


def _attachment_url(stage, proposal):
    def url(attachment_id):
        return reverse("proposals_review:attachment", args=[stage.pk, proposal.pk, attachment_id])

    return url


def _version_view(stage, proposal):
    if proposal.submitted_version is None:
        raise Http404
    return selectors.version_view(
        proposal.submitted_version,
        attachment_url=_attachment_url(stage, proposal) if stage is not None else None,
    )


def _others(sheet: Sheet) -> list[dict]:
    """The other reviewers' submitted sheets, each score in the order of the criteria."""
    rows = []
    for review in selectors.others_reviews(sheet.stage, sheet.proposal, sheet.reviewer):
        by_criterion = {s.criterion_id: s for s in review.scores.all()}
        rows.append(
            {
                "review": review,
                "reviewer": review.reviewer,
                "scores": [(c, by_criterion.get(c.pk)) for c in sheet.criteria],
                "total": scoring.rounded(
                    selectors.review_total(review, sheet.criteria, sheet.round.max_points)
                ),
            }
        )
    return rows


def _hidden_reason(sheet: Sheet) -> str:
    if sheet.conflicted:
        return _(
            "You have a conflict of interest with this proposal, so other reviewers' scores "
            "are not shown to you."
        )
    if not sheet.declared:
        if not sheet.stage_open:
            return _(
                "You did not declare whether you have a conflict of interest with this "
                "proposal, so other reviewers' scores are not shown to you."
            )
        return _(
            "Other reviewers' scores are shown only after you have declared that you have no "
            "conflict of interest with this proposal (above)."
        )
    return _("Other reviewers' scores are shown once you have submitted your own review.")


def _render_score(request, sheet: Sheet, *, form=None):
    own_scores = []
    if sheet.review is not None:
        by_criterion = {s.criterion_id: s for s in sheet.review.scores.all()}
        own_scores = [(c, by_criterion.get(c.pk)) for c in sheet.criteria]
    if form is None and sheet.editable:
        form = sheet.score_form()
    points = form.points() if form is not None and form.is_bound else sheet.saved_points()
    # Nothing of the others before the reviewer has declared "no conflict"; the selector
    # decides (and checks the declaration again).
    show_others = (
        sheet.declared
        and not sheet.conflicted
        and selectors.may_see_others(sheet.reviewer, sheet.stage, sheet.proposal, sheet.review)
    )
    context = {
        "sheet": sheet,
        "stage": sheet.stage,
        "round": sheet.round,
        "proposal": sheet.proposal,
        "view": _version_view(sheet.stage, sheet.proposal),
        "opinion": selectors.given_opinion(sheet.proposal),
        "declaration_form": (
            DeclarationForm() if sheet.stage_open and not sheet.declared else None
        ),
        "form": form,
        "own_scores": own_scores,
        "total": sheet.running_total(points),
        "show_others": show_others,
        "others": _others(sheet) if show_others else [],
        "hidden_reason": "" if show_others else _hidden_reason(sheet),
    }
    return render(request, "proposals/review_score.html", context)


@never_cache
@login_required
def score(request, pk, proposal_pk):
    """The score sheet; a POST saves it as a draft."""
    sheet = _sheet(request, pk, proposal_pk)
    if request.method != "POST":
        return _render_score(request, sheet)
    form = sheet.score_form(request.POST)
    if not form.is_valid():
        return _render_score(request, sheet, form=form)
    try:
        reviews.review_save(
            stage=sheet.stage,
            proposal=sheet.proposal,
            reviewer=request.user,
            **form.service_kwargs(),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Your scores were saved as a draft."))
    return redirect(_score_url(sheet))


@require_POST
@login_required
def submit(request, pk, proposal_pk):
    """Save the sheet as it is on the screen, then submit it."""
    sheet = _sheet(request, pk, proposal_pk)
    form = sheet.score_form(request.POST)
    if not form.is_valid():
        return _render_score(request, sheet, form=form)
    try:
        review = reviews.review_save(
            stage=sheet.stage,
            proposal=sheet.proposal,
            reviewer=request.user,
            **form.service_kwargs(),
        )
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_score_url(sheet))
    run_service(
        request,
        lambda: reviews.review_submit(review=review, by=request.user),
        success=_("Your review was submitted. Thank you."),
    )
    return redirect(_score_url(sheet))


@require_POST
@login_required
def reopen(request, pk, proposal_pk):
    sheet = _sheet(request, pk, proposal_pk)
    if sheet.review is None:
        raise Http404
    run_service(
        request,
        lambda: reviews.review_reopen(review=sheet.review, by=request.user),
        success=_("Your review is a draft again. Submit it once you have changed it."),
    )
    return redirect(_score_url(sheet))


@require_POST
@login_required
def declare(request, pk, proposal_pk):
    sheet = _sheet(request, pk, proposal_pk)
    if not sheet.stage_open:
        # The service would take it, but a closed stage is read-only for reviewers; staff
        # record a late conflict in the admin.
        messages.error(request, _("Scoring of this stage is closed."))
        return redirect(_score_url(sheet))
    form = DeclarationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether you have a conflict of interest."))
        return redirect(_score_url(sheet))
    kwargs = form.service_kwargs()
    run_service(
        request,
        lambda: reviews.conflict_declare(
            proposal=sheet.proposal, stage=sheet.stage, reviewer=request.user, **kwargs
        ),
        success=(
            _("Your conflict of interest is recorded. You will not score this proposal.")
            if kwargs["has_conflict"]
            else _("Your declaration is recorded. You can score the proposal now.")
        ),
    )
    return redirect(_score_url(sheet))


@require_POST
@login_required
def total(request, pk, proposal_pk):
    """The running total as the reviewer types (an htmx fragment of the score page)."""
    sheet = _sheet(request, pk, proposal_pk)
    if sheet.conflicted:
        raise Http404
    form = sheet.score_form(request.POST)
    form.is_valid()  # the total counts whatever is valid; errors are shown on saving
    return render(
        request,
        "proposals/review_score.html#total",
        {"round": sheet.round, "total": sheet.running_total(form.points())},
    )


# --- files of the frozen version ------------------------------------------------------------


def _proposal_for_files(user, pk, proposal_pk) -> Proposal:
    """An assigned reviewer's proposal (a conflict does not keep them from reading it), or
    the proposal whose opinion the user is to give, reached through any stage of its call."""
    if not rules.acts_in_review(user):
        raise Http404
    assignment = (
        Assignment.objects.filter(stage_id=pk, reviewer=user)
        .exclude(stage__status=StageStatus.PREPARING)
        .select_related("stage__round")
        .prefetch_related("proposals")
        .first()
    )
    if assignment is not None:
        proposal = (
            selectors.assigned_proposals(assignment)
            .select_related("submitted_version")
            .filter(pk=proposal_pk)
            .first()
        )
        if proposal is not None:
            return proposal
    proposal = (
        Proposal.objects.filter(pk=proposal_pk, round__stages__pk=pk)
        .select_related("submitted_version")
        .first()
    )
    if proposal is not None and rules.can_give_opinion(user, proposal):
        return proposal
    raise Http404


@never_cache
@login_required
def attachment(request, pk, proposal_pk, attachment_pk):
    proposal = _proposal_for_files(request.user, pk, proposal_pk)
    document = get_object_or_404(selectors.version_attachments(proposal), pk=attachment_pk)
    return file_download(document.file)


# --- the department's opinion -----------------------------------------------------------------


@login_required
def opinion(request, proposal_pk):
    proposal = (
        Proposal.objects.select_related("round", "organization", "theme", "submitted_version")
        .filter(pk=proposal_pk)
        .first()
    )
    # A proposal never submitted is a draft nobody outside the organization and staff reads.
    if (
        proposal is None
        or proposal.submitted_version_id is None
        or not rules.can_give_opinion(request.user, proposal)
    ):
        raise Http404
    current = DepartmentOpinion.objects.filter(proposal=proposal).first()
    editable = proposal.status in IN_REVIEW_STATUSES
    initial = {"feasibility": current.feasibility, "text": current.text} if current else None
    form = OpinionForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if not editable:
            messages.error(request, _("This proposal is not in review."))
            return redirect("proposals_review:opinion", proposal_pk=proposal.pk)
        if form.is_valid():
            give = "give" in request.POST
            try:
                services.opinion_save(
                    proposal=proposal,
                    by=request.user,
                    feasibility=form.cleaned_data["feasibility"],
                    text=form.cleaned_data["text"],
                    submit=give,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("Your opinion was given: reviewers now see it beside the proposal.")
                    if give or (current and current.is_submitted)
                    else _("Your opinion was saved as a draft. Reviewers do not see it yet."),
                )
                return redirect("proposals_review:opinion", proposal_pk=proposal.pk)
    first_stage = proposal.round.stages.order_by("number").first()
    return render(
        request,
        "proposals/review_opinion.html",
        {
            "proposal": proposal,
            "round": proposal.round,
            "opinion": current,
            "form": form,
            "editable": editable,
            "view": _version_view(first_stage, proposal),
        },
    )
