"""Recurring bookings (a series) and キャンセル待ち (the waitlist).

Permissions: acting needs rules.can_book (a 代表管理者 or 管理者 of a validly registered
organization, or center staff). Someone who is neither a member of the series' or entry's
organization nor staff gets 404 (the queryset filters, they learn nothing); a member who may
see but not act gets 403.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts.rules import is_center_staff
from facilities import rules, series, waitlist
from facilities.documents import series_letter_of
from facilities.enums import HOLDING_STATUSES
from facilities.models import Resource, WaitlistStatus
from facilities.selectors import bookable_organizations
from facilities.services import booking_cancel
from facilities.views.gate import needs_group
from kyodo.bounds import (
    BoundedDateField,
    BoundedIntegerField,
    parse_date,
    parse_datetime,
    parse_int,
)
from kyodo.downloads import document_download
from kyodo.exceptions import DomainError
from kyodo.models import DocumentStatus
from organizations.acting import acting_organization

# --- forms -----------------------------------------------------------------------------------


class _DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class _TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class SeriesForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Book for"), queryset=None, empty_label=None
    )
    resource = forms.ModelChoiceField(
        label=gettext_lazy("Resource"), queryset=None, empty_label=None
    )
    frequency = forms.ChoiceField(label=gettext_lazy("Repeats"), choices=series.FREQUENCIES)
    first = BoundedDateField(
        label=gettext_lazy("First date"),
        widget=_DateInput(),
        help_text=gettext_lazy(
            "Its weekday (and for a monthly series which one of the month) sets the rule."
        ),
    )
    until = BoundedDateField(label=gettext_lazy("Last date"), widget=_DateInput())
    start_time = forms.TimeField(label=gettext_lazy("From"), widget=_TimeInput())
    end_time = forms.TimeField(label=gettext_lazy("Until"), widget=_TimeInput())
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)
    attendees = BoundedIntegerField(label=gettext_lazy("Expected attendees"), min_value=1)

    def __init__(self, *args, organizations, resources, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        self.fields["resource"].queryset = resources

    def clean(self):
        data = super().clean()
        first, until = data.get("first"), data.get("until")
        if first and until and until < first:
            self.add_error("until", _("The last date must not be before the first."))
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("The end must be after the start."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=500)


class WaitlistJoinForm(forms.Form):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Wait for"), queryset=None, empty_label=None
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)
    attendees = BoundedIntegerField(label=gettext_lazy("Expected attendees"), min_value=1)

    def __init__(self, *args, organizations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations


# --- helpers ---------------------------------------------------------------------------------


def _resources(user):
    resources = Resource.objects.filter(is_active=True)
    if not is_center_staff(user):
        resources = resources.filter(bookable_online=True)
    return resources.order_by("order", "pk")


def _initial_organization(request, organizations):
    acting = acting_organization(request)
    if acting is not None and organizations.filter(pk=acting.pk).exists():
        return acting.pk
    return None


def _require_can_book(user, organization):
    if not rules.can_book(user, organization):
        raise PermissionDenied


def _parse_dates(values) -> list[dt.date]:
    return [date for date in map(parse_date, values) if date is not None]


# --- series ----------------------------------------------------------------------------------


@login_required
def series_new(request):
    """The series form; "preview" shows per date free / closed / taken / refused, "book"
    books the free dates the user kept ticked."""
    organizations = bookable_organizations(request.user)
    if not organizations.exists():
        return needs_group(request)
    resources = _resources(request.user)
    initial = {
        "organization": _initial_organization(request, organizations),
        "resource": request.GET.get("resource"),
        "frequency": series.WEEKLY,
    }
    form = SeriesForm(
        request.POST or None, organizations=organizations, resources=resources, initial=initial
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _require_can_book(request.user, data["organization"])
        staff = is_center_staff(request.user)
        rule = {
            "resource": data["resource"],
            "organization": data["organization"],
            "first": data["first"],
            "frequency": data["frequency"],
            "until": data["until"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "attendees": data["attendees"],
            "staff": staff,
        }
        if request.POST.get("action") == "book":
            try:
                dates = _parse_dates(request.POST.getlist("dates"))
                if not dates:
                    raise series.SeriesError(_("Choose at least one free date to book."))
                made, booked, skipped = series.series_create(
                    **rule, purpose=data["purpose"], by=request.user, dates=dates
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                n = len(booked)
                messages.success(
                    request,
                    ngettext("%(n)d date was booked.", "%(n)d dates were booked.", n) % {"n": n},
                )
                for date, why in skipped:
                    messages.warning(request, f"{date:%Y-%m-%d}: {why}")
                return redirect("facilities_series:series_detail", pk=made.pk)
        try:
            preview = series.series_preview(**rule)
        except DomainError as error:
            form.add_error(None, error.message)
    return render(
        request,
        "facilities/series_form.html",
        {
            "form": form,
            "preview": preview,
            "free_count": sum(1 for row in preview or () if row[1] == series.FREE),
        },
    )


def _ready(document) -> bool:
    return document is not None and document.status == DocumentStatus.READY


def _visible_series(request, pk):
    return get_object_or_404(series.series_visible_to(request.user), pk=pk)


@login_required
def series_detail(request, pk):
    made = _visible_series(request, pk)
    may_act = rules.can_book(request.user, made.organization)
    now = timezone.now()
    # The deadline is the service's to check (booking_cancel says why it refuses); asking
    # for it here would cost a query per date.
    rows = [
        (booking, may_act and booking.status in HOLDING_STATUSES and booking.start > now)
        for booking in series.series_bookings(made)
    ]
    return render(
        request,
        "facilities/series_detail.html",
        {
            "series": made,
            "rows": rows,
            "can_act": may_act,
            "any_cancellable": any(cancellable for _booking, cancellable in rows),
            "letter_ready": _ready(series_letter_of(made.pk)),
            "reason_form": ReasonForm(),
        },
    )


@login_required
def series_letter(request, pk):
    """The series' one 利用承認書 (members of its organization and staff; others 404)."""
    made = _visible_series(request, pk)
    return document_download(series_letter_of(made.pk))


@require_POST
@login_required
def series_cancel(request, pk):
    made = _visible_series(request, pk)
    _require_can_book(request.user, made.organization)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling."))
        return redirect("facilities_series:series_detail", pk=made.pk)
    cancelled, kept = series.series_cancel(
        series=made,
        by=request.user,
        reason=form.cleaned_data["reason"],
        staff=is_center_staff(request.user),
    )
    n = len(cancelled)
    messages.success(
        request, ngettext("%(n)d date was cancelled.", "%(n)d dates were cancelled.", n) % {"n": n}
    )
    for booking, why in kept:
        messages.warning(request, f"{timezone.localtime(booking.start):%Y-%m-%d}: {why}")
    return redirect("facilities_series:series_detail", pk=made.pk)


@require_POST
@login_required
def series_booking_cancel(request, pk, booking_pk):
    made = _visible_series(request, pk)
    booking = get_object_or_404(made.bookings.select_related("resource"), pk=booking_pk)
    _require_can_book(request.user, made.organization)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason for cancelling."))
        return redirect("facilities_series:series_detail", pk=made.pk)
    try:
        booking_cancel(
            booking=booking,
            by=request.user,
            reason=form.cleaned_data["reason"],
            staff=is_center_staff(request.user),
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The booking was cancelled."))
    return redirect("facilities_series:series_detail", pk=made.pk)


# --- waitlist --------------------------------------------------------------------------------


def _requested_time(source):
    """The resource and time asked for (from the query or the posted form); 404 if unusable."""
    try:
        resource = Resource.objects.get(pk=parse_int(source.get("resource")), is_active=True)
    except Resource.DoesNotExist:
        raise Http404 from None
    start = parse_datetime(source.get("start"))
    end = parse_datetime(source.get("end"))
    if start is None or end is None:
        raise Http404
    return resource, start, end


@login_required
def waitlist_join(request):
    """GET ?resource=&start=&end= (from a taken time) shows the form; POST puts the
    organization in line."""
    organizations = bookable_organizations(request.user)
    if not organizations.exists():
        return needs_group(request)
    resource, start, end = _requested_time(
        request.POST if request.method == "POST" else request.GET
    )
    form = WaitlistJoinForm(
        request.POST or None,
        organizations=organizations,
        initial={"organization": _initial_organization(request, organizations)},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        _require_can_book(request.user, data["organization"])
        try:
            entry = waitlist.waitlist_join(
                resource=resource,
                organization=data["organization"],
                start=start,
                end=end,
                purpose=data["purpose"],
                attendees=data["attendees"],
                by=request.user,
                staff=is_center_staff(request.user),
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("You are on the waitlist. We will e-mail you if the time becomes free."),
            )
            return redirect("facilities_series:waitlist_offer", token=entry.token)
    return render(
        request,
        "facilities/waitlist_join.html",
        {"form": form, "resource": resource, "start": start, "end": end},
    )


def _visible_entry(request, token):
    return get_object_or_404(waitlist.waitlist_entries_visible_to(request.user), token=token)


@login_required
def waitlist_offer(request, token):
    """The entry behind the e-mail's link: its place in line, or the offer to accept while it
    is valid, or why it is no longer open. POST accepts."""
    entry = _visible_entry(request, token)
    may_act = rules.can_book(request.user, entry.organization)
    error = None
    if request.method == "POST":
        if not may_act:
            raise PermissionDenied
        try:
            entry = waitlist.waitlist_accept(
                entry=entry, by=request.user, staff=is_center_staff(request.user)
            )
        except DomainError as refused:
            error = refused.message
            entry.refresh_from_db()
        else:
            messages.success(request, _("Booked."))
            return redirect("facilities_series:waitlist_offer", token=entry.token)
    now = timezone.now()
    offer_open = entry.status == WaitlistStatus.OFFERED and entry.offer_expires_at > now
    offer_expired = entry.status == WaitlistStatus.EXPIRED or (
        entry.status == WaitlistStatus.OFFERED and not offer_open
    )
    position = waitlist.waitlist_position(entry) if entry.status == WaitlistStatus.WAITING else None
    return render(
        request,
        "facilities/waitlist_offer.html",
        {
            "entry": entry,
            "can_act": may_act,
            "offer_open": offer_open,
            "offer_expired": offer_expired,
            "position": position,
            "error": error,
            "open_statuses": waitlist.OPEN_STATUSES,
        },
    )


@require_POST
@login_required
def waitlist_withdraw(request, token):
    entry = _visible_entry(request, token)
    _require_can_book(request.user, entry.organization)
    try:
        waitlist.waitlist_withdraw(entry=entry, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You left the waitlist."))
    # Back to where the button was (マイページ, the bookings list), else the entry's page.
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("facilities_series:waitlist_offer", token=entry.token)
