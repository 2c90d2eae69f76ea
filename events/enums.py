from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class EventKind(models.TextChoices):
    COURSE = "course", pgettext_lazy("event kind", "Course")  # 講座
    GATHERING = "gathering", _("Networking event")  # 交流イベント
    FAIR = "fair", _("Fair")  # 見本市


class Organizer(models.TextChoices):
    CENTER = "center", _("The center")
    ORGANIZATION = "organization", _("Co-hosted with a registered group")  # 共催
    WARD = "ward", _("Co-hosted with a ward department")  # 共催


class ApplicationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")  # 承認待ち (holds its seats)
    CONFIRMED = "confirmed", pgettext_lazy("application", "Confirmed")  # 申込確定
    WAITLISTED = "waitlisted", _("On the waitlist")  # キャンセル待ち
    OFFERED = "offered", _("Seat offered")  # 繰り上げ連絡中 (holds its seats)
    EXPIRED = "expired", _("Offer expired")
    DECLINED = "declined", _("Declined")
    CANCELLED = "cancelled", pgettext_lazy("application", "Cancelled")


# Applications that hold their seats: their sum never exceeds the event's capacity.
SEAT_HOLDING = (
    ApplicationStatus.PENDING,
    ApplicationStatus.CONFIRMED,
    ApplicationStatus.OFFERED,
)
# Applications still in the event (one per person or group at a time).
ACTIVE = (*SEAT_HOLDING, ApplicationStatus.WAITLISTED)

APPLICATION_TRANSITIONS = {
    ApplicationStatus.PENDING: {
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.DECLINED,
        ApplicationStatus.CANCELLED,
    },
    ApplicationStatus.CONFIRMED: {ApplicationStatus.CANCELLED},
    ApplicationStatus.WAITLISTED: {
        ApplicationStatus.OFFERED,
        ApplicationStatus.CONFIRMED,  # promoted by staff
        ApplicationStatus.CANCELLED,
    },
    ApplicationStatus.OFFERED: {
        ApplicationStatus.CONFIRMED,
        ApplicationStatus.EXPIRED,
        ApplicationStatus.CANCELLED,
    },
    ApplicationStatus.EXPIRED: set(),
    ApplicationStatus.DECLINED: set(),
    ApplicationStatus.CANCELLED: set(),
}
