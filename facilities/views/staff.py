"""The center staff's facility pages: today's counter (check-in, no-show, printer counts),
booking on behalf of a group, blocking time, moving or cancelling a booking with a message,
the bookings of any period with their CSV, and the monthly printer totals.

Every view is for center staff only: anyone else gets 404, as if the page did not exist.
The forms live here because only these pages use them.
"""

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.rules import is_center_staff
from facilities import documents, services, staff_selectors, staff_services
from facilities.enums import BOOKING_TRANSITIONS, BookingStatus, ResourceKind
from facilities.models import Booking, MonthlyStatement, Resource
from facilities.services import booking_create
from kyodo.actions import run_service, visible_only_to
from kyodo.bounds import BoundedDateField, BoundedIntegerField, parse_date
from kyodo.exceptions import DomainError
from kyodo.exports import csv_download
from kyodo.models import DocumentStatus
from kyodo.widgets import date_input, month_input, time_input
from kyodo.workflow import can_transition
from organizations.models import Organization

PAGE_SIZE = 50


center_staff_required = visible_only_to(is_center_staff)


# --- forms -----------------------------------------------------------------------------------


def _organizations():
    return Organization.objects.order_by("name_kana", "pk")


class TimeRangeForm(forms.Form):
    """A day with a start and an end time, cleaned to aware ``start`` and ``end``."""

    day = BoundedDateField(label=gettext_lazy("Date"), widget=date_input())
    start_time = forms.TimeField(label=gettext_lazy("From"), widget=time_input())
    end_time = forms.TimeField(label=gettext_lazy("Until"), widget=time_input())

    def clean(self):
        data = super().clean()
        day, start, end = data.get("day"), data.get("start_time"), data.get("end_time")
        if day and start and end:
            if start >= end:
                raise forms.ValidationError(_("The end comes after the start."))
            data["start"] = timezone.make_aware(dt.datetime.combine(day, start))
            data["end"] = timezone.make_aware(dt.datetime.combine(day, end))
        return data


class StaffBookingForm(TimeRangeForm):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=_organizations()
    )
    resource = forms.ModelChoiceField(
        label=gettext_lazy("Resource"), queryset=Resource.objects.filter(is_active=True)
    )
    purpose = forms.CharField(label=gettext_lazy("Purpose"), max_length=200)
    attendees = BoundedIntegerField(
        label=gettext_lazy("Expected attendees"), min_value=0, initial=0
    )

    field_order = ["organization", "resource", "day", "start_time", "end_time"]


class BlockForm(TimeRangeForm):
    resource = forms.ModelChoiceField(
        label=gettext_lazy("Resource"), queryset=Resource.objects.filter(is_active=True)
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        max_length=200,
        help_text=gettext_lazy("For example maintenance or use by the ward."),
    )

    field_order = ["resource", "day", "start_time", "end_time", "reason"]


class MessageForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the organization"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=gettext_lazy("Sent to the organization's managers by e-mail."),
    )


# The booking page holds both forms: each has its own prefix (move-message, cancel-message) so
# that their ids differ and each label points at its own field.
class MoveForm(TimeRangeForm, MessageForm):
    prefix = "move"


class CancelForm(MessageForm):
    prefix = "cancel"


class PrinterCountForm(forms.Form):
    masters = BoundedIntegerField(label=gettext_lazy("Masters"), min_value=0, initial=0)
    sheets = BoundedIntegerField(label=gettext_lazy("Sheets"), min_value=0, initial=0)


class WalkInPrinterForm(PrinterCountForm):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=_organizations()
    )
    resource = forms.ModelChoiceField(
        label=gettext_lazy("Printer"),
        queryset=Resource.objects.filter(kind=ResourceKind.PRINTER, is_active=True),
    )
    used_on = BoundedDateField(label=gettext_lazy("Used on"), widget=date_input())

    field_order = ["organization", "resource", "used_on", "masters", "sheets"]


class BookingFilterForm(forms.Form):
    start = BoundedDateField(label=gettext_lazy("From"), required=False, widget=date_input())
    end = BoundedDateField(label=gettext_lazy("Until"), required=False, widget=date_input())
    resource = forms.ModelChoiceField(
        label=gettext_lazy("Resource"), queryset=Resource.objects.all(), required=False
    )
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=_organizations(), required=False
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", "---------"), *BookingStatus.choices],
        required=False,
    )


class MonthForm(forms.Form):
    month = forms.CharField(
        label=gettext_lazy("Month"),
        help_text=gettext_lazy("As YYYY-MM, e.g. 2026-05."),
        widget=month_input(),
    )

    def clean_month(self):
        month = parse_date(f"{self.cleaned_data['month']}-01")
        if month is None:
            raise forms.ValidationError(_("Enter a month as YYYY-MM."))
        return month


class ReceiptForm(forms.Form):
    proviso = forms.CharField(
        label=gettext_lazy("Proviso"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Left empty, the usual proviso of the resource is written."),
    )


class StatementForm(MonthForm):
    organization = forms.ModelChoiceField(
        label=gettext_lazy("Organization"), queryset=Organization.objects.all()
    )


# --- helpers ---------------------------------------------------------------------------------


def _day_from(request) -> dt.date:
    return parse_date(request.GET.get("date"), timezone.localdate())


def _counter_url(day: dt.date) -> str:
    return f"{reverse('facilities_staff:counter')}?date={day:%Y-%m-%d}"


def _booking_day(booking) -> dt.date:
    return timezone.localtime(booking.start).date()


def _booking_or_404(pk):
    return get_object_or_404(Booking.objects.select_related("resource", "organization"), pk=pk)


def _mark_actions(bookings, now):
    """What staff may do with each booking, for the buttons."""
    for booking in bookings:
        booking.can_check_in = can_transition(
            BOOKING_TRANSITIONS, booking.status, BookingStatus.USED
        ) and (timezone.localtime(booking.start).date() <= timezone.localdate(now))
        booking.can_no_show = (
            can_transition(BOOKING_TRANSITIONS, booking.status, BookingStatus.NO_SHOW)
            and booking.start <= now
        )
        booking.takes_printer_count = (
            booking.resource.kind == ResourceKind.PRINTER and booking.organization_id is not None
        )
    return bookings


def _back(request, booking):
    """After a counter action: back to the booking's page or to its day at the counter."""
    if request.POST.get("next") == "detail":
        return redirect(booking_detail_url(booking))
    return redirect(_counter_url(_booking_day(booking)))


def _form_errors(form) -> str:
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


# --- the counter -----------------------------------------------------------------------------


@center_staff_required
def counter(request):
    day = _day_from(request)
    now = timezone.now()
    bookings = _mark_actions(list(staff_selectors.bookings_on(day)), now)
    return render(
        request,
        "facilities/staff_counter.html",
        {
            "day": day,
            "is_today": day == timezone.localdate(),
            "previous_day": day - dt.timedelta(days=1),
            "next_day": day + dt.timedelta(days=1),
            "bookings": bookings,
            "printer_form": WalkInPrinterForm(initial={"used_on": day}),
        },
    )


@center_staff_required
@require_POST
def approve(request, pk):
    """仮予約 → 確定 for a resource that needs approval; the confirmation (利用承認書 and
    mail) follows from booking_move_status."""
    booking = _booking_or_404(pk)
    run_service(
        request,
        lambda: services.booking_move_status(
            booking=booking, to=BookingStatus.CONFIRMED, by=request.user
        ),
        success=_("Approved: the booking is confirmed."),
    )
    return _back(request, booking)


@center_staff_required
@require_POST
def check_in(request, pk):
    booking = _booking_or_404(pk)
    run_service(
        request,
        lambda: staff_services.booking_check_in(booking=booking, by=request.user),
        success=_("Checked in."),
    )
    return _back(request, booking)


@center_staff_required
@require_POST
def no_show(request, pk):
    booking = _booking_or_404(pk)
    run_service(
        request,
        lambda: staff_services.booking_no_show(booking=booking, by=request.user),
        success=_("Recorded as a no-show."),
    )
    return _back(request, booking)


@center_staff_required
@require_POST
def booking_printer(request, pk):
    """Printer counts entered at the counter for a printer booking."""
    booking = _booking_or_404(pk)
    if booking.organization is None:
        raise Http404
    form = PrinterCountForm(request.POST, prefix=f"p{booking.pk}")
    if form.is_valid():
        run_service(
            request,
            lambda: staff_services.printer_usage_record(
                resource=booking.resource,
                organization=booking.organization,
                used_on=_booking_day(booking),
                masters=form.cleaned_data["masters"],
                sheets=form.cleaned_data["sheets"],
                by=request.user,
                booking=booking,
            ),
            success=_("The printer counts were recorded."),
        )
    else:
        messages.error(request, _form_errors(form))
    return redirect(_counter_url(_booking_day(booking)))


@center_staff_required
@require_POST
def printer_record(request):
    """Printer counts of a use without a booking (a walk-in at the counter)."""
    form = WalkInPrinterForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect(_counter_url(timezone.localdate()))
    data = form.cleaned_data
    run_service(
        request,
        lambda: staff_services.printer_usage_record(
            resource=data["resource"],
            organization=data["organization"],
            used_on=data["used_on"],
            masters=data["masters"],
            sheets=data["sheets"],
            by=request.user,
        ),
        success=_("The printer counts were recorded."),
    )
    return redirect(_counter_url(data["used_on"]))


# --- booking on behalf, blocks ---------------------------------------------------------------


@center_staff_required
def book(request):
    form = StaffBookingForm(request.POST or None, initial={"day": _day_from(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = booking_create(
                resource=data["resource"],
                organization=data["organization"],
                start=data["start"],
                end=data["end"],
                purpose=data["purpose"],
                attendees=data["attendees"],
                by=request.user,
                staff=True,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The booking was made for the organization."))
            return redirect(_counter_url(_booking_day(booking)))
    return render(request, "facilities/staff_book.html", {"form": form})


@center_staff_required
def block(request):
    form = BlockForm(request.POST or None, initial={"day": _day_from(request)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = booking_create(
                resource=data["resource"],
                organization=None,
                start=data["start"],
                end=data["end"],
                purpose=data["reason"],
                by=request.user,
                staff=True,
                is_block=True,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The time was blocked."))
            return redirect(_counter_url(_booking_day(booking)))
    return render(request, "facilities/staff_block.html", {"form": form})


# --- one booking: move and cancel ------------------------------------------------------------


def booking_detail_url(booking) -> str:
    return reverse("facilities_staff:booking_detail", args=[booking.pk])


def _detail(request, booking, *, move_form=None, cancel_form=None, status=200):
    local_start, local_end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    movable = booking.status in (BookingStatus.TENTATIVE, BookingStatus.CONFIRMED)
    return render(
        request,
        "facilities/staff_booking_detail.html",
        {
            "booking": _mark_actions([booking], timezone.now())[0],
            "events": booking.events.select_related("changed_by"),
            "usages": booking.printer_usages.select_related("recorded_by").order_by("pk"),
            "movable": movable,
            "move_form": move_form
            or MoveForm(
                initial={
                    "day": local_start.date(),
                    "start_time": local_start.time(),
                    "end_time": local_end.time(),
                }
            ),
            "cancel_form": cancel_form or CancelForm(),
            "receipts": booking.receipts.select_related("document").order_by("pk"),
            "receiptable": booking.organization_id is not None
            and booking.status in documents.HELD_STATUSES
            and booking.charged > 0,
            "receipt_form": ReceiptForm(
                initial={"proviso": f"{booking.resource.name}使用料として"}
            ),
            "document_ready": DocumentStatus.READY,
        },
        status=status,
    )


@center_staff_required
def booking_detail(request, pk):
    return _detail(request, _booking_or_404(pk))


@center_staff_required
@require_POST
def move(request, pk):
    booking = _booking_or_404(pk)
    form = MoveForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            staff_services.booking_move(
                booking=booking,
                start=data["start"],
                end=data["end"],
                by=request.user,
                message=data["message"],
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The booking was moved and the organization told."))
            return redirect(booking_detail_url(booking))
    return _detail(request, _booking_or_404(pk), move_form=form)


@center_staff_required
@require_POST
def cancel(request, pk):
    booking = _booking_or_404(pk)
    form = CancelForm(request.POST)
    if form.is_valid():
        try:
            staff_services.booking_cancel_by_staff(
                booking=booking, by=request.user, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The booking was cancelled and the organization told."))
            return redirect(booking_detail_url(booking))
    return _detail(request, _booking_or_404(pk), cancel_form=form)


@center_staff_required
@require_POST
def receipt_issue(request, pk):
    """領収書 for the booking's fee; a second one for the same booking is refused."""
    booking = _booking_or_404(pk)
    form = ReceiptForm(request.POST)
    if form.is_valid():
        run_service(
            request,
            lambda: documents.receipt_issue(
                booking=booking, by=request.user, proviso=form.cleaned_data["proviso"]
            ),
            success=_("The receipt was issued. Its PDF is ready in a moment."),
        )
    else:
        messages.error(request, _form_errors(form))
    return redirect(booking_detail_url(booking))


# --- bookings of a period, CSV ---------------------------------------------------------------


def _filtered_bookings(request):
    """The filter form and its bookings; the period defaults to the current month."""
    today = timezone.localdate()
    first, last = staff_services.month_range(today)
    form = BookingFilterForm(request.GET or None)
    data = {}
    if form.is_bound:
        form.is_valid()  # a value that does not validate is left out; the form shows why
        data = form.cleaned_data
    start = data.get("start") or first
    end = data.get("end") or last
    if end < start:
        start, end = end, start
    bookings = staff_selectors.bookings_between(
        start,
        end,
        {key: data.get(key) for key in ("resource", "organization", "status")},
    )
    return form, bookings, start, end


@center_staff_required
def booking_list(request):
    form, bookings, start, end = _filtered_bookings(request)
    page = Paginator(bookings, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "facilities/staff_booking_list.html",
        {
            "form": form,
            "page_obj": page,
            "bookings": page.object_list,
            "start": start,
            "end": end,
        },
    )


def bookings_csv_response(bookings, *, filename: str) -> HttpResponse:
    """The bookings CSV (UTF-8 with BOM), shared by the staff list and the admin action."""
    response, write = csv_download(filename)
    write(
        [
            _("Date"),
            _("From"),
            _("Until"),
            _("Resource"),
            _("Organization"),
            _("Registration number"),
            _("Blocked by staff"),
            _("Status"),
            _("Purpose"),
            _("Expected attendees"),
            _("Price before reduction"),
            _("Charged"),
            _("Reduction"),
            _("Booked by"),
            _("Booked at"),
        ]
    )
    for booking in bookings:
        start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
        organization = booking.organization
        write(
            [
                f"{start:%Y-%m-%d}",
                f"{start:%H:%M}",
                f"{end:%H:%M}",
                booking.resource.display_name,
                organization.name if organization else "",
                (organization.registration_number or "") if organization else "",
                _("yes") if booking.is_block else "",
                booking.get_status_display(),
                booking.purpose,
                booking.attendees,
                booking.list_price,
                booking.charged,
                booking.discount_name,
                booking.booked_by.email if booking.booked_by else "",
                f"{timezone.localtime(booking.created_at):%Y-%m-%d %H:%M}",
            ]
        )
    return response


@center_staff_required
def booking_export(request):
    _form, bookings, start, end = _filtered_bookings(request)
    return bookings_csv_response(bookings, filename=f"bookings-{start:%Y%m%d}-{end:%Y%m%d}.csv")


# --- printer totals --------------------------------------------------------------------------


def _month_from(request) -> tuple[MonthForm, dt.date]:
    form = MonthForm(request.GET or None, initial={"month": f"{timezone.localdate():%Y-%m}"})
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data["month"]
    return form, timezone.localdate().replace(day=1)


@center_staff_required
def printer_totals(request):
    form, month = _month_from(request)
    rows = list(staff_services.printer_monthly_totals(month=month))
    statements = {
        statement.organization_id: statement
        for statement in MonthlyStatement.objects.filter(
            month=month, organization__in=[row["organization_id"] for row in rows]
        ).select_related("document")
    }
    for row in rows:
        row["statement"] = statements.get(row["organization_id"])
    return render(
        request,
        "facilities/staff_printer_totals.html",
        {
            "form": form,
            "month": month,
            "rows": rows,
            "month_over": month < timezone.localdate().replace(day=1),
            "document_ready": DocumentStatus.READY,
            "total": {
                key: sum(row[key] for row in rows)
                for key in ("uses", "masters", "sheets", "amount")
            },
        },
    )


@center_staff_required
@require_POST
def statement_issue(request):
    """The organization's usage statement of a finished month (once; a repeat keeps the
    first). Back to that month's printer totals."""
    form = StatementForm(request.POST)
    if not form.is_valid():
        messages.error(request, _form_errors(form))
        return redirect("facilities_staff:printer_totals")
    data = form.cleaned_data
    run_service(
        request,
        lambda: documents.statement_issue(
            organization=data["organization"], month=data["month"], by=request.user
        ),
        success=_("The usage statement was issued. Its PDF is ready in a moment."),
    )
    return redirect(f"{reverse('facilities_staff:printer_totals')}?month={data['month']:%Y-%m}")


@center_staff_required
def printer_export(request):
    _form, month = _month_from(request)
    response, write = csv_download(f"printer-use-{month:%Y%m}.csv")
    write(
        [
            _("Month"),
            _("Registration number"),
            _("Organization"),
            _("Uses"),
            _("Masters"),
            _("Sheets"),
            _("Amount (yen)"),
        ]
    )
    for row in staff_services.printer_monthly_totals(month=month):
        write(
            [
                f"{month:%Y-%m}",
                row["organization__registration_number"] or "",
                row["organization__name"],
                row["uses"],
                row["masters"],
                row["sheets"],
                row["amount"],
            ]
        )
    return response
