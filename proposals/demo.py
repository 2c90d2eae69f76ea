"""Demo 協働事業提案 for `make run`: last year's call, decided and released, with an adopted
project in its first year; and this year's call in review (一次審査 open) with six submitted
proposals, three drafts left unsubmitted, reviewers assigned, some scores given and some left
to the demo council member (the chair) and the demo ward official (also the 所管課 official
of two proposals).

Everything goes through the services, so the history rows exist as if people had done it;
the steps of last year's call are dated back afterwards. Idempotent: each call is found again
by its title. The services' notices (submission, opinion requests) are not sent: the console
would print each of them.
"""

import contextlib
import datetime as dt
import random

from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from kyodo.dates import fiscal_year, fiscal_year_label
from kyodo.demo import DEMO_PASSWORD, demo_user
from organizations.enums import MemberRole
from organizations.models import Organization
from proposals import projects, reviews, services
from proposals.enums import Feasibility, Outcome, ProposalKind
from proposals.models import (
    Assignment,
    Decision,
    ProjectEvent,
    ProposalEvent,
    ProposalVersion,
    Review,
    ReviewEvent,
    Round,
    Stage,
    StageEvent,
    Theme,
)

# (title, English title, department, description)
THEMES = [
    (
        "高齢者の見守りと居場所づくり",
        "Looking after older people and places to meet",
        "高齢者福祉課",
        "ひとり暮らしの高齢者が地域とつながる仕組み。",
    ),
    (
        "子育て・教育",
        "Child-rearing and education",
        "子育て支援課",
        "子育て世代の孤立を防ぎ、子どもの育ちを地域で支える。",
    ),
    ("環境", "Environment", "環境政策課", "運河・緑・ごみ減量など、区の環境をともに守る。"),
    ("安全・安心", "Safety and security", "危機管理課", "防災・防犯の担い手を地域に増やす。"),
]
# The two review stages: (name, English name).
STAGE_NAMES = {
    1: ("一次審査（書類審査）", "Stage 1 (documents)"),
    2: ("二次審査（公開プレゼンテーション）", "Stage 2 (public presentation)"),
}

# (organization, title, theme index or None for 自由型, the issue, what the project does)
PAST_PROPOSALS = [
    (
        "特定非営利活動法人まちの縁側",
        "高齢者の居場所と見守りのサロン事業",
        0,
        "ひとり暮らしの高齢者が増え、地域で孤立する人が少なくない。",
        "町会会館を使った週1回のサロンと、参加が途絶えた人への声かけ訪問。",
    ),
    (
        "人形町子育てひろば",
        "子育て世代のための防災ワークショップ",
        1,
        "乳幼児のいる家庭は避難所の情報が届きにくく、備えが遅れている。",
        "親子で参加する防災ワークショップと、子育て家庭向け防災マップづくり。",
    ),
    (
        "中央区読み聞かせの会",
        "図書館と連携した多言語読み聞かせ会",
        None,
        "外国にルーツのある子どもが本に触れる機会が少ない。",
        "区立図書館と連携し、やさしい日本語と多言語の読み聞かせ会を開く。",
    ),
    (
        "築地食文化研究会",
        "築地の食文化を伝える親子食育講座",
        None,
        "築地の食文化を知る機会が子ども世代で減っている。",
        "場外市場の店主を講師に、親子で学ぶ食育講座を年6回開く。",
    ),
]
CURRENT_PROPOSALS = [
    (
        "日本橋小伝馬町町会",
        "町会防災リーダー育成事業",
        3,
        "町会の防災訓練の担い手が高齢化し、若い世代の参加が少ない。",
        "マンション住民も対象に防災リーダー講座を開き、訓練の企画を任せる。",
    ),
    (
        "特定非営利活動法人ひとり親サポート中央",
        "ひとり親家庭の学習支援ネットワーク",
        1,
        "ひとり親家庭の子どもの学習機会に差がある。",
        "区内3か所で無料の学習会を開き、学校・児童館と情報を共有する。",
    ),
    (
        "勝どき環境ネットワーク",
        "運河の生き物調査と環境学習",
        2,
        "運河の生き物について知る区民が少なく、清掃活動の担い手も限られる。",
        "区民参加の生き物調査と、小学校での出前環境学習を行う。",
    ),
    (
        "特定非営利活動法人防災ボランティア日本橋",
        "外国人住民も参加できる避難所運営訓練",
        None,
        "外国人住民は避難所の運営訓練に参加しにくく、情報も届いていない。",
        "やさしい日本語と多言語の案内で、外国人住民と一緒に避難所運営訓練を行う。",
    ),
    (
        "特定非営利活動法人中央区子ども未来",
        "放課後の子どもの居場所ネットワーク",
        1,
        "共働き家庭が増え、放課後に過ごす場所のない子どもがいる。",
        "子ども食堂・学習会・児童館をつなぎ、居場所マップと相互紹介の仕組みをつくる。",
    ),
    (
        "特定非営利活動法人ITサポート隅田川",
        "シニアのスマホ見守りサロン",
        0,
        "スマートフォンを使えない高齢者が、区の情報や家族との連絡から取り残されている。",
        "スマホ教室を兼ねたサロンで、見守りアプリの使い方と地域情報を伝える。",
    ),
]
DRAFT_PROPOSALS = [
    ("銀座ボランティアガイドの会", "まち歩きで伝える銀座の防災史", None),
    ("新川フードバンク", "フードドライブ常設拠点の設置", None),
    ("晴海国際交流クラブ", "多言語ごみ分別ガイドづくり", 2),
]

# (e-mail, 姓, 名, セイ, メイ, role) — reviewers besides the foundation's demo log-ins
REVIEWERS = [
    ("council2@demo.kyodo.jp", "明石", "直樹", "アカシ", "ナオキ", Role.COUNCIL_MEMBER),
    ("council3@demo.kyodo.jp", "浜町", "恵子", "ハマチョウ", "ケイコ", Role.COUNCIL_MEMBER),
    ("ward2@demo.kyodo.jp", "八丁堀", "修", "ハッチョウボリ", "オサム", Role.WARD_OFFICIAL),
]

# A one-page PDF: the demo's 協定書 (the file type check reads its first bytes).
DEMO_AGREEMENT_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def _title(year: int) -> str:
    return f"{fiscal_year_label(year)} 協働事業提案"


def _title_en(year: int) -> str:
    return f"Collaboration project proposals, fiscal year {year}"


def _noon(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(12, 0)))


@contextlib.contextmanager
def _without_notices():
    """The services queue their notices for the commit; drop those queued in this block (only
    inside a transaction: seed_demo runs each seeder in one)."""
    from kyodo.models import OutboxMail

    connection = transaction.get_connection()
    queued = len(connection.run_on_commit)
    last_mail = OutboxMail.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    try:
        yield
    finally:
        if connection.in_atomic_block:
            del connection.run_on_commit[queued:]
            # The notices are outbox rows too: drop them, or the outbox sweep would send them.
            OutboxMail.objects.filter(pk__gt=last_mail).delete()


@contextlib.contextmanager
def _dated(day: dt.date):
    """Date the history rows, versions and reviews written in this block back to ``day`` (the
    services stamp them with the real time)."""
    stamped = [
        (ProposalEvent, "changed_at"),
        (StageEvent, "changed_at"),
        (ReviewEvent, "changed_at"),
        (ProjectEvent, "changed_at"),
        (ProposalVersion, "submitted_at"),
        (Review, "submitted_at"),
    ]
    marks = [(model, field, _last_pk(model)) for model, field in stamped]
    yield
    when = _noon(day)
    for model, field, mark in marks:
        rows = model.objects.filter(pk__gt=mark)
        if field == "submitted_at" and model is Review:
            rows = rows.filter(submitted_at__isnull=False)
        rows.update(**{field: when})


def _last_pk(model) -> int:
    return model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _owner(organization):
    membership = (
        organization.memberships.filter(role=MemberRole.OWNER).select_related("user").first()
    )
    return membership.user if membership else None


def _valid_organizations(names: list[str], today: dt.date) -> list:
    """The organizations of ``names`` that can propose (registered, valid, with an owner);
    a missing one is replaced by another valid demo organization."""
    pool = [
        o
        for o in Organization.objects.filter(status="registered").order_by("pk")
        if o.is_valid_on(today) and _owner(o) is not None
    ]
    by_name = {o.name: o for o in pool}
    chosen = [by_name.get(name) for name in names]
    spare = [o for o in pool if o not in chosen]
    return [o if o is not None else (spare.pop(0) if spare else None) for o in chosen]


def _sheet(issue: str, activities: str, rng) -> dict:
    return {
        "issue": issue,
        "aims": "団体の現場の知見と区の周知力を合わせ、地域の担い手を増やす。",
        "outcome_target": f"参加者の満足度{rng.choice([80, 85, 90])}%以上、継続参加者を増やす。",
        "activity_indicator": (
            f"年{rng.choice([6, 10, 12])}回の開催、延べ{rng.choice([300, 450, 600])}人の参加。"
        ),
        "beneficiary_target": "区内の対象世帯の1割に情報が届く。",
        "year1_activities": activities,
        "year1_schedule": "4〜5月 準備と周知、6月〜翌2月 実施、3月 振り返り",
        "year2_activities": "1年目の振り返りを踏まえ、実施地域を広げ、参加者を担い手に育てる。",
        "year2_schedule": "通年で実施、年度末に報告会",
        "role_group": "企画・運営、講師・スタッフの手配、参加者の募集と記録。",
        "role_ward": "会場の確保、区報・学校を通じた周知、関係機関との調整。",
        "collaboration_form": rng.choice(["cooperation", "co_hosting", "committee"]),
        "track_record": "区内で5年以上、同様の活動を続けている。",
    }


def _budget(rng) -> list[dict]:
    return [
        {"year": 1, "category": "fees", "item": "講師謝礼 1万円×6回", "amount": 60_000},
        {
            "year": 1,
            "category": "printing",
            "item": "チラシ 3,000部",
            "amount": rng.choice([30_000, 45_000]),
        },
        {"year": 1, "category": "supplies", "item": "教材・消耗品", "amount": 40_000},
        {
            "year": 1,
            "category": "venue",
            "item": "会場使用料",
            "amount": 24_000,
            "borne_by": "group",
        },
        {"year": 2, "category": "fees", "item": "講師謝礼 1万円×8回", "amount": 80_000},
        {"year": 2, "category": "printing", "item": "チラシ・報告書", "amount": 50_000},
        {"year": 2, "category": "supplies", "item": "教材・消耗品", "amount": 30_000},
    ]


def _propose(round_, organization, title, theme, *, staff, rng, now, issue="", activities=""):
    """A draft with the whole 事業構築シート and a budget, and its recorded 事前相談."""
    owner = _owner(organization)
    kind = ProposalKind.THEME if theme is not None else ProposalKind.FREE
    proposal = services.proposal_create(
        round_=round_,
        organization=organization,
        by=owner,
        kind=kind,
        title=title,
        theme=theme,
        now=now,
    )
    data = _sheet(issue or f"{title}について、地域の課題を整理している。", activities or title, rng)
    services.proposal_update(
        proposal=proposal, by=owner, data=data, budget_lines=_budget(rng), now=now
    )
    services.pre_consultation_record(
        proposal=proposal, by=staff, on=timezone.localdate(now) - dt.timedelta(days=14)
    )
    return proposal


def _score(stage, proposal, reviewer, rng, *, submit=True, base=3):
    criteria = list(stage.round.criteria.order_by("order"))
    reviews.conflict_declare(proposal=proposal, stage=stage, reviewer=reviewer, has_conflict=False)
    top = stage.round.max_points
    points = {c.pk: max(0, min(top, base + rng.choice([-1, 0, 0, 1]))) for c in criteria}
    review = reviews.review_save(
        stage=stage,
        proposal=proposal,
        reviewer=reviewer,
        points=points,
        overall_comment=rng.choice(
            [
                "地域の課題をよく捉えている。役割分担をもう少し具体的に。",
                "実績があり実現性は高い。効果の測り方を工夫してほしい。",
                "先駆的な取組。予算の積算根拠を補足してほしい。",
            ]
        ),
    )
    if submit:
        review = reviews.review_submit(review=review, by=reviewer)
    return review


def _people():
    User = get_user_model()
    staff = User.objects.filter(email="staff@demo.kyodo.jp").first()
    ward = demo_user(
        "ward@demo.kyodo.jp",
        family_name="日本橋",
        given_name="一郎",
        family_name_kana="ニホンバシ",
        given_name_kana="イチロウ",
        roles=(Role.WARD_OFFICIAL,),
    )
    council = demo_user(
        "council@demo.kyodo.jp",
        family_name="月島",
        given_name="由美",
        family_name_kana="ツキシマ",
        given_name_kana="ユミ",
        roles=(Role.COUNCIL_MEMBER,),
    )
    others = [
        demo_user(
            email,
            family_name=family,
            given_name=given,
            family_name_kana=family_kana,
            given_name_kana=given_kana,
            roles=(role,),
        )
        for email, family, given, family_kana, given_kana, role in REVIEWERS
    ]
    return staff, ward, council, others


def _make_round(year, *, dates, chair, stages):
    round_ = Round.objects.create(
        fiscal_year=year,
        title=_title(year),
        title_en=_title_en(year),
        summary="区の課題と団体の強みを合わせ、2年間の協働事業として取り組む提案を募集します。",
        guide_text=(
            "提案の前に、協働ステーション中央での事前相談（必須）を受けてください。"
            "事業構築シートに沿って、地域の課題・目的・役割分担・2年間の予算を記入します。"
        ),
        is_published=True,
        chair=chair,
        **dates,
    )
    services.round_add_default_criteria(round_=round_)
    Theme.objects.bulk_create(
        Theme(
            round=round_,
            order=order,
            title=title,
            title_en=title_en,
            department=department,
            description=text,
        )
        for order, (title, title_en, department, text) in enumerate(THEMES, start=1)
    )
    made = []
    for number, opens, deadline in stages:
        name, name_en = STAGE_NAMES[number]
        made.append(
            Stage.objects.create(
                round=round_,
                number=number,
                name=name,
                name_en=name_en,
                review_opens_on=opens,
                review_deadline=deadline,
            )
        )
    return round_, list(round_.themes.order_by("order")), made


def _seed_past(year, *, staff, ward, council, others, rng):
    """Last year's call (projects starting in 年度 ``year``): decided, released, one project
    in its first year."""
    council2, _council3, ward2 = others
    call = year - 1  # the call ran in the spring before the projects' 年度
    round_, themes, (first, second) = _make_round(
        year,
        chair=council,
        dates={
            "pre_consultation_from": dt.date(call, 2, 1),
            "pre_consultation_until": dt.date(call, 4, 30),
            "call_opens_on": dt.date(call, 2, 1),
            "submission_deadline": dt.date(call, 4, 30),
            "decision_due_on": dt.date(call, 8, 20),
        },
        stages=[
            (1, dt.date(call, 5, 15), dt.date(call, 6, 15)),
            (2, dt.date(call, 7, 10), dt.date(call, 7, 20)),
        ],
    )
    organizations = _valid_organizations(
        [name for name, *_rest in PAST_PROPOSALS], dt.date(call, 4, 1)
    )
    proposals = []
    with _without_notices(), _dated(dt.date(call, 4, 20)):
        for organization, (_name, title, theme, issue, activities) in zip(
            organizations, PAST_PROPOSALS, strict=True
        ):
            if organization is None:
                continue
            proposal = _propose(
                round_,
                organization,
                title,
                themes[theme] if theme is not None else None,
                staff=staff,
                rng=rng,
                now=_noon(dt.date(call, 4, 10)),
                issue=issue,
                activities=activities,
            )
            proposals.append(
                services.proposal_submit(
                    proposal=proposal, by=_owner(organization), now=_noon(dt.date(call, 4, 20))
                )
            )
    if len(proposals) < 2:
        return round_
    reviewers = [council, council2, ward2]
    for stage in (first, second):
        for reviewer in reviewers:
            Assignment.objects.create(stage=stage, reviewer=reviewer)
    with _dated(dt.date(call, 6, 10)):
        reviews.stage_open(stage=first, by=staff)
        for index, proposal in enumerate(proposals):
            for reviewer in reviewers:
                _score(first, proposal, reviewer, rng, base=4 if index < 2 else 2)
    with _dated(dt.date(call, 6, 16)):
        reviews.stage_close(stage=first, by=staff)
        for hour, proposal in enumerate(proposals[:2]):
            services.proposal_shortlist(
                proposal=proposal,
                stage=second,
                by=staff,
                starts_at=timezone.make_aware(dt.datetime(call, 7, 12, 13 + hour)),
                place="協働ステーション中央 会議室",
            )
    with _dated(dt.date(call, 7, 15)):
        reviews.stage_open(stage=second, by=staff)
        for index, proposal in enumerate(proposals[:2]):
            for reviewer in reviewers:
                _score(second, proposal, reviewer, rng, base=4 if index == 0 else 2)
        reviews.stage_close(stage=second, by=staff)
    adopted = proposals[0]
    services.decision_prepare(
        proposal=adopted,
        by=staff,
        outcome=Outcome.ADOPTED,
        council_comment="地域の見守りの担い手を育てる、協働の相乗効果の高い提案である。",
    )
    for proposal in proposals[1:]:
        services.decision_prepare(
            proposal=proposal,
            by=staff,
            outcome=Outcome.NOT_ADOPTED,
            council_comment="着眼点は良いが、区との役割分担と事業の継続性の検討が十分でない。",
        )
    released_at = _noon(dt.date(call, 8, 20))
    with _dated(dt.date(call, 8, 20)):
        services.decisions_release(round_=round_, by=staff, now=released_at)
    # The letters are rendered after the commit; the groups were told long ago.
    Decision.objects.filter(proposal__round=round_).update(
        notified_at=released_at, prepared_at=_noon(dt.date(call, 8, 5))
    )
    _run_project(adopted, staff=staff, year=year)
    return round_


def _run_project(proposal, *, staff, year):
    project = proposal.project
    with _dated(dt.date(year - 1, 11, 20)):
        projects.project_note_add(
            project=project,
            by=staff,
            held_on=dt.date(year - 1, 9, 12),
            text="所管課（高齢者福祉課）と初回協議。サロンの会場と見守り訪問の範囲を確認した。",
        )
        projects.project_note_add(
            project=project,
            by=staff,
            held_on=dt.date(year - 1, 11, 20),
            text="予算要求の内容を確認。講師謝礼と印刷費を区負担、会場費を団体負担とする。",
        )
    with _dated(dt.date(year, 3, 15)):
        projects.project_budget_passed(
            project=project, by=staff, on=dt.date(year, 3, 15), amount=1_200_000
        )
    with _dated(dt.date(year, 3, 28)):
        projects.project_agreement(
            project=project,
            by=staff,
            upload=ContentFile(DEMO_AGREEMENT_PDF, name="kyotei.pdf"),
            signed_on=dt.date(year, 3, 28),
            starts_on=dt.date(year, 4, 1),
            ends_on=dt.date(year + 1, 3, 31),
        )
    with _dated(dt.date(year, 4, 1)):
        projects.project_start_year(project=project, by=staff, year=1)


def _seed_current(year, *, staff, ward, council, others, rng, today):
    """This year's call (projects starting in 年度 ``year``), past its deadline: 一次審査 is
    open, some scores are in, the demo chair and ward official still have some to give."""
    council2, council3, ward2 = others
    deadline = today - dt.timedelta(days=21)
    round_, themes, (first, _second) = _make_round(
        year,
        chair=council,
        dates={
            "pre_consultation_from": today - dt.timedelta(days=120),
            "pre_consultation_until": today - dt.timedelta(days=25),
            "call_opens_on": today - dt.timedelta(days=100),
            "submission_deadline": deadline,
            "decision_due_on": today + dt.timedelta(days=60),
        },
        stages=[
            (1, today - dt.timedelta(days=14), today + dt.timedelta(days=14)),
            (2, today + dt.timedelta(days=30), today + dt.timedelta(days=40)),
        ],
    )
    written = _noon(deadline - dt.timedelta(days=20))
    submitted_on = _noon(deadline - dt.timedelta(days=2))
    names = [p[0] for p in CURRENT_PROPOSALS] + [p[0] for p in DRAFT_PROPOSALS]
    organizations = _valid_organizations(names, today)
    proposals = []
    with _without_notices(), _dated(submitted_on.date()):
        for organization, (_name, title, theme, issue, activities) in zip(
            organizations, CURRENT_PROPOSALS, strict=False
        ):
            if organization is None:
                continue
            proposal = _propose(
                round_,
                organization,
                title,
                themes[theme] if theme is not None else None,
                staff=staff,
                rng=rng,
                now=written,
                issue=issue,
                activities=activities,
            )
            proposals.append(
                services.proposal_submit(
                    proposal=proposal, by=_owner(organization), now=submitted_on
                )
            )
        drafts = organizations[len(CURRENT_PROPOSALS) :]
        for organization, (_name, title, theme) in zip(drafts, DRAFT_PROPOSALS, strict=False):
            if organization is not None:
                services.proposal_create(
                    round_=round_,
                    organization=organization,
                    by=_owner(organization),
                    kind=ProposalKind.THEME if theme is not None else ProposalKind.FREE,
                    title=title,
                    theme=themes[theme] if theme is not None else None,
                    now=written,
                )
        # The 所管課: the demo ward official gives the opinion on two, another official on
        # the rest (given already).
        for index, proposal in enumerate(proposals):
            official = ward if index in (0, 2) else ward2
            department = proposal.theme.department if proposal.theme else "地域振興課"
            services.department_assign(
                proposal=proposal, by=staff, department=department, official=official
            )
            if official == ward2:
                services.opinion_save(
                    proposal=proposal,
                    by=ward2,
                    feasibility=rng.choice([Feasibility.FEASIBLE, Feasibility.WITH_CHANGES]),
                    text="所管課として協働の意義を認める。会場と周知の協力は可能である。",
                    submit=True,
                )
    if not proposals:
        return round_
    for reviewer in (council, ward, council2, council3):
        Assignment.objects.create(stage=first, reviewer=reviewer)
    Assignment.objects.create(stage=first, reviewer=ward2, all_proposals=False).proposals.set(
        proposals[::2]
    )
    reviews.stage_open(stage=first, by=staff)
    for index, proposal in enumerate(proposals):
        base = [4, 3, 4, 2, 3, 3][index % 6]
        _score(first, proposal, council2, rng, base=base)
        if index == 1:  # the 学識経験者 advises the group: a declared conflict
            reviews.conflict_declare(
                proposal=proposal,
                stage=first,
                reviewer=council3,
                has_conflict=True,
                note="提案団体の顧問を務めているため。",
            )
        else:
            _score(first, proposal, council3, rng, base=base)
        if index % 2 == 0:
            _score(first, proposal, ward2, rng, base=base)
    # The demo log-ins: the chair has scored two and started a third; the ward official one.
    _score(first, proposals[0], council, rng, base=4)
    if len(proposals) > 2:
        _score(first, proposals[1], council, rng, base=3)
        _score(first, proposals[2], council, rng, base=4, submit=False)
    _score(first, proposals[-1], ward, rng, base=3)
    return round_


def seed_proposals(stdout):
    staff, ward, council, others = _people()
    if staff is None:
        return []
    today = timezone.localdate()
    this_year = fiscal_year(today)
    rng = random.Random(30)  # noqa: S311 -- the same demo on every machine
    with transaction.atomic():
        if not Round.objects.filter(title=_title(this_year), fiscal_year=this_year).exists():
            _seed_past(this_year, staff=staff, ward=ward, council=council, others=others, rng=rng)
        next_year = this_year + 1
        if not Round.objects.filter(title=_title(next_year), fiscal_year=next_year).exists():
            _seed_current(
                next_year,
                staff=staff,
                ward=ward,
                council=council,
                others=others,
                rng=rng,
                today=today,
            )
    return [
        (
            "区職員 (ward official: scores proposals and gives the 所管課's opinion)",
            "ward@demo.kyodo.jp",
            DEMO_PASSWORD,
        ),
        (
            "協働推進会議委員 (council member, chair of the proposal review)",
            "council@demo.kyodo.jp",
            DEMO_PASSWORD,
        ),
    ]
