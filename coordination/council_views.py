"""Pages of the 協働推進会議: the public list of meetings (with an iCal feed), a meeting's
public page (public materials, published minutes), the members' pages (every material, the
minutes under their check, comments), staff's page per meeting (materials, minutes), and the
one download of a material, which serves a closed one to members and staff only."""

import icalendar
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from coordination import council_selectors as selectors
from coordination import council_services as services
from coordination import rules
from coordination.council_forms import (
    MOVES,
    CommentForm,
    MaterialForm,
    MinutesForm,
    MinutesMoveForm,
)
from coordination.enums import MINUTES_TRANSITIONS, MinutesStatus
from kyodo import downloads
from kyodo.actions import run_service, visible_only_to
from kyodo.exceptions import DomainError
from kyodo.localized import localized
from kyodo.mail import absolute_url

PAGE_SIZE = 20

members_only = visible_only_to(rules.can_see_council_pages)
staff_only = visible_only_to(rules.can_manage_council)


# --- public --------------------------------------------------------------------------------


def meetings(request):
    now = timezone.now()
    return render(
        request,
        "coordination/council_meetings.html",
        {
            "upcoming": list(selectors.public_upcoming(now)[:10]),
            "past": Paginator(selectors.public_past(now), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
        },
    )


def meeting(request, pk):
    found = selectors.public_meeting(pk)
    if found is None:
        raise Http404
    return render(
        request,
        "coordination/council_meeting.html",
        {"meeting": found, "minutes": selectors.published_minutes(found)},
    )


def meetings_ics(request):
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//kyodo//council//JA")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Collaboration Promotion Council"))
    stamp = timezone.now()
    for item in selectors.meetings_for_feed():
        event = icalendar.Event()
        event.add("uid", f"council-meeting-{item.pk}@kyodo")
        event.add("dtstamp", stamp)
        event.add("dtstart", timezone.localtime(item.starts_at))
        event.add("dtend", timezone.localtime(item.ends_at))
        event.add("summary", localized(item, "title"))
        event.add("location", localized(item, "place"))
        event.add("url", absolute_url(item_url(item)))
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="council.ics"'
    return response


def item_url(item) -> str:
    from django.urls import reverse

    return reverse("council:meeting", args=[item.pk])


def material_download(request, pk):
    found = selectors.material(pk)
    if found is None or not rules.can_read_material(request.user, found):
        raise Http404  # a closed material does not exist for the public
    return downloads.file_download(found.file, filename=found.original_name)


# --- members -------------------------------------------------------------------------------


@members_only
def member_home(request):
    return render(
        request,
        "coordination/council_member_home.html",
        {
            "page": Paginator(selectors.member_meetings(), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "may_manage": rules.can_manage_council(request.user),
        },
    )


@members_only
def member_meeting(request, pk, comment_form=None):
    found = selectors.member_meeting(pk)
    if found is None:
        raise Http404
    minutes = selectors.visible_minutes_for_members(found)
    return render(
        request,
        "coordination/council_member_meeting.html",
        {
            "meeting": found,
            "minutes": minutes,
            "comments": list(selectors.minutes_comments(minutes)) if minutes else [],
            "may_comment": minutes is not None and rules.can_comment_minutes(request.user, minutes),
            "comment_form": comment_form or CommentForm(),
        },
    )


@members_only
@require_POST
def minutes_comment(request, pk):
    found = selectors.member_meeting(pk)
    minutes = selectors.visible_minutes_for_members(found) if found else None
    if minutes is None or not rules.can_comment_minutes(request.user, minutes):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_comment(
                minutes=minutes, by=request.user, text=form.cleaned_data["text"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your comment was added."))
            return redirect("council:member_meeting", pk=pk)
    return member_meeting(request, pk, comment_form=form)


# --- staff ---------------------------------------------------------------------------------


@staff_only
def staff_meeting(request, pk, material_form=None, minutes_form=None):
    found = selectors.member_meeting(pk)
    if found is None:
        raise Http404
    minutes = selectors.minutes_or_none(found)
    moves = []
    if minutes is not None:
        moves = [
            (to, MOVES[to]) for to in MinutesStatus if to in MINUTES_TRANSITIONS[minutes.status]
        ]
    return render(
        request,
        "coordination/council_staff_meeting.html",
        {
            "meeting": found,
            "minutes": minutes,
            "comments": list(selectors.minutes_comments(minutes)) if minutes else [],
            "moves": moves,
            "material_form": material_form or MaterialForm(),
            "minutes_form": minutes_form
            or MinutesForm(initial={"text": minutes.text if minutes else ""}),
            "may_edit_minutes": minutes is None or minutes.status == MinutesStatus.DRAFT,
        },
    )


def _staff_meeting_or_404(pk):
    found = selectors.member_meeting(pk)
    if found is None:
        raise Http404
    return found


@staff_only
@require_POST
def staff_material_add(request, pk):
    found = _staff_meeting_or_404(pk)
    form = MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        if run_service(
            request,
            lambda: services.material_add(
                meeting=found,
                by=request.user,
                title=data["title"],
                upload=data["file"],
                is_public=data["is_public"],
            ),
            success=_("The material was added and the members told."),
        ):
            return redirect("council:staff_meeting", pk=pk)
    return staff_meeting(request, pk, material_form=form)


@staff_only
@require_POST
def staff_minutes_save(request, pk):
    found = _staff_meeting_or_404(pk)
    form = MinutesForm(request.POST)
    if form.is_valid():
        try:
            services.minutes_save(meeting=found, by=request.user, text=form.cleaned_data["text"])
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The minutes were saved."))
            return redirect("council:staff_meeting", pk=pk)
    return staff_meeting(request, pk, minutes_form=form)


@staff_only
@require_POST
def staff_minutes_move(request, pk):
    found = _staff_meeting_or_404(pk)
    minutes = selectors.minutes_or_none(found)
    form = MinutesMoveForm(request.POST)
    if minutes is None or not form.is_valid():
        raise Http404
    run_service(
        request,
        lambda: services.minutes_move(
            minutes=minutes,
            by=request.user,
            to=form.cleaned_data["to"],
            reason=form.cleaned_data["reason"],
        ),
        success=_("The minutes moved on."),
    )
    return redirect("council:staff_meeting", pk=pk)
