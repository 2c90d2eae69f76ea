"""The center staff's facility pages, under /staff/ (which the two-factor middleware guards)."""

from django.urls import path

from facilities.views import staff

app_name = "facilities_staff"

urlpatterns = [
    path("staff/facilities/", staff.counter, name="counter"),
    path("staff/facilities/book/", staff.book, name="book"),
    path("staff/facilities/block/", staff.block, name="block"),
    path("staff/facilities/bookings/", staff.booking_list, name="booking_list"),
    path("staff/facilities/bookings/export.csv", staff.booking_export, name="booking_export"),
    path("staff/facilities/bookings/<id:pk>/", staff.booking_detail, name="booking_detail"),
    path("staff/facilities/bookings/<id:pk>/approve/", staff.approve, name="approve"),
    path("staff/facilities/bookings/<id:pk>/check-in/", staff.check_in, name="check_in"),
    path("staff/facilities/bookings/<id:pk>/no-show/", staff.no_show, name="no_show"),
    path(
        "staff/facilities/bookings/<id:pk>/printer/",
        staff.booking_printer,
        name="booking_printer",
    ),
    path("staff/facilities/bookings/<id:pk>/move/", staff.move, name="move"),
    path("staff/facilities/bookings/<id:pk>/cancel/", staff.cancel, name="cancel"),
    path(
        "staff/facilities/bookings/<id:pk>/receipt/",
        staff.receipt_issue,
        name="receipt_issue",
    ),
    path("staff/facilities/printers/", staff.printer_totals, name="printer_totals"),
    path("staff/facilities/printers/record/", staff.printer_record, name="printer_record"),
    path("staff/facilities/printers/export.csv", staff.printer_export, name="printer_export"),
    path("staff/facilities/statements/", staff.statement_issue, name="statement_issue"),
]
