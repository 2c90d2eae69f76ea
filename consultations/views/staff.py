"""The center staff's pages for consultation cases: the dashboard, the case list with its CSV,
recording and editing a case, the case page with its timeline, and the small actions on it
(status moves, entries, parties, outcomes, follow-ups, attachments).

Every view is for center staff only: anyone else gets 404, as if the page did not exist.
Notes (the request text and the timeline) are personal information: each showing of them is
logged with services.notes_read, and a 要配慮 case shows them only in the response to a POST
that gives a reason — there is no session flag, so every reading needs its own reason.
"""

from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from consultations import selectors, services
from consultations.enums import CASE_TRANSITIONS, CaseStatus
from consultations.exports import case_csv_response
from consultations.forms import (
    CaseFilterForm,
    CaseForm,
    EntryForm,
    FollowUpForm,
    NotesReasonForm,
    OutcomeForm,
    PartyForm,
    StatusForm,
)
from consultations.models import Case
from consultations.rules import can_handle_cases, can_read_access_log
from kyodo.actions import run_service, visible_only_to
from kyodo.exceptions import DomainError
from kyodo.uploads import content_type_for

PAGE_SIZE = 50


case_staff_required = visible_only_to(can_handle_cases)


# --- helpers ---------------------------------------------------------------------------------


def _case_or_404(request, pk) -> Case:
    try:
        return selectors.case_for_staff(request.user, pk)
    except Case.DoesNotExist:
        raise Http404 from None


def _category_labels(case) -> list[str]:
    return [category.display_name for category in case.categories.all()]


def _categories_text(case) -> str:
    separator = ", " if (get_language() or "ja").startswith("en") else "、"
    return separator.join(_category_labels(case))


def _with_categories(cases) -> list[Case]:
    """The cases with their categories in the reader's language (from the prefetch)."""
    cases = list(cases)
    for case in cases:
        case.categories_text = _categories_text(case)
    return cases


def _filtered_cases(request):
    form = CaseFilterForm(request.GET or None)
    return form, selectors.staff_case_list(request.user, **form.filters())


def _next_moves(case) -> list[tuple[str, str]]:
    allowed = CASE_TRANSITIONS.get(case.status, set())
    return [(value, label) for value, label in CaseStatus.choices if value in allowed]


def _detail_url(case, anchor="") -> str:
    url = reverse("consultations:case_detail", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


def _render_detail(request, case, *, show_notes: bool, reason_form=None, status=200):
    """The case page. ``show_notes`` only after services.notes_read recorded this reading."""
    details = selectors.case_details(case)
    labels = dict(CaseStatus.choices)
    for event in details["events"]:
        event.status_label = labels.get(event.new_status, event.new_status)
    context = {
        "case": case,
        "categories_text": _categories_text(case),
        **details,
        "can_read_access_log": can_read_access_log(request.user),
        "show_notes": show_notes,
        "entries": list(selectors.timeline(case)) if show_notes else [],
        "hidden_entry_count": 0 if show_notes else case.entries.count(),
        "next_moves": _next_moves(case),
        # The page holds several forms with fields of the same name: distinct ids.
        "status_form": StatusForm(auto_id="status_%s"),
        "reason_form": reason_form or NotesReasonForm(auto_id="notes_%s"),
        "entry_form": EntryForm(auto_id="entry_%s"),
        "party_form": PartyForm(auto_id="party_%s"),
        "outcome_form": OutcomeForm(auto_id="outcome_%s"),
        "followup_form": FollowUpForm(auto_id="followup_%s", initial={"assignee": request.user.pk}),
    }
    return render(request, "consultations/staff_case_detail.html", context, status=status)


def _render_action_form(request, case, form, *, title, action, multipart=False):
    """The small page of one of the case page's forms: shows it again with its errors."""
    return render(
        request,
        "consultations/staff_action_form.html",
        {
            "case": case,
            "form": form,
            "title": title,
            "action_url": reverse(f"consultations:{action}", args=[case.pk]),
            "multipart": multipart,
        },
    )


# --- dashboard and list ----------------------------------------------------------------------


@case_staff_required
def dashboard(request):
    return render(
        request,
        "consultations/staff_dashboard.html",
        {**selectors.dashboard(request.user), "today": timezone.localdate()},
    )


@case_staff_required
def case_list(request):
    form, cases = _filtered_cases(request)
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "consultations/staff_case_list.html",
        {"form": form, "page_obj": page, "cases": _with_categories(page.object_list)},
    )


@case_staff_required
def case_export(request):
    _form, cases = _filtered_cases(request)
    return case_csv_response(cases)


# --- recording and editing -------------------------------------------------------------------


@case_staff_required
def case_create(request):
    form = CaseForm(
        request.POST or None,
        initial={"assigned_to": request.user.pk, "opened_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_create(
                by=request.user,
                categories=form.cleaned_data["categories"],
                **form.service_data(),
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Case %(number)s was recorded.") % {"number": case.number})
            return redirect(case)
    return render(request, "consultations/staff_case_form.html", {"form": form, "case": None})


@case_staff_required
@never_cache
def case_edit(request, pk):
    case = _case_or_404(request, pk)
    # The request text of a 要配慮 case is not shown here: it needs a reason on the case page.
    form = CaseForm(request.POST or None, instance=case, include_request=not case.is_sensitive)
    if request.method == "POST" and form.is_valid():
        if run_service(
            request,
            lambda: services.case_update(
                case=case,
                by=request.user,
                data=form.service_data(),
                categories=form.cleaned_data["categories"],
            ),
            success=_("The case was saved."),
        ):
            return redirect(case)
        case = _case_or_404(request, pk)
    elif request.method != "POST" and not case.is_sensitive:
        # The form shows the request text: that is a reading of the notes.
        services.notes_read(case=case, user=request.user)
    return render(request, "consultations/staff_case_form.html", {"form": form, "case": case})


# --- the case page ---------------------------------------------------------------------------


@case_staff_required
@never_cache
def case_detail(request, pk):
    case = _case_or_404(request, pk)
    if case.is_sensitive:
        return _render_detail(request, case, show_notes=False)
    services.notes_read(case=case, user=request.user)
    return _render_detail(request, case, show_notes=True)


@case_staff_required
@require_POST
@never_cache
def case_notes(request, pk):
    """Show the notes of a case in this response, after logging the reading with its reason."""
    case = _case_or_404(request, pk)
    form = NotesReasonForm(request.POST, auto_id="notes_%s")
    if form.is_valid():
        try:
            services.notes_read(case=case, user=request.user, reason=form.cleaned_data["reason"])
        except DomainError as error:
            form.add_error("reason", error.message)
        else:
            return _render_detail(request, case, show_notes=True)
    if not case.is_sensitive:
        return redirect(case)
    return _render_detail(request, case, show_notes=False, reason_form=form, status=400)


@case_staff_required
@require_POST
def case_status(request, pk):
    case = _case_or_404(request, pk)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the status the case moves to."))
        return redirect(case)
    to = form.cleaned_data["to"]
    run_service(
        request,
        lambda: services.case_move(
            case=case, to=to, by=request.user, reason=form.cleaned_data["reason"]
        ),
        success=_("The case is now “%(status)s”.") % {"status": CaseStatus(to).label},
    )
    return redirect(case)


def _case_action(request, case, form, *, service, success, anchor, title, action, multipart=False):
    """The shape of the case page's small forms: on a valid POST run ``service`` with the
    cleaned data and go back to the case page; otherwise show the form (again, with errors)
    on its own small page."""
    if (
        request.method == "POST"
        and form.is_valid()
        and run_service(request, lambda: service(form.cleaned_data), success=success)
    ):
        return redirect(_detail_url(case, anchor))
    return _render_action_form(request, case, form, title=title, action=action, multipart=multipart)


@case_staff_required
def entry_add(request, pk):
    case = _case_or_404(request, pk)

    def add(data):
        return services.entry_add(
            case=case,
            by=request.user,
            kind=data["kind"],
            notes=data["notes"],
            occurred_at=data["occurred_at"],
            duration_minutes=data["duration_minutes"],
            shared_with_asker=data["shared_with_asker"],
            attachments=[data["file"]] if data["file"] else [],
        )

    def success():
        if form.cleaned_data["shared_with_asker"] and case.asker_email:
            return _("The entry was added; the asker is told by e-mail.")
        return _("The entry was added.")

    form = EntryForm(request.POST or None, request.FILES or None)
    return _case_action(
        request,
        case,
        form,
        service=add,
        success=success,
        anchor="timeline",
        title=_("Add an entry"),
        action="entry_add",
        multipart=True,
    )


@case_staff_required
def party_add(request, pk):
    case = _case_or_404(request, pk)
    return _case_action(
        request,
        case,
        PartyForm(request.POST or None),
        service=lambda data: services.party_add(case=case, **data),
        success=_("The party was added."),
        anchor="parties",
        title=_("Add a party"),
        action="party_add",
    )


@case_staff_required
def outcome_add(request, pk):
    case = _case_or_404(request, pk)
    return _case_action(
        request,
        case,
        OutcomeForm(request.POST or None),
        service=lambda data: services.outcome_add(case=case, **data),
        success=_("The outcome was added."),
        anchor="outcomes",
        title=_("Add an outcome"),
        action="outcome_add",
    )


@case_staff_required
def followup_add(request, pk):
    case = _case_or_404(request, pk)
    return _case_action(
        request,
        case,
        FollowUpForm(request.POST or None, initial={"assignee": request.user.pk}),
        service=lambda data: services.followup_add(case=case, by=request.user, **data),
        success=_("The follow-up was added."),
        anchor="follow-ups",
        title=_("Add a follow-up"),
        action="followup_add",
    )


@case_staff_required
@require_POST
def followup_done(request, followup_pk):
    try:
        followup = selectors.followup_for_staff(request.user, followup_pk)
    except ObjectDoesNotExist:
        raise Http404 from None
    run_service(
        request,
        lambda: services.followup_done(followup=followup, by=request.user),
        success=_("The follow-up is done."),
    )
    # Marked done from the dashboard or from the case page: go back where it was done.
    back = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(back)
    return redirect(_detail_url(followup.case, "follow-ups"))


@case_staff_required
@never_cache
def attachment_download(request, pk, attachment_pk):
    try:
        attachment = selectors.attachment_for_staff(request.user, pk, attachment_pk)
        handle = attachment.file.open("rb")
    except (ObjectDoesNotExist, FileNotFoundError):
        raise Http404 from None
    # A file is part of the case's notes: its download is logged like a reading, and a
    # sensitive case's file needs the reason given on the case's page.
    try:
        services.attachment_read(attachment=attachment, user=request.user)
    except DomainError as error:
        handle.close()
        raise PermissionDenied(error.message) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=content_type_for(attachment.original_name),
    )
