"""The organization's iCal feed (public at its secret URL; created and revoked by managers),
and the downloads of a booking's 利用承認書, a receipt and a month's usage statement (members
of the organization and center staff; anyone else gets 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from facilities.documents import letter_of_booking
from facilities.feeds import feed_create, feed_ics, feed_revoke, feed_url
from facilities.models import Booking, CalendarFeed, MonthlyStatement, Receipt
from kyodo.bounds import parse_date
from kyodo.downloads import document_download
from organizations.rules import can_manage_organization, can_view_organization
from organizations.selectors import organizations_visible_to


@require_GET
def feed(request, token):
    """No session is needed or read: calendar applications fetch this with the URL alone."""
    found = (
        CalendarFeed.objects.select_related("organization")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )
    if found is None:
        raise Http404
    response = HttpResponse(feed_ics(found), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="bookings.ics"'
    response["Cache-Control"] = "private, max-age=300"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _back(request, organization):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect(organization)


def _managed_organization(request, pk):
    """Outsiders get 404 (they learn nothing); members who may not manage get 403."""
    organization = get_object_or_404(organizations_visible_to(request.user).distinct(), pk=pk)
    if not can_manage_organization(request.user, organization):
        raise PermissionDenied
    return organization


@login_required
@require_POST
def feed_new(request, pk):
    organization = _managed_organization(request, pk)
    created = feed_create(organization=organization, by=request.user)
    messages.success(
        request,
        _("Calendar feed created. Subscribe to this address in your calendar application: %(url)s")
        % {"url": feed_url(created)},
    )
    return _back(request, organization)


@login_required
@require_POST
def feed_close(request, pk):
    found = get_object_or_404(CalendarFeed.objects.select_related("organization"), pk=pk)
    organization = _managed_organization(request, found.organization_id)
    feed_revoke(feed=found, by=request.user)
    messages.success(request, _("The calendar feed was revoked; its address no longer works."))
    return _back(request, organization)


def _viewable(request, organization):
    if organization is None or not can_view_organization(request.user, organization):
        raise Http404


@login_required
def approval_letter_download(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("organization"), pk=pk)
    _viewable(request, booking.organization)
    # A date of a series is approved by the series' one letter.
    return document_download(letter_of_booking(booking))


@login_required
def receipt_download(request, pk):
    receipt = get_object_or_404(Receipt.objects.select_related("organization", "document"), pk=pk)
    _viewable(request, receipt.organization)
    return document_download(receipt.document)


@login_required
def statement_download(request, pk, year, month):
    organization = get_object_or_404(organizations_visible_to(request.user).distinct(), pk=pk)
    _viewable(request, organization)
    first = parse_date(f"{year:04d}-{month:02d}-01")
    if first is None:
        raise Http404
    statement = (
        MonthlyStatement.objects.select_related("document")
        .filter(organization=organization, month=first)
        .first()
    )
    return document_download(statement.document if statement else None)
