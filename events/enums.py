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
