"""Members' pages: booking from the availability view, the organization's bookings, one
booking with cancel and re-book, and its .ics. Outsiders get 404 (the selector filters);
members who may see but not act get 403."""

import datetime as dt
from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from icalendar import Calendar, Event

from accounts.rules import is_center_staff
from facilities import rules, selectors, services
from facilities.documents import letter_of_booking
from facilities.enums import BookingMode, BookingStatus
from facilities.feeds import feed_url
from facilities.forms import BookingForm, CancelForm
from facilities.models import Booking, CalendarFeed, MonthlyStatement
from facilities.selectors import bookable_organizations
from facilities.series import series_of_organizations
from facilities.views.gate import needs_group
from facilities.waitlist import open_waitlist_entries_of
from kyodo.bounds import parse_date, parse_int
from kyodo.exceptions import DomainError
from kyodo.models import DocumentStatus
from kyodo.selectors import center_profile
from organizations.acting import acting_organization
from organizations.rules import can_manage_organization
from organizations.selectors import memberships_of


def _initial(request, resource, organizations):
    query = request.GET
    initial = {"attendees": query.get("attendees") or None, "purpose": query.get("purpose", "")}
    acting = acting_organization(request)
    if acting is not None and organizations.filter(pk=acting.pk).exists():
        initial["organization"] = acting.pk
    if parse_date(query.get("date")):
        initial["date"] = query["date"]
    if resource.mode == BookingMode.SLOTS:
        if query.get("slot"):
            initial["slot"] = query["slot"]
    elif query.get("start"):
        initial["start_time"] = query["start"]
        try:
            start = dt.datetime.combine(dt.date.min, dt.time.fromisoformat(query["start"]))
        except ValueError:
            return initial
        length = dt.timedelta(minutes=max(resource.min_minutes, resource.grid_minutes))
        initial["end_time"] = query.get("end") or f"{(start + length).time():%H:%M}"
    return initial


def _book(*, form, resource, user) -> Booking:
    data = form.cleaned_data
    return services.booking_create_with_equipment(
        resource=resource,
        organization=data["organization"],
        start=data["start"],
        end=data["end"],
        purpose=data["purpose"],
        by=user,
        attendees=data["attendees"],
        staff=is_center_staff(user),
        equipment=data.get("equipment") or (),
    )


@login_required
def booking_create(request):
    resource = get_object_or_404(selectors.active_resources(), pk=_int(request.GET.get("resource")))
    organizations = bookable_organizations(request.user)
    if not organizations.exists():
        return needs_group(request)
    form = BookingForm(
        request.POST or None,
        resource=resource,
        organizations=organizations,
        initial=_initial(request, resource, organizations),
    )
    waitlist_url = ""
    if request.method == "POST" and form.is_valid():
        if not rules.can_book(request.user, form.cleaned_data["organization"]):
            raise PermissionDenied
        try:
            booking = _book(form=form, resource=resource, user=request.user)
        except DomainError as error:
            form.add_error(None, error.message)
            data = form.cleaned_data
            if services.overlapping(resource, data["start"], data["end"]).exists():
                # Taken: offer a place in line for exactly this time (キャンセル待ち).
                waitlist_url = (
                    reverse("facilities_series:waitlist_join")
                    + "?"
                    + urlencode(
                        {
                            "resource": resource.pk,
                            "start": data["start"].isoformat(),
                            "end": data["end"].isoformat(),
                        }
                    )
                )
        else:
            if booking.status == BookingStatus.TENTATIVE:
                messages.success(request, _("Booked provisionally: the center will confirm it."))
            else:
                messages.success(request, _("Booked."))
            return redirect("facilities:booking_detail", pk=booking.pk)
    availability_url = reverse("facilities:resource_detail", args=[resource.pk])
    prices, discount = selectors.price_table(resource)
    return render(
        request,
        "facilities/booking_form.html",
        {
            "form": form,
            "resource": resource,
            "availability_url": availability_url,
            "waitlist_url": waitlist_url,
            "prices": prices,
            "discount": discount,
            "quote": _quote(form, resource, organizations),
        },
    )


def _quote(form, resource, organizations) -> dict | None:
    """The fee of the time chosen (posted, or handed over from the availability view), for
    the organization chosen, with its 減免 and the last day to cancel — before booking."""
    if form.is_bound:
        data = form.cleaned_data if hasattr(form, "cleaned_data") else {}
        start, end, organization = data.get("start"), data.get("end"), data.get("organization")
    else:
        start, end = _initial_times(form, resource)
        organization = organizations.filter(pk=form.initial.get("organization")).first()
        organization = organization or organizations.first()
    if start is None or end is None or organization is None:
        return None
    list_price, charged, discount = services.fee_for(
        resource=resource, organization=organization, start=start, end=end
    )
    return {
        "start": start,
        "end": end,
        "organization": organization,
        "list_price": list_price,
        "charged": charged,
        "discount": discount,
        "cancel_until": services.cancel_last_day_for(start),
    }


def _initial_times(form, resource):
    """(start, end) of the time in the form's initial values, or (None, None)."""
    initial = form.initial
    try:
        date = dt.date.fromisoformat(str(initial.get("date", "")))
        if resource.mode == BookingMode.SLOTS:
            slot = resource.slots.filter(pk=int(initial.get("slot", ""))).first()
            if slot is None:
                return None, None
            starts, ends = slot.starts, slot.ends
        else:
            starts = dt.time.fromisoformat(initial.get("start_time", ""))
            ends = dt.time.fromisoformat(initial.get("end_time", ""))
    except (TypeError, ValueError):
        return None, None
    if ends <= starts:
        return None, None
    return (
        timezone.make_aware(dt.datetime.combine(date, starts)),
        timezone.make_aware(dt.datetime.combine(date, ends)),
    )


def _int(value) -> int:
    number = parse_int(value)
    if number is None:
        raise Http404
    return number


def _visible_booking(request, pk) -> Booking:
    try:
        return selectors.booking_visible_to(request.user, pk)
    except Booking.DoesNotExist:
        raise Http404 from None


def _rebook_url(booking) -> str:
    query = {"resource": booking.resource_id, "purpose": booking.purpose}
    if booking.attendees:
        query["attendees"] = booking.attendees
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    if booking.resource.mode == BookingMode.SLOTS:
        times = (start.time(), end.time())
        slot = next((s for s in booking.resource.slots.all() if (s.starts, s.ends) == times), None)
        if slot is not None:
            query["slot"] = slot.pk
    else:
        query["start"], query["end"] = f"{start:%H:%M}", f"{end:%H:%M}"
    return f"{reverse('facilities:booking_create')}?{urlencode(query)}"


@login_required
def booking_detail(request, pk):
    booking = _visible_booking(request, pk)
    deadline = services.cancel_deadline(booking)
    staff = is_center_staff(request.user)
    may_cancel = rules.can_cancel_booking(request.user, booking)
    letter = letter_of_booking(booking)
    return render(
        request,
        "facilities/booking_detail.html",
        {
            "booking": booking,
            "events": [
                (event, BookingStatus(event.new_status).label)
                for event in selectors.booking_events(booking)
            ],
            "deadline": deadline,
            "cancel_until": services.cancel_last_day(booking),
            "can_cancel": may_cancel and (staff or timezone.now() < deadline),
            "past_deadline": may_cancel and not staff and timezone.now() >= deadline,
            "can_rebook": booking.organization_id is not None
            and rules.can_book(request.user, booking.organization),
            "rebook_url": _rebook_url(booking),
            "cancel_form": CancelForm(),
            "approval_letter_ready": letter is not None and letter.status == DocumentStatus.READY,
            "receipts": booking.receipts.select_related("document").order_by("pk"),
            "document_ready": DocumentStatus.READY,
        },
    )


@require_POST
@login_required
def booking_cancel(request, pk):
    booking = _visible_booking(request, pk)
    if not rules.can_cancel_booking(request.user, booking):
        raise PermissionDenied
    form = CancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling."))
        return redirect("facilities:booking_detail", pk=booking.pk)
    try:
        services.booking_cancel(
            booking=booking,
            by=request.user,
            reason=form.cleaned_data["reason"],
            staff=is_center_staff(request.user),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking was cancelled."))
    return redirect("facilities:booking_detail", pk=booking.pk)


_ICS_STATUS = {
    BookingStatus.TENTATIVE: "TENTATIVE",
    BookingStatus.CANCELLED: "CANCELLED",
}


def booking_uid(booking) -> str:
    """A stable UID: the same booking is the same event in every calendar that holds it."""
    host = urlsplit(settings.KYODO_SITE_URL).hostname or "kyodo"
    return f"booking-{booking.pk}@{host}"


@login_required
def booking_ics(request, pk):
    booking = _visible_booking(request, pk)
    zone = ZoneInfo(settings.TIME_ZONE)
    center = center_profile()
    calendar = Calendar()
    calendar.add("prodid", "-//Kyodo Station Chuo//kyodo//JA")
    calendar.add("version", "2.0")
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", booking.start.astimezone(zone))
    event.add("dtend", booking.end.astimezone(zone))
    event.add("summary", f"{booking.resource.display_name}: {booking.purpose}")
    event.add("location", f"{center.display_name} {booking.resource.display_name}")
    event.add("status", _ICS_STATUS.get(booking.status, "CONFIRMED"))
    event.add(
        "url",
        request.build_absolute_uri(reverse("facilities:booking_detail", args=[booking.pk])),
    )
    calendar.add_component(event)
    calendar.add_missing_timezones()
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="booking-{booking.pk}.ics"'
    return response


@login_required
def booking_list(request):
    """The bookings of the user's organizations: upcoming (default) or past, 20 a page."""
    past = request.GET.get("show") == "past"
    memberships = list(memberships_of(request.user))
    organizations = [m.organization for m in memberships]
    bookings = selectors.bookings_of_organizations(organizations, upcoming=not past)
    page = Paginator(bookings, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "facilities/booking_list.html",
        {
            "page": page,
            "bookings": page.object_list,
            "past": past,
            "document_ready": DocumentStatus.READY,
            "organizations": organizations,
            "managed": _managed_boxes(request.user, organizations),
            "waiting": list(open_waitlist_entries_of(organizations)),
            "can_leave": selectors.can_book_for(request.user, memberships),
            "series": list(series_of_organizations(organizations)),
        },
    )


def _managed_boxes(user, organizations):
    """Per organization ``user`` manages: its active calendar feeds (each with the absolute
    URL a calendar subscribes to; normally one, but every active one is shown so that none
    stays open unseen) and its monthly statements, in two queries for all of them."""
    managed = [o for o in organizations if can_manage_organization(user, o)]
    if not managed:
        return []
    feeds = {}
    for feed in CalendarFeed.objects.filter(
        organization__in=managed, revoked_at__isnull=True
    ).order_by("-created_at", "-pk"):
        feed.url = feed_url(feed)
        feeds.setdefault(feed.organization_id, []).append(feed)
    statements = {}
    for statement in MonthlyStatement.objects.filter(organization__in=managed).select_related(
        "document"
    ):
        statements.setdefault(statement.organization_id, []).append(statement)
    return [
        {
            "organization": organization,
            "feeds": feeds.get(organization.pk, []),
            "statements": statements.get(organization.pk, []),
        }
        for organization in managed
    ]
