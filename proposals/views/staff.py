"""The center staff's pages of 協働事業提案 (/staff/proposals/…): the calls with their counts,
one call with its stages, reviewers and proposals, releasing the decisions, one proposal with
its history and the staff's actions on it, and the adopted project through its two years.

Setting up a call (criteria, stages, reviewer assignments) is done in the admin. Every view is
for center staff only: anyone else gets 404, as if the page did not exist. Every change goes
through a service (proposals.services, reviews, projects), which writes the history rows.
"""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.paginator import Paginator
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kyodo.actions import run_service, visible_only_to
from kyodo.downloads import file_download
from organizations.models import Membership
from proposals import projects, reviews, selectors, services
from proposals.enums import (
    ADOPTED_STATUSES,
    DECIDED_STATUSES,
    IN_REVIEW_STATUSES,
    ProjectStatus,
    ProposalStatus,
    StageStatus,
    YearStatus,
)
from proposals.forms_staff import (
    AgreementForm,
    BudgetForm,
    ConflictRecordForm,
    DecisionForm,
    DepartmentForm,
    FinishForm,
    NoteForm,
    PreConsultationForm,
    ReasonForm,
    ReleaseForm,
    ReturnForm,
    ShortlistForm,
    StartYearForm,
    UnshortlistForm,
    VerdictForm,
)
from proposals.models import (
    Assignment,
    ConflictDeclaration,
    Presentation,
    Project,
    ProjectEvent,
    Proposal,
    ProposalEvent,
    ProposalVersion,
    Round,
    Stage,
    StageEvent,
)
from proposals.rules import can_manage_proposals

PAGE_SIZE = 30


proposal_staff_required = visible_only_to(can_manage_proposals)


# --- reads (staff only: every view above checked the role) -----------------------------------


def _rounds_with_counts():
    counts = {
        f"count_{value}": Count("proposals", filter=Q(proposals__status=value))
        for value in ProposalStatus.values
    }
    return (
        Round.objects.annotate(proposal_total=Count("proposals"), **counts)
        .prefetch_related("stages")
        .order_by("-fiscal_year", "-pk")
    )


def _round_or_404(pk) -> Round:
    round_ = (
        Round.objects.select_related("chair", "decisions_released_by")
        .prefetch_related("themes", "criteria")
        .filter(pk=pk)
        .first()
    )
    if round_ is None:
        raise Http404
    return round_


def _stages_of(round_: Round) -> list[Stage]:
    assignments = Assignment.objects.select_related("reviewer").prefetch_related(
        Prefetch("proposals", queryset=Proposal.objects.only("pk", "number", "round_id"))
    )
    events = StageEvent.objects.select_related("changed_by").order_by("changed_at", "pk")
    return list(
        Stage.objects.filter(round=round_)
        .prefetch_related(
            Prefetch("assignments", queryset=assignments.order_by("pk")),
            Prefetch("events", queryset=events),
        )
        .order_by("number")
    )


def _round_proposals_query(round_: Round):
    # Numbered (submitted at least once) first, in number order; drafts after them.
    return (
        selectors.round_proposals_for_staff(round_)
        .select_related("project")
        .prefetch_related(
            Prefetch("presentations", queryset=Presentation.objects.select_related("stage"))
        )
        .order_by(F("number").asc(nulls_last=True), "pk")
    )


def _round_proposals(round_: Round) -> list[Proposal]:
    proposals = list(_round_proposals_query(round_))
    for proposal in proposals:
        proposal.round = round_  # its reference reads the round's year
    return proposals


def _proposal_or_404(pk) -> Proposal:
    proposal = (
        Proposal.objects.select_related(
            "round",
            "organization",
            "theme",
            "submitted_version",
            "decision__prepared_by",
            "opinion",
            "department_official",
            "pre_consultation_case",
            "project",
        )
        .filter(pk=pk)
        .first()
    )
    if proposal is None:
        raise Http404
    return proposal


def _project_or_404(pk) -> Project:
    project = (
        Project.objects.select_related("proposal__round", "proposal__organization")
        .prefetch_related("years")
        .filter(pk=pk)
        .first()
    )
    if project is None:
        raise Http404
    return project


def _reviewers_of(round_: Round):
    """Whose conflict of interest staff may record on a proposal of the call: the reviewers
    assigned to any of its stages, and its chair."""
    assigned = Assignment.objects.filter(stage__round=round_).values("reviewer_id")
    condition = Q(pk__in=assigned)
    if round_.chair_id is not None:
        condition |= Q(pk=round_.chair_id)
    return (
        get_user_model()
        .objects.filter(condition)
        .order_by("family_name_kana", "given_name_kana", "email", "pk")
    )


def _conflicts_of(proposal) -> dict:
    """The proposal's conflict declarations (with who recorded one for someone else: a late
    conflict recorded by staff) and the reviewers excluded automatically as members of the
    proposing organization."""
    declarations = list(
        ConflictDeclaration.objects.filter(proposal=proposal)
        .select_related("reviewer")
        .order_by("declared_at", "pk")
    )
    last_change = {
        row.id: row.history_user
        for row in ConflictDeclaration.history.filter(proposal_id=proposal.pk)
        .select_related("history_user")
        .order_by("history_date", "history_id")
    }
    for declaration in declarations:
        by = last_change.get(declaration.pk)
        # Declared by someone else than the reviewer: recorded by staff.
        declaration.recorded_by = by if by and by.pk != declaration.reviewer_id else None
    people = _reviewers_of(proposal.round)
    members = [
        m.user
        for m in Membership.objects.filter(
            organization_id=proposal.organization_id, user__in=people
        )
        .select_related("user")
        .order_by("user__family_name_kana", "user__given_name_kana", "user__pk")
    ]
    return {"declarations": declarations, "automatic_exclusions": members, "people": people}


def _labelled(events, choices):
    labels = dict(choices)
    for event in events:
        event.old_label = labels.get(event.old_status, event.old_status)
        event.new_label = labels.get(event.new_status, event.new_status)
    return events


def _related_or_none(instance, name):
    # A reverse one-to-one without a row raises (an AttributeError) instead of giving None.
    return getattr(instance, name, None)


# --- the calls -------------------------------------------------------------------------------


@proposal_staff_required
def rounds(request):
    page = Paginator(_rounds_with_counts(), PAGE_SIZE).get_page(request.GET.get("page"))
    for round_ in page.object_list:
        round_.status_counts = [
            (label, getattr(round_, f"count_{value}"))
            for value, label in ProposalStatus.choices
            if getattr(round_, f"count_{value}")
        ]
    return render(
        request, "proposals/staff_rounds.html", {"page_obj": page, "rounds": page.object_list}
    )


@proposal_staff_required
def round_detail(request, pk):
    round_ = _round_or_404(pk)
    stages = _stages_of(round_)
    for stage in stages:
        events = list(stage.events.all())
        stage.last_event = events[-1] if events else None
    # A call can have hundreds of proposals: a page of them, the counts over all in one query.
    page = Paginator(_round_proposals_query(round_), PAGE_SIZE).get_page(request.GET.get("page"))
    proposals = list(page.object_list)
    for proposal in proposals:
        proposal.round = round_  # its reference reads the round's year
        proposal.staff_decision = _related_or_none(proposal, "decision")
        proposal.staff_opinion = _related_or_none(proposal, "opinion")
        proposal.staff_project = _related_or_none(proposal, "project")
    in_review = Q(status__in=IN_REVIEW_STATUSES)
    counts = Proposal.objects.filter(round=round_).aggregate(
        in_review=Count("pk", filter=in_review),
        undecided=Count("pk", filter=in_review & Q(decision__isnull=True)),
    )
    return render(
        request,
        "proposals/staff_round_detail.html",
        {
            "round": round_,
            "stages": stages,
            "proposals": proposals,
            "page_obj": page,
            "undecided_count": counts["undecided"],
            "in_review_count": counts["in_review"],
        },
    )


@proposal_staff_required
@require_POST
def stage_action(request, pk, action):
    stage = Stage.objects.select_related("round").filter(pk=pk).first()
    if stage is None or action not in {"open", "close"}:
        raise Http404
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if action == "open":
        reopening = stage.status == StageStatus.CLOSED
        run_service(
            request,
            lambda: reviews.stage_open(stage=stage, by=request.user, reason=reason),
            success=_("“%(stage)s” is open for scoring again.") % {"stage": stage.display_name}
            if reopening
            else _("“%(stage)s” is open for scoring.") % {"stage": stage.display_name},
        )
    else:
        run_service(
            request,
            lambda: reviews.stage_close(stage=stage, by=request.user, reason=reason),
            success=_("“%(stage)s” is closed: scores can no longer change.")
            % {"stage": stage.display_name},
        )
    return redirect(f"{reverse('proposals_staff:round', args=[stage.round_id])}#stages")


@proposal_staff_required
def release(request, pk):
    """Release every decision of the call: asked for on a page of its own that lists them."""
    round_ = _round_or_404(pk)
    if round_.decisions_released:
        messages.info(request, _("The decisions of this call have been released."))
        return redirect("proposals_staff:round", pk=round_.pk)
    form = ReleaseForm(request.POST if request.method == "POST" else None)
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(
            request,
            lambda: services.decisions_release(round_=round_, by=request.user),
            success=_("The decisions were released; the organizations are told by e-mail."),
        )
    ):
        return redirect("proposals_staff:round", pk=round_.pk)
    everything = _round_proposals(round_)
    proposals = [p for p in everything if p.status in IN_REVIEW_STATUSES]
    for proposal in proposals:
        proposal.staff_decision = _related_or_none(proposal, "decision")
    # What services.decisions_release refuses, shown before anyone confirms: a proposal in
    # review without a decision, a returned one (it must come back and be decided, or be
    # withdrawn), and, in a call with a second stage, an adoption of a proposal that is no
    # longer on the shortlist.
    has_second_stage = any(stage.number == 2 for stage in round_.stages.all())
    return render(
        request,
        "proposals/staff_release.html",
        {
            "round": round_,
            "form": form,
            "proposals": proposals,
            "undecided": [p for p in proposals if p.staff_decision is None],
            "returned": [p for p in everything if p.status == ProposalStatus.RETURNED],
            "has_second_stage": has_second_stage,
            "unlisted": [
                p
                for p in proposals
                if has_second_stage
                and p.staff_decision is not None
                and p.staff_decision.outcome in ADOPTED_STATUSES
                and p.status != ProposalStatus.SHORTLISTED
            ],
        },
    )


# --- one proposal ----------------------------------------------------------------------------


def _attachment_url(proposal):
    return lambda attachment_id: reverse("proposals:attachment", args=[proposal.pk, attachment_id])


def _shown_version(request, proposal, versions):
    """The version asked for (?version=N or ?version=draft), else the one reviewers see;
    for a proposal never submitted, its current text."""
    asked = request.GET.get("version", "")
    by_number = {str(v.number): v for v in versions}
    if asked in by_number:
        return by_number[asked], False
    if asked != "draft" and proposal.submitted_version is not None:
        return proposal.submitted_version, False
    # The current text, as it would be frozen now: staff see drafts too.
    return ProposalVersion(proposal=proposal, number=0, data=services.snapshot(proposal)), True


def _stage_two(proposal):
    return Stage.objects.filter(round_id=proposal.round_id, number=2).first()


def _forms_for(proposal, presentation=None) -> dict:
    decision = _related_or_none(proposal, "decision")
    starts_at = presentation.starts_at if presentation else None
    local = timezone.localtime(starts_at) if starts_at else None
    # The page holds several forms with fields of the same name: distinct ids.
    return {
        "return_form": ReturnForm(auto_id="return_%s"),
        "pre_form": PreConsultationForm(
            auto_id="pre_%s",
            organization=proposal.organization,
            initial={
                "on": proposal.pre_consultation_on,
                "case": proposal.pre_consultation_case_id,
            },
        ),
        "department_form": DepartmentForm(
            auto_id="department_%s",
            initial={
                "department": proposal.department,
                "official": proposal.department_official_id,
            },
        ),
        "shortlist_form": ShortlistForm(
            auto_id="shortlist_%s",
            initial={
                "day": local.date() if local else None,
                "time": local.time() if local else None,
                "place": presentation.place if presentation else "",
            },
        ),
        "unshortlist_form": UnshortlistForm(auto_id="unshortlist_%s"),
        "conflict_form": ConflictRecordForm(
            auto_id="conflict_%s", people=_reviewers_of(proposal.round)
        ),
        "decision_form": DecisionForm(
            auto_id="decision_%s",
            initial={
                "outcome": decision.outcome if decision else None,
                "council_comment": decision.council_comment if decision else "",
                "conditions": decision.conditions if decision else "",
            },
        ),
    }


@proposal_staff_required
@never_cache
def proposal_detail(request, pk):
    proposal = _proposal_or_404(pk)
    versions = list(proposal.versions.select_related("submitted_by").order_by("number"))
    version, is_draft = _shown_version(request, proposal, versions)
    events = _labelled(
        list(ProposalEvent.objects.filter(proposal=proposal).select_related("changed_by")),
        ProposalStatus.choices,
    )
    presentations = list(Presentation.objects.filter(proposal=proposal).select_related("stage"))
    stage_two = _stage_two(proposal)
    presentation = next(
        (p for p in presentations if stage_two and p.stage_id == stage_two.pk), None
    )
    round_ = proposal.round
    decision = _related_or_none(proposal, "decision")
    status = proposal.status
    conflicts = _conflicts_of(proposal)
    context = {
        "proposal": proposal,
        "round": round_,
        "view": selectors.version_view(version, attachment_url=_attachment_url(proposal)),
        "is_draft_view": is_draft,
        "versions": versions,
        "events": events,
        "presentations": presentations,
        "stage_two": stage_two,
        "decision": decision,
        "opinion": _related_or_none(proposal, "opinion"),
        "project": _related_or_none(proposal, "project"),
        "deadline": services.deadline_of(proposal),
        "missing": services.missing_for_submission(proposal)
        if status in (ProposalStatus.DRAFT, ProposalStatus.RETURNED)
        else [],
        "can_return": status == ProposalStatus.SUBMITTED,
        "can_shortlist": stage_two is not None
        and stage_two.status != StageStatus.CLOSED
        and status in (ProposalStatus.SUBMITTED, ProposalStatus.SHORTLISTED),
        "can_unshortlist": stage_two is not None and status == ProposalStatus.SHORTLISTED,
        "can_decide": status in IN_REVIEW_STATUSES and not round_.decisions_released,
        "is_open_case": status not in DECIDED_STATUSES and status != ProposalStatus.WITHDRAWN,
        "declarations": conflicts["declarations"],
        "automatic_exclusions": conflicts["automatic_exclusions"],
        "can_record_conflict": not round_.decisions_released and conflicts["people"].exists(),
        **_forms_for(proposal, presentation),
    }
    return render(request, "proposals/staff_proposal_detail.html", context)


def _proposal_action(request, pk, *, form_class, service, success, title, action, form_kwargs=None):
    """The shape of the proposal page's forms: on a valid POST run ``service`` with the
    proposal and the cleaned data and go back to the proposal; otherwise show the form (again,
    with its errors) on a small page of its own."""
    proposal = _proposal_or_404(pk)
    data = request.POST if request.method == "POST" else None
    form = form_class(data, **(form_kwargs(proposal) if form_kwargs else {}))
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(request, lambda: service(proposal, form.cleaned_data), success=success)
    ):
        return redirect("proposals_staff:proposal", pk=proposal.pk)
    return render(
        request,
        "proposals/staff_action_form.html",
        {
            "proposal": proposal,
            "form": form,
            "title": title,
            "action_url": reverse(f"proposals_staff:{action}", args=[proposal.pk]),
            "back_url": reverse("proposals_staff:proposal", args=[proposal.pk]),
        },
    )


@proposal_staff_required
def proposal_return(request, pk):
    return _proposal_action(
        request,
        pk,
        form_class=ReturnForm,
        service=lambda proposal, data: services.proposal_return(
            proposal=proposal,
            by=request.user,
            reason=data["reason"],
            resubmit_by=data["resubmit_by"],
        ),
        success=_("The proposal was returned; the organization is told by e-mail."),
        title=_("Return the proposal for changes"),
        action="return",
    )


@proposal_staff_required
def pre_consultation(request, pk):
    return _proposal_action(
        request,
        pk,
        form_class=PreConsultationForm,
        form_kwargs=lambda proposal: {"organization": proposal.organization},
        service=lambda proposal, data: services.pre_consultation_record(
            proposal=proposal, by=request.user, on=data["on"], case=data["case"]
        ),
        success=_("The prior consultation was recorded."),
        title=_("Record the prior consultation"),
        action="pre_consultation",
    )


@proposal_staff_required
def department(request, pk):
    def assign(proposal, data):
        return services.department_assign(
            proposal=proposal,
            by=request.user,
            department=data["department"],
            official=data["official"],
        )

    return _proposal_action(
        request,
        pk,
        form_class=DepartmentForm,
        service=assign,
        success=_("The department in charge was saved."),
        title=_("Department in charge"),
        action="department",
    )


@proposal_staff_required
def shortlist(request, pk):
    def take(proposal, data):
        stage = _stage_two(proposal)
        if stage is None:
            raise services.ProposalError(_("This call has no second stage."))
        return services.proposal_shortlist(
            proposal=proposal,
            stage=stage,
            by=request.user,
            starts_at=data["starts_at"],
            place=data["place"],
        )

    return _proposal_action(
        request,
        pk,
        form_class=ShortlistForm,
        service=take,
        success=_("The proposal is on the shortlist for the presentation."),
        title=_("Shortlist for the presentation"),
        action="shortlist",
    )


@proposal_staff_required
def unshortlist(request, pk):
    def drop(proposal, data):
        stage = _stage_two(proposal)
        if stage is None:
            raise services.ProposalError(_("This call has no second stage."))
        return services.proposal_unshortlist(
            proposal=proposal, stage=stage, by=request.user, reason=data["reason"]
        )

    return _proposal_action(
        request,
        pk,
        form_class=UnshortlistForm,
        service=drop,
        success=_("The proposal was taken off the shortlist."),
        title=_("Take off the shortlist"),
        action="unshortlist",
    )


@proposal_staff_required
def conflict(request, pk):
    """Record a conflict of interest of a reviewer or the chair that came to light late."""

    def record(proposal, data):
        return reviews.conflict_record(
            proposal=proposal, reviewer=data["reviewer"], by=request.user, note=data["note"]
        )

    return _proposal_action(
        request,
        pk,
        form_class=ConflictRecordForm,
        form_kwargs=lambda proposal: {"people": _reviewers_of(proposal.round)},
        service=record,
        success=_(
            "The conflict of interest was recorded: their reviews of this proposal no longer count."
        ),
        title=_("Record a conflict of interest"),
        action="conflict",
    )


@proposal_staff_required
def decision(request, pk):
    return _proposal_action(
        request,
        pk,
        form_class=DecisionForm,
        service=lambda proposal, data: services.decision_prepare(
            proposal=proposal,
            by=request.user,
            outcome=data["outcome"],
            council_comment=data["council_comment"],
            conditions=data["conditions"],
        ),
        success=_("The decision was saved. Nobody outside the staff sees it before the release."),
        title=_("Prepare the decision"),
        action="decision",
    )


# --- the adopted project ---------------------------------------------------------------------


def _project_forms(project, years) -> dict:
    status = project.status
    by_number = {y.year: y for y in years}
    first, second = by_number.get(1), by_number.get(2)
    start_year = None
    if status == ProjectStatus.AGREED and first and first.status == YearStatus.PLANNED:
        start_year = 1
    elif (
        status == ProjectStatus.RUNNING
        and second
        and second.status == YearStatus.PLANNED
        and first
        and first.verdict in ("continue", "continue_changes")
    ):
        start_year = 2
    running = next((y for y in years if y.status == YearStatus.RUNNING), None)
    verdict_form = None
    verdict_elsewhere = projects.verdict_source_url(running) if running is not None else ""
    if running is not None and not verdict_elsewhere:
        verdict_form = VerdictForm(auto_id="verdict_%s", initial={"year": running.year})
        verdict_form.fields["year"].widget = forms.HiddenInput()
    open_ended = status not in (ProjectStatus.COMMISSIONED, ProjectStatus.ENDED)
    return {
        "note_form": NoteForm(auto_id="note_%s"),
        "budget_form": BudgetForm(auto_id="budget_%s")
        if status == ProjectStatus.CONSULTING
        else None,
        "agreement_form": AgreementForm(auto_id="agreement_%s")
        if status == ProjectStatus.BUDGETED
        else None,
        "start_year": start_year,
        "running_year": running,
        "verdict_form": verdict_form,
        "verdict_elsewhere": verdict_elsewhere,
        "finish_form": FinishForm(auto_id="finish_%s") if open_ended else None,
    }


@proposal_staff_required
@never_cache
def project_detail(request, pk):
    project = _project_or_404(pk)
    years = list(project.years.all())
    context = {
        "project": project,
        "proposal": project.proposal,
        "years": years,
        "notes": list(project.notes.select_related("author").order_by("held_on", "pk")),
        "events": _labelled(
            list(ProjectEvent.objects.filter(project=project).select_related("changed_by")),
            ProjectStatus.choices,
        ),
        **_project_forms(project, years),
    }
    return render(request, "proposals/staff_project_detail.html", context)


def _agreement_download(project):
    return file_download(project.agreement_file)


PROJECT_ACTIONS = {
    "note": (
        NoteForm,
        lambda project, by, d: projects.project_note_add(
            project=project, by=by, held_on=d["held_on"], text=d["text"]
        ),
        lambda: _("The note was added."),
        lambda: _("Add a consultation note"),
    ),
    "budget": (
        BudgetForm,
        lambda project, by, d: projects.project_budget_passed(
            project=project, by=by, on=d["on"], amount=d["amount"]
        ),
        lambda: _("The budget was recorded."),
        lambda: _("Budget passed"),
    ),
    "agreement": (
        AgreementForm,
        lambda project, by, d: projects.project_agreement(
            project=project,
            by=by,
            upload=d["file"],
            signed_on=d["signed_on"],
            starts_on=d["starts_on"],
            ends_on=d["ends_on"],
        ),
        lambda: _("The agreement was recorded."),
        lambda: _("Agreement signed"),
    ),
    "start_year": (
        StartYearForm,
        lambda project, by, d: projects.project_start_year(project=project, by=by, year=d["year"]),
        lambda: _("The project year has started."),
        lambda: _("Start a project year"),
    ),
    "verdict": (
        VerdictForm,
        lambda project, by, d: projects.project_verdict(
            project=project, by=by, year=d["year"], verdict=d["verdict"], text=d["text"], on=d["on"]
        ),
        lambda: _("The council's verdict was recorded."),
        lambda: _("Council's verdict on the year"),
    ),
    "finish": (
        FinishForm,
        lambda project, by, d: projects.project_finish(
            project=project, by=by, to=d["to"], note=d["note"]
        ),
        lambda: _("The project has ended."),
        lambda: _("End the project"),
    ),
}


@proposal_staff_required
@never_cache
def project_action(request, pk, action):
    """POST: one of PROJECT_ACTIONS. GET on "agreement" downloads the signed 協定書 (staff
    here; the organization's members through proposals:agreement on their proposal's page)."""
    if action not in PROJECT_ACTIONS:
        raise Http404
    project = _project_or_404(pk)
    if request.method != "POST":
        if action == "agreement":
            return _agreement_download(project)
        return redirect("proposals_staff:project", pk=project.pk)
    form_class, service, success, title = PROJECT_ACTIONS[action]
    form = form_class(request.POST, request.FILES)
    if form.is_valid() and run_service(
        request, lambda: service(project, request.user, form.cleaned_data), success=success
    ):
        return redirect("proposals_staff:project", pk=project.pk)
    return render(
        request,
        "proposals/staff_action_form.html",
        {
            "proposal": project.proposal,
            "project": project,
            "form": form,
            "title": title(),
            "action_url": reverse("proposals_staff:project_action", args=[project.pk, action]),
            "back_url": reverse("proposals_staff:project", args=[project.pk]),
            "multipart": action == "agreement",
        },
    )
