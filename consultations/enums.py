from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")  # 受付
    IN_PROGRESS = "in_progress", _("In progress")  # 対応中
    REFERRED = "referred", _("Referred / coordinating")  # 紹介・連携中
    ON_HOLD = "on_hold", _("On hold")  # 保留
    CLOSED = "closed", pgettext_lazy("case", "Closed")  # 完了


OPEN_STATUSES = (
    CaseStatus.RECEIVED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.REFERRED,
    CaseStatus.ON_HOLD,
)

CASE_TRANSITIONS = {
    CaseStatus.RECEIVED: {CaseStatus.IN_PROGRESS, CaseStatus.ON_HOLD, CaseStatus.CLOSED},
    CaseStatus.IN_PROGRESS: {CaseStatus.REFERRED, CaseStatus.ON_HOLD, CaseStatus.CLOSED},
    CaseStatus.REFERRED: {CaseStatus.IN_PROGRESS, CaseStatus.ON_HOLD, CaseStatus.CLOSED},
    CaseStatus.ON_HOLD: {CaseStatus.IN_PROGRESS, CaseStatus.CLOSED},
    CaseStatus.CLOSED: {CaseStatus.IN_PROGRESS},  # reopened when the asker comes back
}


class Channel(models.TextChoices):
    VISIT = "visit", _("At the counter")  # 来所
    PHONE = "phone", pgettext_lazy("contact method", "Phone")  # 電話
    EMAIL = "email", pgettext_lazy("contact method", "E-mail")  # メール
    ONLINE = "online", _("Online")  # オンライン (web form, online meeting)
    OUTREACH = "outreach", _("Visit by staff")  # 出張


class PartyKind(models.TextChoices):
    ORGANIZATION = "organization", _("Registered organization")
    PERSON = "person", _("Individual")
    COMPANY = "company", _("Company")
    WARD = "ward", _("Ward department")
    OTHER = "other", _("Other body")


class PartyRole(models.TextChoices):
    ASKER = "asker", _("Person asking")  # 相談者
    PARTNER = "partner", _("Partner")  # 連携先
    REFERRAL = "referral", _("Referred to")  # 紹介先


class EntryKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")  # 面談
    PHONE = "phone", _("Phone call")  # 電話
    EMAIL = "email", pgettext_lazy("contact method", "E-mail")  # メール
    MEMO = "memo", _("Internal memo")  # 内部メモ (never shown to the asker)
    REFERRAL = "referral", _("Referral")  # 紹介
    ACCOMPANY = "accompany", _("Accompanied visit")  # 同行
    ASKER_MESSAGE = "asker_message", _("Message from the asker")


class OutcomeKind(models.TextChoices):
    REGISTRATION = "registration", _("Organization registered")
    PROPOSAL = "proposal", _("Collaboration proposal")
    SUBSIDY = "subsidy", _("Subsidy application")
    BOOKING = "booking", _("Room booking")
    CASE = "case", _("Another consultation")
    OTHER = "other", _("Other")


class ContactPreference(models.TextChoices):
    EMAIL = "email", pgettext_lazy("contact method", "E-mail")
    PHONE = "phone", pgettext_lazy("contact method", "Phone")
    ONLINE = "online", _("Online meeting")
    VISIT = "visit", _("At the center")
