"""Demo consultations for `make run`: ~150 cases over the last 年度 and this one, with
timelines, follow-ups due today, 事前相談 for this year's proposal call and one 要配慮 case."""

import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.utils import timezone

from consultations import services
from consultations.enums import CaseStatus, Channel, EntryKind, OutcomeKind
from consultations.models import Case, Category, Entry, FollowUp
from kyodo.dates import fiscal_year, fiscal_year_range
from organizations.models import Organization

REQUESTS = {
    "団体の立ち上げ": [
        "子ども食堂を始めたいが、何から準備すればよいか",
        "任意団体の規約の作り方を知りたい",
    ],
    "運営・組織": ["会員が高齢化して役員のなり手がいない", "総会の開き方と議事録の書き方"],
    "資金調達": ["活動資金を集めるためのクラウドファンディング", "民間助成金の探し方"],
    "広報": ["チラシとSNSで参加者を増やしたい", "ホームページを作りたい"],
    "補助金申請": ["社会貢献活動事業補助金の申請書の書き方", "補助対象経費の範囲を確認したい"],
    "協働事業提案の事前相談": [
        "高齢者の見守りを区と協働で行う提案をしたい",
        "子育て支援の協働事業提案について相談したい",
    ],
    "企業の社会貢献・CSR": [
        "社員ボランティアを地域で受け入れてくれる団体を探している",
        "寄付先の団体を紹介してほしい",
    ],
    "マッチング・コーディネート": [
        "防災訓練に協力してくれる企業を紹介してほしい",
        "会場を貸してくれる団体と出会いたい",
    ],
    "その他": ["地域の困りごとをどこに相談すればよいか分からない"],
}
NOTES = [
    "来所にて面談。活動の現状と課題を伺い、次回までに資料を準備いただくこととした。",
    "電話で状況を確認。関連する講座の案内を送付。",
    "メールで必要書類の一覧を送付した。",
    "関係団体に紹介し、連絡先を共有した（本人了承済み）。",
    "区の担当課に同行し、制度の説明を受けた。",
]


def seed_consultations(stdout):
    User = get_user_model()
    staff = User.objects.filter(email="staff@demo.kyodo.jp").first()
    if staff is None or Case.objects.filter(created_by=staff).exists():
        return []
    manager = User.objects.filter(email="manager@demo.kyodo.jp").first() or staff
    rng = random.Random(16)  # noqa: S311 -- the same demo on every machine
    today = timezone.localdate()
    start, _end = fiscal_year_range(fiscal_year(today) - 1)
    span = (today - start).days
    categories = {c.name: c for c in Category.objects.all()}
    organizations = list(Organization.objects.filter(status="registered")[:30])
    member = User.objects.filter(email="member@demo.kyodo.jp").first()
    for index in range(150):
        opened = start + dt.timedelta(days=rng.randint(0, span))
        category_name = rng.choice(list(REQUESTS))
        if index < 6:  # 事前相談 for this year's call (Feb–Apr, or the last weeks)
            category_name = "協働事業提案の事前相談"
            opened = max(start, today - dt.timedelta(days=rng.randint(0, 60)))
        organization = rng.choice(organizations) if organizations and rng.random() < 0.6 else None
        request = rng.choice(REQUESTS[category_name])
        case = services.case_create(
            by=staff,
            title=request[:40],
            request=request,
            channel=rng.choice(
                [
                    Channel.VISIT,
                    Channel.VISIT,
                    Channel.PHONE,
                    Channel.EMAIL,
                    Channel.ONLINE,
                    Channel.OUTREACH,
                ]
            ),
            categories=[categories[category_name]]
            + ([categories["資金調達"]] if rng.random() < 0.15 else []),
            assigned_to=rng.choice([staff, manager]),
            organization=organization,
            asker_name="" if organization else rng.choice(["山田 太郎", "鈴木 花子", "高橋 誠"]),
            asker_email="" if organization else f"asker{index}@demo.kyodo.jp",
            asker=member if index == 7 else None,
            is_sensitive=index == 11,
            opened_on=opened,
        )
        if index == 11:
            case.title = "家族の介護と活動の両立についての相談"
            case.request = "家族の病状（要配慮個人情報）に関わる事情で活動の継続が難しい。"
            case.save(update_fields=["title", "request"])
        for step in range(rng.randint(1, 4)):
            when = timezone.make_aware(
                dt.datetime.combine(
                    min(today, opened + dt.timedelta(days=step * 3)), dt.time(10 + step, 0)
                )
            )
            Entry.objects.create(
                case=case,
                kind=rng.choice(
                    [
                        EntryKind.MEETING,
                        EntryKind.PHONE,
                        EntryKind.EMAIL,
                        EntryKind.MEMO,
                        EntryKind.REFERRAL,
                    ]
                ),
                occurred_at=when,
                duration_minutes=rng.choice([15, 30, 60, None]),
                staff=case.assigned_to,
                created_by=case.assigned_to,
                notes=rng.choice(NOTES),
            )
        age = (today - opened).days
        if age > 45 or rng.random() < 0.2:
            services.case_move(case=case, to=CaseStatus.CLOSED, by=case.assigned_to)
            Case.objects.filter(pk=case.pk).update(
                closed_on=min(today, opened + dt.timedelta(days=rng.randint(1, 40)))
            )
            if rng.random() < 0.35:
                services.outcome_add(
                    case=case,
                    kind=rng.choice(
                        [
                            OutcomeKind.REGISTRATION,
                            OutcomeKind.SUBSIDY,
                            OutcomeKind.BOOKING,
                            OutcomeKind.PROPOSAL,
                        ]
                    ),
                    organization=organization,
                )
        elif age > 3:
            services.case_move(case=case, to=CaseStatus.IN_PROGRESS, by=case.assigned_to)
            if rng.random() < 0.3:
                services.case_move(case=case, to=CaseStatus.REFERRED, by=case.assigned_to)
        if index < 3:
            FollowUp.objects.create(
                case=case,
                description="相談者へ折り返し電話",
                due_on=today,
                assignee=staff,
                created_by=staff,
            )
    if member is not None:
        mine = Case.objects.filter(asker=member).first()
        if mine is not None:
            services.entry_add(
                case=mine,
                by=staff,
                kind=EntryKind.EMAIL,
                shared_with_asker=True,
                notes="ご相談ありがとうございます。来週火曜日の面談でいかがでしょうか。",
            )
    return []
