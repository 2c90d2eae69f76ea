"""The center staff's event pages, under /staff/events/ (which the two-factor middleware
guards). Events themselves are written in the admin; sessions here, since a session in a room
holds the room through the facilities booking service."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import applications, rules, selectors, services
from events.enums import ApplicationStatus, EventKind
from events.forms import CopyForm, EventFilterForm, SessionForm
from events.models import Application, Event, Session
from events.statistics import year_figures
from kyodo.actions import run_service, visible_only_to
from kyodo.bounds import parse_int
from kyodo.dates import fiscal_year, fiscal_year_label
from kyodo.exceptions import DomainError
from kyodo.exports import csv_download
from kyodo.localized import localized
from kyodo.questions import display_value

staff_required = visible_only_to(rules.can_manage_events)

PAGE_SIZE = 30
SHOWS = ("upcoming", "past", "all")


@staff_required
def event_list(request):
    """Every event, published or not (?kind=, ?show=upcoming|past|all, ?page=)."""
    kind = request.GET.get("kind", "")
    kind = kind if kind in EventKind.values else ""
    show = request.GET.get("show", "")
    show = show if show in SHOWS else "upcoming"
    events = selectors.staff_events(kind=kind or None, show=show)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "events/staff_event_list.html",
        {
            "page_obj": page,
            "events": page.object_list,
            "filter_form": EventFilterForm(initial={"kind": kind}),
            "show": show,
            "shows": [
                ("upcoming", _("Upcoming")),
                ("past", _("Past")),
                ("all", _("All")),
            ],
        },
    )


def _event_or_404(pk) -> Event:
    try:
        return selectors.staff_event(pk)
    except Event.DoesNotExist:
        raise Http404 from None


def _session_or_404(pk) -> Session:
    try:
        return Session.objects.select_related("event", "resource", "room_hold").get(pk=pk)
    except Session.DoesNotExist:
        raise Http404 from None


def _detail_url(event) -> str:
    return reverse("events_staff:event_detail", args=[event.pk])


@staff_required
def event_detail(request, pk):
    """The event with its sessions; a new session is added here."""
    event = _event_or_404(pk)
    form = SessionForm(request.POST or None, prefix="session")
    if request.method == "POST" and form.is_valid():
        try:
            services.session_add(event=event, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The session was added."))
            return redirect(_detail_url(event))
    return render(
        request,
        "events/staff_event_detail.html",
        {
            "event": event,
            "sessions": event.all_sessions,
            "form": form,
            "copy_form": CopyForm(prefix="copy"),
            "admin_url": reverse("admin:events_event_change", args=[event.pk]),
        },
    )


@staff_required
def session_edit(request, pk):
    """Move a session to another date, time or place (its room hold moves with it)."""
    session = _session_or_404(pk)
    if session.is_cancelled:
        raise Http404
    initial = {
        "date": session.date,
        "starts": session.starts,
        "ends": session.ends,
        "resource": session.resource,
        "place": session.place,
        "place_en": session.place_en,
        "address": session.address,
    }
    form = SessionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.session_change(session=session, by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The session was changed."))
            return redirect(_detail_url(session.event))
    return render(request, "events/staff_session_edit.html", {"session": session, "form": form})


@staff_required
@require_POST
def session_cancel(request, pk):
    session = _session_or_404(pk)
    run_service(
        request,
        lambda: services.session_cancel(session=session, by=request.user),
        success=_("The session was cancelled; its room is free again."),
    )
    return redirect(_detail_url(session.event))


@staff_required
def application_list(request, pk):
    """The applicants of an event (?status=, ?page=), with approval, promotion and cancel."""
    event = _event_or_404(pk)
    status = request.GET.get("status", "")
    status = status if status in ApplicationStatus.values else ""
    page = Paginator(
        selectors.staff_applications(event, status=status or None), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "events/staff_application_list.html",
        {
            "event": event,
            "page_obj": page,
            "applications": page.object_list,
            "status": status,
            "statuses": ApplicationStatus.choices,
            "seats_left": applications.seats_left(event),
        },
    )


ACTIONS = {
    "approve": lambda application, request: applications.application_approve(
        application=application, by=request.user
    ),
    "decline": lambda application, request: applications.application_decline(
        application=application, by=request.user, reason=request.POST.get("reason", "")
    ),
    "promote": lambda application, request: applications.application_promote(
        application=application, by=request.user
    ),
    "cancel": lambda application, request: applications.application_cancel(
        application=application, by=request.user, staff=True
    ),
}


@staff_required
@require_POST
def application_action(request, pk, action):
    if action not in ACTIONS:
        raise Http404
    try:
        application = Application.objects.select_related("event").get(pk=pk)
    except Application.DoesNotExist:
        raise Http404 from None
    run_service(
        request,
        lambda: ACTIONS[action](application, request),
        success=_("The application was updated."),
    )
    return redirect(reverse("events_staff:application_list", args=[application.event_id]))


@staff_required
@require_POST
def event_copy(request, pk):
    """A new, unpublished event from this one, its sessions some weeks later."""
    event = _event_or_404(pk)
    form = CopyForm(request.POST, prefix="copy")
    if not form.is_valid():
        messages.error(request, _("Give the number of weeks (1 to 156)."))
        return redirect(_detail_url(event))
    try:
        copy = services.event_copy(event=event, weeks=form.cleaned_data["weeks"], by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect(_detail_url(event))
    messages.success(request, _("The copy was made. Check it, then publish it in the backoffice."))
    return redirect(_detail_url(copy))


@staff_required
def application_export(request, pk):
    """The applicants as CSV for Excel (UTF-8 with BOM), with the answers (?status=)."""
    event = _event_or_404(pk)
    status = request.GET.get("status", "")
    status = status if status in ApplicationStatus.values else ""
    questions = list(event.questions.all())
    rows = selectors.staff_applications(event, status=status or None).prefetch_related("answers")
    response, write = csv_download(f"event-{event.pk}-applications.csv")
    write(
        [
            _("Applied at"),
            _("Status"),
            _("Name"),
            _("Name in katakana (フリガナ)"),
            _("E-mail"),
            _("Phone"),
            _("Organization"),
            _("Seats"),
            *[question.display_name for question in questions],
        ]
    )
    for application in rows:
        answers = {answer.question_id: answer.value for answer in application.answers.all()}
        write(
            [
                f"{timezone.localtime(application.created_at):%Y-%m-%d %H:%M}",
                application.get_status_display(),
                application.name,
                application.name_kana,
                application.email,
                application.phone,
                localized(application.organization) if application.organization_id else "",
                application.seats,
                *[
                    display_value(question, answers[question.pk]) if question.pk in answers else ""
                    for question in questions
                ],
            ]
        )
    return response


@staff_required
def statistics(request):
    """The figures per 年度 (?year=)."""
    this_year = fiscal_year(timezone.localdate())
    year = parse_int(request.GET.get("year"), this_year, minimum=2000, maximum=this_year + 5)
    return render(
        request,
        "events/staff_statistics.html",
        {
            "year": year,
            "label": fiscal_year_label(year),
            "rows": year_figures(year),
            "previous": year - 1,
            "following": year + 1,
        },
    )
