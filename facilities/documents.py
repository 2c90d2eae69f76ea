"""The PDFs of 施設予約: the 利用承認書 (approval letter), the 領収書 (receipt) and the monthly
usage statement of an organization.

Each is issued once: the service writes the row that says what the document is about, then asks
kyodo for a GeneratedDocument, which a task renders after the commit with the context built
here (registered by kind when this module is imported, from FacilitiesConfig.ready()). The
wording of the documents is fixed Japanese with 和暦 dates, as official letters are.
"""

import calendar
import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from facilities.enums import BookingStatus
from facilities.models import Booking, MonthlyStatement, PrinterUsage, Receipt, Series
from kyodo import dates
from kyodo.documents import register_document_kind
from kyodo.exceptions import DomainError
from kyodo.models import GeneratedDocument
from kyodo.services import document_request

APPROVAL_KIND = "facility_approval"
SERIES_APPROVAL_KIND = "facility_series_approval"
RECEIPT_KIND = "facility_receipt"
STATEMENT_KIND = "facility_statement"

TAX_RATE = 10  # 標準税率 (%); fees of rooms and printers are never at the reduced rate
# A booking that was held (confirmed, used, or not turned up to) appears on the statement;
# provisional and cancelled ones do not.
STATEMENT_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.USED, BookingStatus.NO_SHOW)
# A letter or a receipt is for a booking that stands: confirmed, or used.
HELD_STATUSES = (BookingStatus.CONFIRMED, BookingStatus.USED)
_WEEKDAYS = "月火水木金土日"
_NUMBERING_ATTEMPTS = 5


class DocumentError(DomainError):
    pass


# --- shared helpers ------------------------------------------------------------------------


def tax_included(amount: int, rate: int = TAX_RATE) -> int:
    """The consumption tax inside a tax-included amount, rounded down (端数切捨て):
    ¥1,900 at 10% → ¥172."""
    return amount * rate // (100 + rate)


def japanese_day(value: dt.date | dt.datetime) -> str:
    """令和8年12月1日（火）"""
    day = timezone.localtime(value).date() if isinstance(value, dt.datetime) else value
    return f"{dates.wareki(day)}（{_WEEKDAYS[day.weekday()]}）"


def booking_when(booking) -> str:
    """令和8年12月1日（火） 9:00～12:00 — the time of a booking as a letter writes it."""
    start, end = timezone.localtime(booking.start), timezone.localtime(booking.end)
    return f"{japanese_day(start)} {start:%H:%M}～{end:%H:%M}"


def month_days(month: dt.date) -> tuple[dt.date, dt.date]:
    """The first day of the month and the first day of the next."""
    first = month.replace(day=1)
    return first, first + dt.timedelta(days=calendar.monthrange(first.year, first.month)[1])


def _midnight(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


# --- 利用承認書 -------------------------------------------------------------------------------


def _approval_filename(booking_id: int) -> str:
    return f"approval-letter-{booking_id}.pdf"


def approval_letter_of(booking) -> GeneratedDocument | None:
    """The booking's 利用承認書 (in whatever state), or None — read from the database, as a
    task may have linked it since ``booking`` was loaded."""
    letter = Booking.objects.filter(pk=booking.pk).values("approval_letter")[:1]
    return GeneratedDocument.objects.filter(pk__in=letter).first()


def _booking_of_letter(document) -> Booking:
    return Booking.objects.select_related("resource", "organization").get(approval_letter=document)


@transaction.atomic
def approval_letter_issue(*, booking) -> GeneratedDocument:
    """Issue the booking's 利用承認書 once; a repeat returns the letter already issued.

    The booking row is locked first (SQLite serialises write transactions anyway), so two
    workers confirming at once make one letter. Side effects: a GeneratedDocument rendered by
    a task after the commit."""
    locked = Booking.objects.select_for_update().get(pk=booking.pk)
    existing = approval_letter_of(locked)
    if existing is not None:
        return existing
    if locked.organization_id is None or locked.status not in HELD_STATUSES:
        raise DocumentError(
            _("Only a confirmed booking of an organization has an approval letter.")
        )
    document = document_request(
        kind=APPROVAL_KIND,
        template_name="pdf/facility_approval.html",
        filename=_approval_filename(locked.pk),
        language="ja",
        # Not tied to a person: kyodo's generic download serves a document to whoever asked
        # for it, but facility documents go only to the organization's current members
        # (facilities/views/feeds.py checks that).
        by=None,
    )
    # Claimed with a conditional update: the letter is linked once, whatever runs twice.
    Booking.objects.filter(pk=locked.pk, approval_letter=None).update(approval_letter=document)
    booking.approval_letter = document
    return document


def approval_context(document) -> dict:
    from facilities.services import cancel_last_day
    from kyodo.selectors import center_profile

    booking = _booking_of_letter(document)
    last_day = cancel_last_day(booking)
    return {
        "booking": booking,
        "organization": booking.organization,
        "resource": booking.resource,
        "when": booking_when(booking),
        "issued_on": timezone.localtime(document.created_at).date(),
        "reduction": booking.list_price - booking.charged,
        "cancel_until": last_day,
        "center": center_profile(),
    }


# --- 利用承認書 of a series (one letter for every date booked at once) ----------------------


def series_letter_of(series_id) -> GeneratedDocument | None:
    """The series' 利用承認書 (in whatever state), or None — read from the database."""
    if series_id is None:
        return None
    letter = Series.objects.filter(pk=series_id).values("approval_letter")[:1]
    return GeneratedDocument.objects.filter(pk__in=letter).first()


def letter_of_booking(booking) -> GeneratedDocument | None:
    """The letter that approves ``booking``: its own, else its series' (which lists it)."""
    return approval_letter_of(booking) or series_letter_of(booking.series_id)


@transaction.atomic
def series_approval_letter_issue(*, series) -> GeneratedDocument:
    """Issue the series' 利用承認書 once (a repeat returns it): one PDF listing every held
    date of the series. Side effects: a GeneratedDocument rendered by a task after the
    commit (or by the confirmation task, whichever comes first)."""
    locked = Series.objects.select_for_update().get(pk=series.pk)
    existing = series_letter_of(locked.pk)
    if existing is not None:
        return existing
    if not locked.bookings.filter(status__in=HELD_STATUSES).exists():
        raise DocumentError(
            _("Only confirmed bookings of an organization have an approval letter.")
        )
    document = document_request(
        kind=SERIES_APPROVAL_KIND,
        template_name="pdf/facility_series_approval.html",
        filename=f"approval-letter-series-{locked.pk}.pdf",
        language="ja",
        by=None,  # served only through the membership-checked views (see the letter)
    )
    Series.objects.filter(pk=locked.pk, approval_letter=None).update(approval_letter=document)
    series.approval_letter = document
    return document


def series_held_bookings(series):
    return list(
        series.bookings.filter(status__in=HELD_STATUSES)
        .select_related("resource")
        .order_by("start", "pk")
    )


def series_approval_context(document) -> dict:
    from facilities.services import cancel_last_day
    from kyodo.selectors import center_profile

    series = Series.objects.select_related("organization", "resource").get(approval_letter=document)
    bookings = series_held_bookings(series)
    lines = [
        {
            "booking": booking,
            "when": booking_when(booking),
            "list_price": booking.list_price,
            "reduction": booking.list_price - booking.charged,
            "charged": booking.charged,
            "cancel_until": cancel_last_day(booking),
        }
        for booking in bookings
    ]
    first = bookings[0] if bookings else None
    return {
        "series": series,
        "organization": series.organization,
        "resource": series.resource,
        "lines": lines,
        "purpose": first.purpose if first else "",
        "attendees": first.attendees if first else 0,
        "charged_total": sum(line["charged"] for line in lines),
        "list_price_total": sum(line["list_price"] for line in lines),
        "issued_on": timezone.localtime(document.created_at).date(),
        "center": center_profile(),
    }


# --- 領収書 -----------------------------------------------------------------------------------


def _next_receipt_number(issued_on: dt.date) -> str:
    prefix = f"R{dates.fiscal_year(issued_on)}-"
    last = (
        Receipt.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{sequence:05d}"


def _receipt_subject(booking, printer_usage) -> tuple:
    """(organization, amount, what was supplied, the usual 但し書き) of the thing paid for."""
    if booking is not None:
        if booking.organization_id is None or booking.status not in HELD_STATUSES:
            raise DocumentError(_("A receipt is issued for a confirmed or used booking only."))
        resource = booking.resource
        return (
            booking.organization,
            booking.charged,
            f"{resource.name} 使用料 {booking_when(booking)}",
            f"{resource.name}使用料として",
        )
    resource = printer_usage.resource
    return (
        printer_usage.organization,
        printer_usage.amount,
        f"{resource.name} 使用料 {japanese_day(printer_usage.used_on)}"
        f" 製版{printer_usage.masters}版・印刷{printer_usage.sheets}枚",
        f"{resource.name}使用料として",
    )


def _already_receipted(booking, printer_usage) -> bool:
    if booking is not None:
        return Receipt.objects.filter(booking=booking).exists()
    return Receipt.objects.filter(printer_usage=printer_usage).exists()


@transaction.atomic
def receipt_issue(*, booking=None, printer_usage=None, by, proviso: str) -> Receipt:
    """Issue the 領収書 for a booking or a printer use (exactly one of them), once.

    Numbered R{年度}-{sequence:05d} (R2026-00001), sequential within the 年度 and unique in the
    database: a number taken by a concurrent issue is retried with the next one. The amount is
    the charged fee, tax included (10%). Raises DocumentError for a second receipt of the same
    thing, a free use, or a booking that is not held. Side effects: the Receipt and its
    GeneratedDocument, rendered by a task after the commit."""
    if (booking is None) == (printer_usage is None):
        raise ValueError("Pass either a booking or a printer use.")
    if _already_receipted(booking, printer_usage):
        raise DocumentError(_("A receipt has already been issued for this."))
    organization, amount, description, usual_proviso = _receipt_subject(booking, printer_usage)
    if amount <= 0:
        raise DocumentError(_("There is no fee to issue a receipt for."))
    issued_on = timezone.localdate()
    for _attempt in range(_NUMBERING_ATTEMPTS):
        try:
            with transaction.atomic():
                receipt = Receipt.objects.create(
                    number=_next_receipt_number(issued_on),
                    organization=organization,
                    booking=booking,
                    printer_usage=printer_usage,
                    description=description[:200],
                    proviso=(proviso.strip() or usual_proviso)[:200],
                    amount=amount,
                    tax_rate=TAX_RATE,
                    issued_on=issued_on,
                    issued_by=by,
                )
            break
        except IntegrityError:
            # Either a concurrent issue for the same thing (refuse), or the number was taken
            # by a receipt of something else committed meanwhile (try the next number).
            if _already_receipted(booking, printer_usage):
                raise DocumentError(_("A receipt has already been issued for this.")) from None
    else:
        raise DocumentError(_("Too many receipts at once; please try again."))
    receipt.document = document_request(
        kind=RECEIPT_KIND,
        template_name="pdf/facility_receipt.html",
        filename=f"receipt-{receipt.number}.pdf",
        language="ja",
        by=None,  # served only through the membership-checked views (see the letter)
    )
    Receipt.objects.filter(pk=receipt.pk).update(document=receipt.document)
    return receipt


def receipt_context(document) -> dict:
    from kyodo.selectors import center_profile

    receipt = Receipt.objects.select_related("organization").get(document=document)
    return {
        "receipt": receipt,
        "organization": receipt.organization,
        "tax": tax_included(receipt.amount, receipt.tax_rate),
        "center": center_profile(),
    }


# --- 利用明細書 (monthly usage statement) ---------------------------------------------------------


def statement_figures(*, organization, month: dt.date) -> dict:
    """The bookings and printer uses of ``organization`` in ``month``, with totals: what the
    statement shows (list price, reduction and charged per line)."""
    first, next_first = month_days(month)
    bookings = list(
        Booking.objects.filter(
            organization=organization,
            status__in=STATEMENT_STATUSES,
            start__gte=_midnight(first),
            start__lt=_midnight(next_first),
        )
        .select_related("resource")
        .order_by("start", "pk")
    )
    booking_lines = [
        {
            "booking": booking,
            "when": booking_when(booking),
            "list_price": booking.list_price,
            "reduction": booking.list_price - booking.charged,
            "charged": booking.charged,
        }
        for booking in bookings
    ]
    usages = (
        PrinterUsage.objects.filter(
            organization=organization,
            used_on__gte=first,
            used_on__lt=next_first,
        )
        .select_related("resource")
        .order_by("used_on", "pk")
    )
    printer_lines = [{"usage": usage, "day": japanese_day(usage.used_on)} for usage in usages]
    printer_totals = usages.aggregate(
        masters=Sum("masters"), sheets=Sum("sheets"), amount=Sum("amount")
    )
    printer_total = printer_totals["amount"] or 0
    bookings_list = sum(line["list_price"] for line in booking_lines)
    bookings_charged = sum(line["charged"] for line in booking_lines)
    return {
        "booking_lines": booking_lines,
        "printer_lines": printer_lines,
        "bookings_list_price": bookings_list,
        "bookings_reduction": bookings_list - bookings_charged,
        "bookings_charged": bookings_charged,
        "printer_masters": printer_totals["masters"] or 0,
        "printer_sheets": printer_totals["sheets"] or 0,
        "printer_total": printer_total,
        "list_price_total": bookings_list + printer_total,
        "reduction_total": bookings_list - bookings_charged,
        "charged_total": bookings_charged + printer_total,
        "charged_tax": tax_included(bookings_charged + printer_total),
    }


@transaction.atomic
def statement_issue(*, organization, month: dt.date, by) -> MonthlyStatement:
    """Issue the usage statement of ``organization`` for ``month`` (any day of it), once: a
    repeat returns the statement already issued. Only a month that is over can be stated, so
    the statement never misses a later booking. Side effects: the MonthlyStatement and its
    GeneratedDocument, rendered by a task after the commit."""
    month = month.replace(day=1)
    if month >= timezone.localdate().replace(day=1):
        raise DocumentError(_("A month's statement is made once the month is over."))
    existing = MonthlyStatement.objects.filter(organization=organization, month=month).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            statement = MonthlyStatement.objects.create(
                organization=organization, month=month, issued_by=by
            )
    except IntegrityError:  # issued by a concurrent request in the meantime
        return MonthlyStatement.objects.get(organization=organization, month=month)
    statement.document = document_request(
        kind=STATEMENT_KIND,
        template_name="pdf/facility_statement.html",
        filename=f"usage-statement-{organization.pk}-{month:%Y-%m}.pdf",
        language="ja",
        by=None,  # served only through the membership-checked views (see the letter)
    )
    MonthlyStatement.objects.filter(pk=statement.pk).update(document=statement.document)
    return statement


def statement_context(document) -> dict:
    from kyodo.selectors import center_profile

    statement = MonthlyStatement.objects.select_related("organization").get(document=document)
    return {
        "statement": statement,
        "organization": statement.organization,
        "month_label": f"{dates.wareki_year(statement.month)}{statement.month.month}月分",
        "issued_on": timezone.localtime(document.created_at).date(),
        "center": center_profile(),
        **statement_figures(organization=statement.organization, month=statement.month),
    }


register_document_kind(APPROVAL_KIND, approval_context)
register_document_kind(SERIES_APPROVAL_KIND, series_approval_context)
register_document_kind(RECEIPT_KIND, receipt_context)
register_document_kind(STATEMENT_KIND, statement_context)

# Celery's autodiscovery imports tasks.py only: importing the module here (from ready())
# registers task_send_booking_reminders in every worker.
from facilities import tasks_documents  # noqa: E402, F401
