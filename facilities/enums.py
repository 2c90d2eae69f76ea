from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class ResourceKind(models.TextChoices):
    ROOM = "room", _("Room")
    EQUIPMENT = "equipment", _("Equipment")
    PRINTER = "printer", _("Printer")


class BookingMode(models.TextChoices):
    SLOTS = "slots", _("Fixed time slots")  # 午前 / 午後 / 夜間 / 全日
    GRID = "grid", _("Free times on a grid")


class BookingStatus(models.TextChoices):
    TENTATIVE = "tentative", _("Provisional")  # 仮予約 (waits for staff approval)
    CONFIRMED = "confirmed", _("Confirmed")  # 確定
    USED = "used", _("Used")  # 利用済
    CANCELLED = "cancelled", pgettext_lazy("booking", "Cancelled")  # 取消
    NO_SHOW = "no_show", _("No-show")  # 無断キャンセル


# Bookings that hold their time: no other booking may overlap them.
HOLDING_STATUSES = (BookingStatus.TENTATIVE, BookingStatus.CONFIRMED)

BOOKING_TRANSITIONS = {
    BookingStatus.TENTATIVE: {BookingStatus.CONFIRMED, BookingStatus.CANCELLED},
    BookingStatus.CONFIRMED: {BookingStatus.USED, BookingStatus.CANCELLED, BookingStatus.NO_SHOW},
    BookingStatus.USED: set(),
    BookingStatus.CANCELLED: set(),
    BookingStatus.NO_SHOW: {BookingStatus.USED},  # staff correct a wrong no-show
}


class FeeUnit(models.TextChoices):
    SLOT = "slot", _("per slot")
    HOUR = "hour", _("per hour")
