"""Demo data of the board: a need of the demo 町会 (published, with a company's answer and its
coordination case), offers of companies and a ward department, one post waiting for the
center's check and one sent back for changes."""

import datetime as dt

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from coordination import services
from coordination.enums import PostStatus
from coordination.models import Post, Region, Town
from organizations.models import ActivityField, Organization
from organizations.selectors import valid_organizations


def _fields(*numbers):
    return list(ActivityField.objects.filter(number__in=numbers))


def seed_board(stdout):
    if Post.objects.exists():
        return []
    staff = User.objects.filter(groups__name=Role.CENTER_STAFF, email="staff@demo.kyodo.jp").first()
    ward = User.objects.filter(email="ward@demo.kyodo.jp").first()
    chokai = Organization.objects.filter(name="日本橋小伝馬町町会").first()
    company = valid_organizations().filter(org_type="company").order_by("pk").first()
    other = valid_organizations().filter(org_type="npo").order_by("pk").first()
    if not (staff and ward and chokai and company and other):
        return []
    nihonbashi, kyobashi = Region.objects.get(name="日本橋"), Region.objects.get(name="京橋")
    kodenmacho = Town.objects.filter(name="日本橋小伝馬町").first()
    today = timezone.localdate()
    chokai_owner = chokai.memberships.get(role="owner").user
    company_owner = company.memberships.get(role="owner").user
    other_owner = other.memberships.get(role="owner").user

    def post(by, organization, department="", **data):
        values = {
            "partner_sought": "",
            "town": None,
            "starts_on": None,
            "ends_on": None,
            **data,
        }
        fields = values.pop("fields")
        return services.post_create(
            by=by, organization=organization, department=department, data=values, fields=fields
        )

    need = post(
        chokai_owner,
        chokai,
        kind="need",
        category="volunteers",
        title="夏祭りの設営・撤収ボランティア募集",
        description="町会の夏祭り（2日間）で、テント設営と撤収を手伝ってくださる方を募集します。",
        partner_sought="近隣の企業（社員ボランティア）",
        region=nihonbashi,
        town=kodenmacho,
        starts_on=today + dt.timedelta(days=40),
        ends_on=today + dt.timedelta(days=41),
        fields=_fields(3, 9),
    )
    offer = post(
        company_owner,
        company,
        kind="offer",
        category="employee_volunteering",
        title="社員ボランティア（週末・10名程度）",
        description="地域行事の運営を社員がお手伝いします。力仕事も可能です。",
        region=nihonbashi,
        fields=_fields(3, 16),
    )
    space = post(
        other_owner,
        other,
        kind="offer",
        category="venue",
        title="会議スペースの無償提供（平日夜）",
        description="京橋の事務所の会議室（20名）を平日夜に地域団体へお貸しします。",
        region=kyobashi,
        fields=_fields(3, 19),
    )
    post(
        ward,
        None,
        department="中央区区民部地域振興課",
        kind="need",
        category="partner",
        title="防災講座の共催団体募集",
        description="区民向け防災講座を共催していただける団体を募集します。",
        partner_sought="防災・地域安全の活動実績のある団体",
        region=nihonbashi,
        fields=_fields(8, 9),
    )
    returned = post(
        chokai_owner,
        chokai,
        kind="need",
        category="equipment",
        title="テント・長机の貸出",
        description="連絡は会長の携帯 090-0000-0000 まで。",
        region=nihonbashi,
        fields=_fields(3),
    )
    for item in (need, offer, space):
        services.post_moderate(post=item, by=staff, to=PostStatus.PUBLISHED)
    services.post_moderate(
        post=returned,
        by=staff,
        to=PostStatus.CHANGES_REQUESTED,
        reason="掲載には連絡先を記載できません。電話番号を削除してください。",
    )
    services.interest_express(
        post=need,
        by=company_owner,
        organization=company,
        message="社員10名ほどで設営をお手伝いできます。",
    )
    return []
