"""Demo subsidy data for `make run`: this 年度's programme (projects in the current 年度,
applications closed) with the applications groups submitted last autumn, decided and released
(two grants, one of them reduced with a condition, and one refusal), and next 年度's
programme open for applications now, with three submitted applications and a draft by the
demo group (member@demo.kyodo.jp) to finish and submit.

Everything goes through the services, so the versions and history rows exist as if people had
done it; the submissions of the closed programme are made while it is open (time travel by
the services' ``now``). Idempotent: each programme is found again by its 年度. The services'
notices are not sent (the seeding holds the outbox).
"""

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kyodo.dates import fiscal_year, fiscal_year_label
from organizations.enums import DocumentKind, MemberRole, RegistrationStatus
from organizations.models import Organization, OrganizationDocument
from subsidies import decisions, services
from subsidies.enums import Declaration, Outcome
from subsidies.models import CostCategory, Programme

# (name, English name, eligible, cap per unit, unit, English unit, description, in English)
CATEGORIES = [
    (
        "報償費（講師謝礼）",
        "Honoraria (lecturers)",
        True,
        30_000,
        "1人あたり",
        "per person",
        "講師・専門家への謝礼。",
        "Fees for lecturers and experts.",
    ),
    (
        "印刷製本費",
        "Printing and binding",
        True,
        None,
        "",
        "",
        "チラシ・報告書の印刷。",
        "Printing leaflets and reports.",
    ),
    (
        "消耗品費",
        "Supplies",
        True,
        None,
        "",
        "",
        "事業で使い切る文具・材料。",
        "Stationery and materials used up by the project.",
    ),
    (
        "役務費（郵送料・保険料）",
        "Services (postage, insurance)",
        True,
        None,
        "",
        "",
        "郵送料、行事保険料。",
        "Postage and event insurance.",
    ),
    (
        "使用料及び賃借料",
        "Rents and hire",
        True,
        None,
        "",
        "",
        "会場使用料、機材の借用。",
        "Venue fees and hired equipment.",
    ),
    (
        "飲食費",
        "Food and drink",
        False,
        None,
        "",
        "",
        "飲食・懇親会の費用は対象外。",
        "Food, drink and social gatherings are not covered.",
    ),
    (
        "団体の運営費",
        "The group's running costs",
        False,
        None,
        "",
        "",
        "事務所の家賃、会費、構成員への報酬は対象外。",
        "Office rent, membership fees and pay for members are not covered.",
    ),
]

GUIDE = (
    "中央区内で公益的な活動を行う登録団体の事業に、経費の一部を補助します。"
    "申請の前に協働ステーション中央へご相談ください。書類審査とプレゼンテーションを経て交付を決定します。"
)
CRITERIA = "公益性・地域の必要性・実現可能性・予算の妥当性・団体の遂行能力・事業の発展性"

# (organization index in the demo list, title, [(category index, item, quantity, unit price)])
APPLICATIONS = [
    (
        1,
        "親子で学ぶ防災ワークショップ",
        [
            (0, "講師謝礼（防災士）", 2, 30_000),
            (1, "チラシ印刷", 1, 40_000),
            (4, "会場使用料", 3, 12_000),
            (5, "参加者の軽食", 40, 300),
        ],
    ),
    (
        2,
        "運河沿いの清掃と生きもの観察会",
        [
            (2, "清掃用具・軍手", 1, 60_000),
            (3, "行事保険料", 1, 15_000),
            (0, "講師謝礼（専門家）", 1, 50_000),
        ],
    ),
    (
        3,
        "ひとり暮らし高齢者のための交流サロン",
        [
            (4, "会場使用料", 12, 8_000),
            (2, "茶道具・材料", 1, 30_000),
            (1, "案内はがき印刷", 1, 25_000),
        ],
    ),
]
DRAFT_LINES = [
    (0, "講師謝礼（子ども食堂の運営者）", 1, 30_000),
    (1, "活動紹介冊子の印刷", 1, 80_000),
]


def _programme(year, *, opens, deadline, published=True):
    programme = Programme.objects.create(
        fiscal_year=year,
        title=f"{fiscal_year_label(year)} 中央区社会貢献活動事業補助金",
        title_en=f"Chuo City subsidy for public-interest activities, FY{year}",
        summary="区内で行う公益的な事業の経費の2分の1（上限30万円）を補助します。",
        guide_text=GUIDE,
        criteria_text=CRITERIA,
        is_published=published,
        applications_open_on=opens,
        application_deadline=deadline,
        document_review_on=deadline + dt.timedelta(days=20),
        presentation_on=deadline + dt.timedelta(days=40),
        decision_on=deadline + dt.timedelta(days=70),
        report_due_latest=dt.date(year + 1, 4, 30),
        advance_payment_allowed=True,
    )
    for order, row in enumerate(CATEGORIES, 1):
        name, name_en, eligible, cap, unit, unit_en, text, text_en = row
        CostCategory.objects.create(
            programme=programme,
            order=order,
            name=name,
            name_en=name_en,
            eligible=eligible,
            unit_cap=cap,
            unit_label=unit,
            unit_label_en=unit_en,
            description=text,
            description_en=text_en,
        )
    return programme


def _papers(organization, by):
    """規約 and 名簿 on file: what eligibility asks of an applicant."""
    have = set(organization.documents.values_list("kind", flat=True))
    for kind, name in ((DocumentKind.RULES, "kiyaku.pdf"), (DocumentKind.ROSTER, "meibo.pdf")):
        if kind not in have:
            OrganizationDocument.objects.create(
                organization=organization,
                kind=kind,
                file=ContentFile(b"%PDF-1.4\n%demo\n", name=name),
                original_name=name,
                size=15,
                uploaded_by=by,
            )


def _manager(organization):
    membership = organization.memberships.filter(role=MemberRole.OWNER).first()
    return membership.user if membership else None


def _write(application, *, by, lines, now, categories):
    services.application_update(
        application=application,
        by=by,
        now=now,
        data={
            "purpose": "地域の課題に住民とともに取り組み、担い手を増やす。",
            "need": "区の調査で、参加の機会が少ないという声が多い。",
            "content": "年4回の講座と交流会を区内で開く。",
            "schedule": "6月・9月・12月・2月に実施。",
            "place": "十思スクエア（日本橋小伝馬町）",
            "starts_on": dt.date(application.programme.fiscal_year, 6, 1),
            "ends_on": dt.date(application.programme.fiscal_year + 1, 2, 28),
            "effects": "参加者が地域活動に加わる。",
            "indicators": "参加者数 延べ120人、アンケート満足度80%以上。",
            "other_income": 10_000,
            "responsible_person": "代表 " + application.organization.representative_name,
            "contact_person": application.organization.representative_name,
            "contact_phone": application.organization.phone,
        },
        budget_lines=[
            {"category": categories[c], "item": item, "quantity": q, "unit_price": price}
            for c, item, q, price in lines
        ],
    )


def _apply(programme, organization, title, lines, *, now, submit):
    by = _manager(organization)
    _papers(organization, by)
    application = services.application_create(
        programme=programme, organization=organization, by=by, title=title, now=now
    )
    categories = list(CostCategory.objects.filter(programme=programme).order_by("order"))
    _write(application, by=by, lines=lines, now=now, categories=categories)
    if submit:
        services.application_submit(
            application=application, by=by, declarations=list(Declaration.values), now=now
        )
    return application


def _decide(programme, applications):
    staff = get_user_model().objects.filter(email="staff@demo.kyodo.jp").first()
    if staff is None:
        return
    full, reduced, refused = applications
    decisions.decision_save(
        application=full, by=staff, outcome=Outcome.GRANTED, amount=full.requested_amount
    )
    decisions.decision_save(
        application=reduced,
        by=staff,
        outcome=Outcome.GRANTED,
        amount=max(reduced.requested_amount - 10_000, programme.rounding_unit),
        conditions="専門家の謝礼は1人あたり30,000円までとし、実績報告に講座の写真を添付すること。",
    )
    decisions.decision_save(
        application=refused,
        by=staff,
        outcome=Outcome.NOT_GRANTED,
        reasons="事業の対象と成果指標が具体的でなく、公益性を十分に確認できませんでした。",
    )
    decisions.decisions_release(programme=programme, by=staff)


def seed_subsidies(stdout):
    if not get_user_model().objects.filter(email="member@demo.kyodo.jp").exists():
        return []
    organizations = list(
        Organization.objects.filter(status=RegistrationStatus.REGISTERED).order_by("pk")[:6]
    )
    if len(organizations) < 4:
        return []
    today = timezone.localdate()
    this_year = fiscal_year(today)
    with transaction.atomic():
        if not Programme.objects.filter(fiscal_year=this_year).exists():
            opens, deadline = dt.date(this_year - 1, 8, 5), dt.date(this_year - 1, 10, 5)
            programme = _programme(this_year, opens=opens, deadline=deadline)
            moment = timezone.make_aware(dt.datetime.combine(deadline, dt.time(12)))
            applied = [
                _apply(programme, organizations[index], title, lines, now=moment, submit=True)
                for index, title, lines in APPLICATIONS
            ]
            _decide(programme, applied)
        next_year = this_year + 1
        if not Programme.objects.filter(fiscal_year=next_year).exists():
            programme = _programme(
                next_year,
                opens=today - dt.timedelta(days=30),
                deadline=today + dt.timedelta(days=30),
            )
            for index, title, lines in APPLICATIONS:
                _apply(programme, organizations[index], title, lines, now=None, submit=True)
            _apply(
                programme,
                organizations[0],
                "こども食堂ボランティア養成講座",
                DRAFT_LINES,
                now=None,
                submit=False,
            )
    return []
