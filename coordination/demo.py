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


def seed_council(stdout):
    """The council's current term (the demo council member as an expert), a past meeting with
    approved, published minutes and a public and a closed material, one whose draft minutes
    members are checking, and an upcoming one."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coordination import council_services
    from coordination.enums import MinutesStatus
    from coordination.models import Attendance, CouncilMember, Meeting
    from kyodo.dates import fiscal_year, fiscal_year_range

    if Meeting.objects.exists():
        return []
    staff = User.objects.filter(email="staff@demo.kyodo.jp").first()
    council = User.objects.filter(email="council@demo.kyodo.jp").first()
    ward = User.objects.filter(email="ward@demo.kyodo.jp").first()
    if not (staff and council and ward):
        return []
    start, end = fiscal_year_range(fiscal_year(timezone.localdate()))
    term_end = end.replace(year=end.year + 1)
    chair = CouncilMember.objects.create(
        user=council, category="expert", affiliation="東京協働大学 教授",
        affiliation_en="Professor, Tokyo Kyodo University",
        term_start=start, term_end=term_end, is_chair=True,
    )  # fmt: skip
    official = CouncilMember.objects.create(
        user=ward, category="ward", affiliation="中央区区民部地域振興課",
        affiliation_en="Community Promotion Division, Chuo City",
        term_start=start, term_end=term_end,
    )  # fmt: skip
    now = timezone.now()

    def meeting(days, number):
        starts = (now + dt.timedelta(days=days)).replace(
            hour=18, minute=30, second=0, microsecond=0
        )
        return Meeting.objects.create(
            title=f"第{number}回 中央区協働推進会議",
            title_en=f"Chuo City Collaboration Promotion Council, meeting {number}",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            place="十思スクエア 会議室",
            place_en="Jisshi Square, meeting room",
            agenda="1. 協働事業提案の審査について\n2. 協働事業の評価について\n3. その他",
        )

    def pdf(name):
        return SimpleUploadedFile(name, b"%PDF-1.4\n% demo material\n", "application/pdf")

    past, checking, upcoming = meeting(-60, 1), meeting(-10, 2), meeting(30, 3)
    for item in (past, checking):
        Attendance.objects.create(meeting=item, member=chair)
        Attendance.objects.create(meeting=item, member=official, attended=item is past)
    council_services.material_add(
        meeting=past, by=staff, title="次第", upload=pdf("shidai.pdf"), is_public=True
    )
    council_services.material_add(
        meeting=past,
        by=staff,
        title="審査資料（非公開）",
        upload=pdf("shinsa.pdf"),
        is_public=False,
    )
    council_services.material_add(
        meeting=upcoming, by=staff, title="次第（案）", upload=pdf("shidai-an.pdf"), is_public=False
    )
    minutes = council_services.minutes_save(
        meeting=past, by=staff, text="出席委員：2名\n議事：協働事業提案の審査方法について協議した。"
    )
    for to in (MinutesStatus.IN_REVIEW, MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
        council_services.minutes_move(minutes=minutes, by=staff, to=to)
    draft = council_services.minutes_save(
        meeting=checking, by=staff, text="議事：協働事業の評価の進め方について意見交換した。"
    )
    council_services.minutes_move(minutes=draft, by=staff, to=MinutesStatus.IN_REVIEW)
    council_services.minutes_comment(
        minutes=draft, by=council, text="2ページ目の発言者名を確認してください。"
    )
    return []


def seed_library(stdout):
    """The library's categories and three documents: the 協働マニュアル in two versions, the
    proposal form (public) and a guide for registered groups (members only)."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from coordination import library
    from coordination.models import LibraryCategory, LibraryDocument

    if LibraryDocument.objects.exists():
        return []
    staff = User.objects.filter(email="staff@demo.kyodo.jp").first()
    if staff is None:
        return []
    guides = LibraryCategory.objects.create(name="手引き・マニュアル", name_en="Guides", order=10)
    forms = LibraryCategory.objects.create(name="様式", name_en="Forms", order=20)

    def pdf(name, text):
        return SimpleUploadedFile(name, b"%PDF-1.4\n% " + text.encode() + b"\n", "application/pdf")

    documents = [
        ("kyodo-manual", "協働マニュアル", "Collaboration manual", guides, False, 2),
        ("proposal-sheet", "協働事業提案 事業構築シート", "Proposal sheet", forms, False, 1),
        (
            "member-guide",
            "登録団体向け 施設利用の手引き",
            "Guide for registered groups",
            guides,
            True,
            1,
        ),
    ]
    for slug, title, title_en, category, members_only, versions in documents:
        document = LibraryDocument.objects.create(
            slug=slug, title=title, title_en=title_en, category=category,
            members_only=members_only, is_published=True,
            description="協働ステーション中央が作成した資料です。",
        )  # fmt: skip
        for number in range(1, versions + 1):
            library.version_add(
                document=document, by=staff, upload=pdf(f"{slug}.pdf", f"v{number}"),
                note="初版" if number == 1 else "様式の一部を改訂",
            )  # fmt: skip
    return []
