"""The organization's own proposals: start one for an open call, write the 事業構築シート with
its budget and files, submit or withdraw it, follow it through review to the decision and,
once adopted, the project.

Every member (any role) and center staff may look (and download the files: the attachments,
the decision letter, the project's signed agreement); the 代表管理者 and 管理者 write, submit and
withdraw (a メンバー gets 403). Anyone else — other organizations, reviewers, ward officials —
gets 404: the selector only finds proposals of the user's own organizations. The history they
are shown is a public timeline (public_timeline), not the staff's record.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms.models import model_to_dict
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from kyodo.actions import run_service
from kyodo.downloads import document_download, file_download
from kyodo.exceptions import DomainError
from kyodo.models import DocumentStatus
from organizations.acting import acting_organization
from organizations.models import Membership
from organizations.rules import can_manage_organization
from organizations.selectors import (
    memberships_of,
    valid_organizations_managed_by,
)
from proposals import rules, selectors, services
from proposals.enums import (
    ADOPTED_STATUSES,
    DECIDED_STATUSES,
    EDITABLE_STATUSES,
    PROPOSAL_TRANSITIONS,
    ProposalStatus,
)
from proposals.forms import (
    SHEET_FIELDS,
    AttachmentForm,
    BudgetFormSet,
    ProposalSheetForm,
    ProposalStartForm,
    WithdrawForm,
    budget_initial,
)
from proposals.models import Decision, Project, Proposal, ProposalAttachment

PAGE_SIZE = 20


# --- reads of this module ------------------------------------------------------------------


def _proposals_of_user(user):
    """The proposals of every organization the user belongs to (one membership each: no
    duplicates from the join)."""
    return (
        Proposal.objects.filter(organization__memberships__user=user)
        .select_related("round", "theme", "organization")
        .order_by("-round__fiscal_year", "-pk")
    )


def _proposal(request, pk) -> Proposal:
    """The proposal if the user is a member of its organization or staff, else 404."""
    return selectors.proposal_for_member(request.user, pk)


def _require_manager(request, proposal) -> None:
    if not can_manage_organization(request.user, proposal.organization):
        raise PermissionDenied


def _decision_of(proposal) -> Decision | None:
    """The decision, only once released (the proposal's status then says the outcome)."""
    if not selectors.decision_visible(proposal):
        return None
    try:
        return proposal.decision
    except Decision.DoesNotExist:
        return None


def _letter_of(decision):
    """The decision letter when it is ready to download, else None."""
    if decision is None or decision.letter_id is None:
        return None
    letter = decision.letter
    if letter.status != DocumentStatus.READY or not letter.file:
        return None
    return letter


# The timeline the organization sees. The proposal's history (ProposalEvent) is the staff's
# record: it holds internal notes (the department assigned, a prior consultation recorded),
# reasons meant for the council (taking a proposal off the shortlist) and who on the staff did
# what. The organization is shown only the moves it needs, a reason only where it is meant for
# it, and the center instead of a member of staff.
_MOVES_BY_THE_ORGANIZATION = frozenset(
    {ProposalStatus.DRAFT, ProposalStatus.SUBMITTED, ProposalStatus.WITHDRAWN}
)
_MOVES_BY_THE_CENTER = frozenset(
    {ProposalStatus.RETURNED, ProposalStatus.SHORTLISTED, *DECIDED_STATUSES}
)
# The return reason is written for the organization; a withdrawal's reason is its own.
_REASONS_SHOWN = frozenset({ProposalStatus.RETURNED, ProposalStatus.WITHDRAWN})


def _is_unshortlisting(event) -> bool:
    return (
        event.old_status == ProposalStatus.SHORTLISTED
        and event.new_status == ProposalStatus.SUBMITTED
    )


def public_timeline(proposal, events) -> list[dict]:
    """The organization's view of ``events`` (the proposal's ProposalEvents, oldest first):
    status moves only, never a note that keeps the status; never the shortlist being undone
    before the release (nor the shortlisting it undid: the timeline tells where the proposal
    stands); a reason only of a return or a withdrawal; a person named only when they are a
    member of the organization and acted for it, else "the center". One query."""
    labels = dict(ProposalStatus.choices)
    decided_visible = selectors.decision_visible(proposal)
    acting_ids = {
        e.changed_by_id
        for e in events
        if e.changed_by_id is not None and e.new_status in _MOVES_BY_THE_ORGANIZATION
    }
    members = set(
        Membership.objects.filter(
            organization_id=proposal.organization_id, user_id__in=acting_ids
        ).values_list("user_id", flat=True)
        if acting_ids
        else ()
    )
    rows: list[dict] = []
    for event in events:
        if event.old_status == event.new_status:
            continue
        if _is_unshortlisting(event):
            if rows and rows[-1]["event"].new_status == ProposalStatus.SHORTLISTED:
                rows.pop()
            continue
        status = event.new_status
        if status not in _MOVES_BY_THE_ORGANIZATION | _MOVES_BY_THE_CENTER:
            continue
        if status in DECIDED_STATUSES and not decided_visible:
            continue
        if status in _MOVES_BY_THE_CENTER:
            who = _("the center")
        elif event.changed_by_id in members:
            who = event.changed_by.get_full_name() or _("a member of the organization")
        else:
            who = ""  # someone who is no longer a member: not named
        if status == ProposalStatus.DRAFT and not event.old_status:
            label = _("Started as a draft")
        elif status == ProposalStatus.SUBMITTED and event.old_status == ProposalStatus.RETURNED:
            label = _("Submitted again")
        else:
            label = labels.get(status, status)
        rows.append(
            {
                "event": event,
                "changed_at": event.changed_at,
                "new_status": status,
                "new_label": label,
                "who": who,
                "reason": event.reason if status in _REASONS_SHOWN else "",
            }
        )
    return rows


def _is_withdrawable(proposal) -> bool:
    return ProposalStatus.WITHDRAWN in PROPOSAL_TRANSITIONS.get(proposal.status, set())


def _budget_years(lines) -> list[dict]:
    lines = list(lines)
    totals = selectors.budget_totals(lines)
    zero = {"ward": 0, "group": 0, "total": 0}
    return [
        {
            "year": year,
            "lines": [line for line in lines if line.year == year],
            "totals": totals.get(year, zero),
        }
        for year in (1, 2)
    ] + [{"year": 0, "lines": [], "totals": totals.get(0, zero)}]


def _detail_url(proposal, anchor="") -> str:
    return reverse("proposals:detail", args=[proposal.pk]) + (f"#{anchor}" if anchor else "")


# --- the list and starting a proposal ------------------------------------------------------


@login_required
def mine(request):
    memberships = list(memberships_of(request.user))
    acting = acting_organization(request)
    show_all = acting is None or request.GET.get("all") == "1"
    if show_all:
        proposals = _proposals_of_user(request.user)
    else:
        proposals = selectors.proposals_of_organization(acting).select_related("organization")
    page = Paginator(proposals, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "proposal": p,
            "deadline": services.deadline_of(p),
            "open": services.is_open_for_changes(p),
            "decided": selectors.decision_visible(p),
        }
        for p in page.object_list
    ]
    can_start = valid_organizations_managed_by(request.user).exists()
    return render(
        request,
        "proposals/org_mine.html",
        {
            "page_obj": page,
            "rows": rows,
            "acting": acting,
            "show_all": show_all,
            "several": len(memberships) > 1,
            "open_rounds": list(selectors.rounds_open_for_proposals()) if can_start else [],
            "can_start": can_start,
        },
    )


@login_required
def create(request, pk):
    round_ = selectors.published_round(pk)
    organizations = valid_organizations_managed_by(request.user)
    if not organizations.exists():
        raise PermissionDenied
    today = timezone.localdate()
    if not (round_.call_opens_on <= today <= round_.submission_deadline):
        messages.error(request, _("This call is not open for proposals."))
        return redirect("proposals:round", pk=round_.pk)
    acting = acting_organization(request)
    initial = {}
    if acting is not None and organizations.filter(pk=acting.pk).exists():
        initial["organization"] = acting.pk
    form = ProposalStartForm(
        request.POST or None, round_=round_, organizations=organizations, initial=initial
    )
    if len(form.fields["kind"].choices) == 1:
        form.initial.setdefault("kind", form.fields["kind"].choices[0][0])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = services.proposal_create(
                round_=round_,
                organization=data["organization"],
                by=request.user,
                kind=data["kind"],
                title=data["title"],
                theme=data["theme"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("The draft was created. Write the proposal and save it as you go.")
            )
            return redirect("proposals:edit", pk=proposal.pk)
    return render(request, "proposals/org_create.html", {"round": round_, "form": form})


# --- one proposal --------------------------------------------------------------------------


@login_required
def detail(request, pk):
    proposal = _proposal(request, pk)
    user = request.user
    manager = can_manage_organization(user, proposal.organization)
    editable = proposal.status in EDITABLE_STATUSES
    is_open = services.is_open_for_changes(proposal)
    events = list(proposal.events.select_related("changed_by").order_by("changed_at", "pk"))
    returned = [e for e in events if e.new_status == ProposalStatus.RETURNED]
    version = proposal.submitted_version
    version_view = None
    if version is not None:
        version_view = selectors.version_view(
            version,
            attachment_url=lambda attachment_id: reverse(
                "proposals:attachment", args=[proposal.pk, attachment_id]
            ),
        )
    decision = _decision_of(proposal)
    project = None
    if proposal.status in ADOPTED_STATUSES:
        project = Project.objects.filter(proposal=proposal).prefetch_related("years").first()
    return render(
        request,
        "proposals/org_detail.html",
        {
            "proposal": proposal,
            "round": proposal.round,
            "can_manage": manager,
            "can_edit": rules.can_edit_proposal(user, proposal),
            "editable": editable,
            "is_open": is_open,
            "deadline": services.deadline_of(proposal),
            "missing": services.missing_for_submission(proposal) if editable else [],
            "sections": [
                (Proposal._meta.get_field(name).verbose_name, getattr(proposal, name))
                for name in selectors.SHEET_SECTIONS
            ],
            "budget_years": _budget_years(proposal.budget_lines.all()),
            "attachments": proposal.current_attachments,
            "attachment_form": AttachmentForm(),
            "version_view": version_view,
            "return_event": returned[-1]
            if returned and proposal.status == ProposalStatus.RETURNED
            else None,
            "events": public_timeline(proposal, events),
            "decision": decision,
            "letter": _letter_of(decision),
            "project": project,
            # The presentation the group is invited to (二次審査), while it is on the shortlist.
            "presentations": list(proposal.presentations.select_related("stage"))
            if proposal.status == ProposalStatus.SHORTLISTED
            else [],
            "can_withdraw": manager and _is_withdrawable(proposal),
        },
    )


@login_required
def edit(request, pk):
    proposal = _proposal(request, pk)
    _require_manager(request, proposal)
    if request.method != "POST":
        # Refused with a message; a POST goes on to the service, which refuses with the same
        # message while the form keeps what was typed.
        if proposal.status not in EDITABLE_STATUSES:
            messages.info(request, _("This proposal is submitted and can no longer be changed."))
            return redirect("proposals:detail", pk=proposal.pk)
        if not services.is_open_for_changes(proposal):
            messages.error(
                request,
                _("The deadline (%(date)s, 23:59 Tokyo time) has passed.")
                % {"date": services.deadline_of(proposal).isoformat()},
            )
            return redirect("proposals:detail", pk=proposal.pk)
    data = request.POST if request.method == "POST" else None
    form = ProposalSheetForm(
        data, round_=proposal.round, initial=model_to_dict(proposal, fields=SHEET_FIELDS)
    )
    formset = BudgetFormSet(data, prefix="budget", initial=budget_initial(proposal))
    if request.method == "POST":
        if form.is_valid() and formset.is_valid():
            try:
                services.proposal_update(
                    proposal=proposal,
                    by=request.user,
                    data=form.cleaned_data,
                    budget_lines=formset.lines(),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("The draft was saved."))
                if "close" in request.POST:
                    return redirect("proposals:detail", pk=proposal.pk)
                return redirect(reverse("proposals:edit", args=[proposal.pk]) + "#budget")
        else:
            form.add_error(None, _("Nothing was saved yet: correct the marked fields."))
    return render(
        request,
        "proposals/org_edit.html",
        {
            "proposal": proposal,
            "round": proposal.round,
            "form": form,
            "formset": formset,
            "deadline": services.deadline_of(proposal),
            "budget_years": _budget_years(proposal.budget_lines.all()),
        },
    )


@require_POST
@login_required
def attachment_add(request, pk):
    proposal = _proposal(request, pk)
    _require_manager(request, proposal)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(_detail_url(proposal, "attachments"))
    run_service(
        request,
        lambda: services.attachment_add(
            proposal=proposal,
            by=request.user,
            title=form.cleaned_data["title"],
            upload=form.cleaned_data["file"],
        ),
        success=_("The file was attached."),
    )
    return redirect(_detail_url(proposal, "attachments"))


@require_POST
@login_required
def attachment_remove(request, pk, attachment_pk):
    proposal = _proposal(request, pk)
    _require_manager(request, proposal)
    attachment = get_object_or_404(
        ProposalAttachment, proposal=proposal, pk=attachment_pk, removed_at__isnull=True
    )
    run_service(
        request,
        lambda: services.attachment_remove(attachment=attachment, by=request.user),
        success=_("The file was removed from the proposal."),
    )
    return redirect(_detail_url(proposal, "attachments"))


@never_cache
@login_required
def attachment_download(request, pk, attachment_pk):
    """A file of the proposal, to its members and staff: a current one, or one of a
    submitted version (kept, though removed from the working copy)."""
    proposal = _proposal(request, pk)
    attachment = get_object_or_404(ProposalAttachment, proposal=proposal, pk=attachment_pk)
    return file_download(attachment.file)


@login_required
def submit(request, pk):
    """GET: what submitting means and what is missing; POST: submit."""
    proposal = _proposal(request, pk)
    _require_manager(request, proposal)
    if request.method == "POST":
        run_service(
            request,
            lambda: services.proposal_submit(proposal=proposal, by=request.user),
            success=_("The proposal was submitted. The center has sent you a confirmation."),
        )
        return redirect("proposals:detail", pk=proposal.pk)
    editable = proposal.status in EDITABLE_STATUSES
    return render(
        request,
        "proposals/org_submit.html",
        {
            "proposal": proposal,
            "round": proposal.round,
            "editable": editable,
            "is_open": services.is_open_for_changes(proposal),
            "deadline": services.deadline_of(proposal),
            "missing": services.missing_for_submission(proposal) if editable else [],
        },
    )


@login_required
def withdraw(request, pk):
    """GET: confirm with an optional reason; POST: withdraw."""
    proposal = _proposal(request, pk)
    _require_manager(request, proposal)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        run_service(
            request,
            lambda: services.proposal_withdraw(
                proposal=proposal, by=request.user, reason=form.cleaned_data["reason"]
            ),
            success=_("The proposal was withdrawn."),
        )
        return redirect("proposals:detail", pk=proposal.pk)
    return render(
        request,
        "proposals/org_withdraw.html",
        {
            "proposal": proposal,
            "round": proposal.round,
            "form": form,
            "withdrawable": _is_withdrawable(proposal),
        },
    )


@never_cache
@login_required
def letter(request, pk):
    """The decision letter, to members and staff, once released and ready."""
    proposal = _proposal(request, pk)
    return document_download(_letter_of(_decision_of(proposal)))


@never_cache
@login_required
def agreement(request, pk):
    """The adopted project's signed 協定書, to the organization's members and staff (staff
    also have it on their project page)."""
    proposal = _proposal(request, pk)
    project = Project.objects.filter(proposal=proposal).first()
    if project is None:
        raise Http404
    return file_download(project.agreement_file)
