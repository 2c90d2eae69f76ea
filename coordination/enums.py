from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class PostKind(models.TextChoices):
    NEED = "need", pgettext_lazy("board", "Need")  # 募集（求めています）
    OFFER = "offer", pgettext_lazy("board", "Offer")  # 提供（提供できます）


def other_kind(kind: str) -> str:
    return PostKind.OFFER if kind == PostKind.NEED else PostKind.NEED


class PostCategory(models.TextChoices):
    VOLUNTEERS = "volunteers", _("Volunteers")
    VENUE = "venue", _("Venue or space")
    SKILL = "skill", _("Skills or know-how")
    EQUIPMENT = "equipment", _("Equipment or goods")
    FUNDS = "funds", _("Funds")
    EMPLOYEE_VOLUNTEERING = "employee_volunteering", _("Employee volunteering")
    PARTNER = "partner", _("A partner for a project")
    OTHER = "other", pgettext_lazy("board category", "Other")


class PosterKind(models.TextChoices):
    ORGANIZATION = "organization", _("Registered organization")
    WARD = "ward", _("Ward department")


class PostStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Waiting for the center's check")  # 確認待ち
    CHANGES_REQUESTED = "changes", _("Changes requested")  # 修正依頼
    PUBLISHED = "published", _("Published")  # 掲載中
    REFUSED = "refused", pgettext_lazy("board", "Refused")  # 掲載不可
    EXPIRED = "expired", pgettext_lazy("board", "Expired")  # 掲載期限切れ
    WITHDRAWN = "withdrawn", pgettext_lazy("board", "Withdrawn")  # 取り下げ


POST_TRANSITIONS = {
    PostStatus.SUBMITTED: {
        PostStatus.PUBLISHED,
        PostStatus.CHANGES_REQUESTED,
        PostStatus.REFUSED,
        PostStatus.WITHDRAWN,
    },
    PostStatus.CHANGES_REQUESTED: {PostStatus.SUBMITTED, PostStatus.WITHDRAWN},
    PostStatus.PUBLISHED: {PostStatus.EXPIRED, PostStatus.WITHDRAWN},
    # Renewal of an expired post puts it back as it was checked (its text did not change).
    PostStatus.EXPIRED: {PostStatus.PUBLISHED, PostStatus.WITHDRAWN},
    PostStatus.REFUSED: set(),
    PostStatus.WITHDRAWN: set(),
}

# The poster may still change the text (and then the center checks it again).
EDITABLE_STATUSES = (PostStatus.SUBMITTED, PostStatus.CHANGES_REQUESTED)
# The poster may renew while it is on the board or after it ran out.
RENEWABLE_STATUSES = (PostStatus.PUBLISHED, PostStatus.EXPIRED)


class InterestOutcome(models.TextChoices):
    OPEN = "", _("Not yet known")
    MATCHED = "matched", _("Matched")  # 成立
    NOT_MATCHED = "not_matched", _("Not matched")  # 不成立


class MemberCategory(models.TextChoices):
    EXPERT = "expert", _("Academic expert")  # 学識経験者
    GROUP = "group", _("Group representative")  # 団体代表
    WARD = "ward", _("Ward official")  # 区職員


class MinutesStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")  # 作成中
    IN_REVIEW = "in_review", _("Checked by members")  # 委員確認中
    APPROVED = "approved", _("Approved")  # 承認済み
    PUBLISHED = "published", pgettext_lazy("minutes", "Published")  # 公開


MINUTES_TRANSITIONS = {
    MinutesStatus.DRAFT: {MinutesStatus.IN_REVIEW},
    MinutesStatus.IN_REVIEW: {MinutesStatus.DRAFT, MinutesStatus.APPROVED},
    MinutesStatus.APPROVED: {MinutesStatus.PUBLISHED, MinutesStatus.IN_REVIEW},
    MinutesStatus.PUBLISHED: set(),
}
