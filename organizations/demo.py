"""Demo organizations for `make run`: ~40 realistic groups of every type and status, with
members in every role. Idempotent: organizations are found again by name."""

import datetime as dt
import random

from django.utils import timezone

from kyodo.dates import fiscal_year, fiscal_year_range
from kyodo.demo import DEMO_PASSWORD, demo_user
from kyodo.text import search_key
from organizations.enums import (
    ApplicationKind,
    ApplicationStatus,
    EventAction,
    EventKind,
    MemberRole,
    OrganizationType,
    RegistrationStatus,
)
from organizations.models import (
    ActivityField,
    Application,
    Membership,
    Organization,
    OrganizationEvent,
)

T = OrganizationType
# (name, reading, type, activity fields, area, purpose, activities)
ORGANIZATIONS = [
    (
        "日本橋小伝馬町町会",
        "ニホンバシコデンマチョウチョウカイ",
        T.NEIGHBOURHOOD_AUTHORISED,
        [3, 9],
        "日本橋小伝馬町",
        "住民相互の親睦と地域の安全・安心",
        "防災訓練、夜間パトロール、夏祭り",
    ),
    (
        "月島三丁目町会",
        "ツキシマサンチョウメチョウカイ",
        T.NEIGHBOURHOOD,
        [3, 8],
        "月島",
        "町会員の親睦と住みよいまちづくり",
        "もんじゃストリート清掃、防災備蓄、盆踊り",
    ),
    (
        "佃一丁目自治会",
        "ツクダイッチョウメジチカイ",
        T.NEIGHBOURHOOD,
        [3, 9],
        "佃",
        "高層住宅と下町の交流",
        "防災井戸端会議、餅つき大会",
    ),
    (
        "晴海ふ頭まちづくり協議会",
        "ハルミフトウマチヅクリキョウギカイ",
        T.VOLUNTARY,
        [3, 7],
        "晴海",
        "新しいまちのコミュニティづくり",
        "交流イベント、花壇づくり",
    ),
    (
        "銀座ボランティアガイドの会",
        "ギンザボランティアガイドノカイ",
        T.VOLUNTARY,
        [4, 6],
        "銀座",
        "銀座の歴史と文化を伝える",
        "まち歩きガイド、外国人向け案内",
    ),
    (
        "京橋こども食堂",
        "キョウバシコドモショクドウ",
        T.VOLUNTARY,
        [13, 1],
        "京橋・八丁堀",
        "子どもの居場所と食の支援",
        "月2回の食堂、学習支援",
    ),
    (
        "人形町子育てひろば",
        "ニンギョウチョウコソダテヒロバ",
        T.VOLUNTARY,
        [13, 12],
        "人形町",
        "子育て世代の孤立を防ぐ",
        "親子サロン、子育て相談",
    ),
    (
        "中央区手話サークルみみずく",
        "チュウオウクシュワサークルミミズク",
        T.VOLUNTARY,
        [1, 10],
        "区内全域",
        "聴覚障害者との交流と手話の普及",
        "手話学習会、イベントでの手話通訳",
    ),
    (
        "勝どき環境ネットワーク",
        "カチドキカンキョウネットワーク",
        T.VOLUNTARY,
        [7],
        "勝どき・豊海",
        "運河と緑の環境保全",
        "運河清掃、生き物観察会",
    ),
    (
        "築地食文化研究会",
        "ツキジショクブンカケンキュウカイ",
        T.VOLUNTARY,
        [6, 16],
        "築地",
        "築地の食文化の継承",
        "料理教室、食の講演会",
    ),
    (
        "特定非営利活動法人まちの縁側",
        "マチノエンガワ",
        T.NPO,
        [1, 3],
        "区内全域",
        "高齢者の見守りと居場所づくり",
        "ふれあいサロン、配食見守り",
    ),
    (
        "特定非営利活動法人中央区子ども未来",
        "チュウオウクコドモミライ",
        T.NPO,
        [13, 2],
        "区内全域",
        "子どもの健全育成",
        "放課後学習、体験キャンプ",
    ),
    (
        "特定非営利活動法人多文化共生ちゅうおう",
        "タブンカキョウセイチュウオウ",
        T.NPO,
        [11, 10],
        "区内全域",
        "外国人住民の生活支援",
        "日本語教室、生活相談",
    ),
    (
        "特定非営利活動法人防災ボランティア日本橋",
        "ボウサイボランティアニホンバシ",
        T.NPO,
        [8, 9],
        "日本橋地域",
        "地域の防災力向上",
        "防災講座、避難所運営訓練",
    ),
    (
        "特定非営利活動法人ITサポート隅田川",
        "アイティーサポートスミダガワ",
        T.NPO,
        [14, 19],
        "区内全域",
        "高齢者と団体の情報化支援",
        "スマホ教室、団体のホームページ作成支援",
    ),
    (
        "認定特定非営利活動法人ささえあい中央",
        "ササエアイチュウオウ",
        T.CERTIFIED_NPO,
        [1, 19],
        "区内全域",
        "誰もが支え合う地域づくり",
        "生活支援、ボランティア育成",
    ),
    (
        "認定特定非営利活動法人湾岸ネイチャー",
        "ワンガンネイチャー",
        T.CERTIFIED_NPO,
        [7, 2],
        "湾岸地域",
        "水辺の自然環境教育",
        "干潟観察会、環境学習",
    ),
    (
        "一般社団法人日本橋文化振興会",
        "ニホンバシブンカシンコウカイ",
        T.GENERAL_ASSOCIATION,
        [6, 4],
        "日本橋",
        "伝統文化の継承と発信",
        "伝統芸能公演、職人体験",
    ),
    (
        "一般社団法人ちゅうおうシニア大学",
        "チュウオウシニアダイガク",
        T.GENERAL_ASSOCIATION,
        [2, 1],
        "区内全域",
        "シニアの学びと社会参加",
        "連続講座、地域活動の紹介",
    ),
    (
        "一般財団法人隅田川まちづくり基金",
        "スミダガワマチヅクリキキン",
        T.GENERAL_FOUNDATION,
        [3, 19],
        "区内全域",
        "まちづくり活動への助成",
        "助成事業、活動報告会",
    ),
    (
        "公益社団法人中央区シルバー人材協会",
        "チュウオウクシルバージンザイキョウカイ",
        T.PUBLIC_ASSOCIATION,
        [17, 1],
        "区内全域",
        "高齢者の就業機会の確保",
        "就業相談、技能講習",
    ),
    (
        "公益財団法人中央区文化振興財団",
        "チュウオウクブンカシンコウザイダン",
        T.PUBLIC_FOUNDATION,
        [6],
        "区内全域",
        "区民文化の振興",
        "音楽会、美術展",
    ),
    (
        "社会福祉法人あかつき福祉会",
        "アカツキフクシカイ",
        T.SOCIAL_WELFARE,
        [1, 17],
        "区内全域",
        "障害のある人の地域生活支援",
        "就労継続支援、グループホーム",
    ),
    (
        "学校法人築地学園",
        "ツキジガクエン",
        T.SCHOOL,
        [2, 13],
        "築地",
        "地域に開かれた学校づくり",
        "公開講座、学生ボランティア",
    ),
    (
        "日本橋商店街協同組合",
        "ニホンバシショウテンガイキョウドウクミアイ",
        T.COOPERATIVE,
        [16, 3],
        "日本橋",
        "商店街の活性化",
        "朝市、スタンプラリー",
    ),
    (
        "株式会社ブリッジ不動産",
        "ブリッジフドウサン",
        T.COMPANY,
        [3, 7],
        "八丁堀",
        "CSR: 地域の緑化と清掃",
        "社員ボランティア清掃、花壇の寄贈",
    ),
    (
        "株式会社銀座テック",
        "ギンザテック",
        T.COMPANY,
        [14, 15],
        "銀座",
        "CSR: 子どものプログラミング教育",
        "プログラミング教室、出前授業",
    ),
    (
        "中央区読み聞かせの会",
        "チュウオウクヨミキカセノカイ",
        T.VOLUNTARY,
        [2, 13],
        "区内全域",
        "子どもと本をつなぐ",
        "図書館・保育園での読み聞かせ",
    ),
    (
        "明石町ウォーキングクラブ",
        "アカシチョウウォーキングクラブ",
        T.VOLUNTARY,
        [1, 6],
        "明石町",
        "健康づくりと仲間づくり",
        "週1回のウォーキング、健康講座",
    ),
    (
        "浜町音楽サロン",
        "ハマチョウオンガクサロン",
        T.VOLUNTARY,
        [6],
        "浜町",
        "音楽で地域をつなぐ",
        "サロンコンサート",
    ),
    (
        "新川フードバンク",
        "シンカワフードバンク",
        T.VOLUNTARY,
        [1, 18],
        "新川・八丁堀",
        "食品ロス削減と生活困窮者支援",
        "フードドライブ、食品配布",
    ),
    (
        "入船防犯ボランティア",
        "イリフネボウハンボランティア",
        T.VOLUNTARY,
        [9],
        "入船",
        "子どもの見守り",
        "登下校の見守り",
    ),
    ("湊町内会", "ミナトチョウナイカイ", T.NEIGHBOURHOOD, [3], "湊", "住民の親睦", "清掃、敬老会"),
    (
        "八重洲ビジネス街ボランティア",
        "ヤエスビジネスガイボランティア",
        T.VOLUNTARY,
        [3, 16],
        "八重洲",
        "働く人の地域参加",
        "昼休み清掃、献血呼びかけ",
    ),
    (
        "東日本橋男女共同参画の会",
        "ヒガシニホンバシダンジョキョウドウサンカクノカイ",
        T.VOLUNTARY,
        [12],
        "東日本橋",
        "男女共同参画の推進",
        "学習会、パネル展",
    ),
    (
        "特定非営利活動法人消費者ネットちゅうおう",
        "ショウヒシャネットチュウオウ",
        T.NPO,
        [18, 2],
        "区内全域",
        "消費者被害の防止",
        "出前講座、相談会",
    ),
    (
        "堀留町歴史研究会",
        "ホリドメチョウレキシケンキュウカイ",
        T.VOLUNTARY,
        [6, 2],
        "堀留町",
        "地域の歴史の記録",
        "聞き取り調査、冊子の発行",
    ),
    (
        "特定非営利活動法人ひとり親サポート中央",
        "ヒトリオヤサポートチュウオウ",
        T.NPO,
        [13, 12],
        "区内全域",
        "ひとり親家庭の支援",
        "相談会、学習支援",
    ),
    (
        "晴海国際交流クラブ",
        "ハルミコクサイコウリュウクラブ",
        T.VOLUNTARY,
        [11],
        "晴海",
        "外国人住民との交流",
        "交流パーティー、料理教室",
    ),
    (
        "銀座緑化ボランティア",
        "ギンザリョクカボランティア",
        T.VOLUNTARY,
        [7, 3],
        "銀座",
        "まちの緑を育てる",
        "屋上緑化、植栽の手入れ",
    ),
]

# Status by position: most registered, and a few of every other status (issue 3's demo).
STATUS_PLAN = {
    5: "applying",
    12: "applying",
    18: "returned",
    26: "returned",
    29: "expired",
    33: "expired",
    35: "suspended",
    38: "renewal",
}

FIRST_NAMES = ["太郎", "花子", "一郎", "由美", "健", "明美", "誠", "さくら", "大輔", "陽子"]
FAMILY = [
    ("佐藤", "サトウ"),
    ("鈴木", "スズキ"),
    ("高橋", "タカハシ"),
    ("田中", "タナカ"),
    ("伊藤", "イトウ"),
    ("渡辺", "ワタナベ"),
    ("山本", "ヤマモト"),
    ("中村", "ナカムラ"),
]
KANA_GIVEN = {
    "太郎": "タロウ",
    "花子": "ハナコ",
    "一郎": "イチロウ",
    "由美": "ユミ",
    "健": "ケン",
    "明美": "アケミ",
    "誠": "マコト",
    "さくら": "サクラ",
    "大輔": "ダイスケ",
    "陽子": "ヨウコ",
}


def _person(rng, index, org_index):
    family, family_kana = FAMILY[(org_index + index) % len(FAMILY)]
    given = FIRST_NAMES[(org_index * 3 + index) % len(FIRST_NAMES)]
    return demo_user(
        f"org{org_index + 1:02d}.{index}@demo.kyodo.jp",
        family_name=family,
        given_name=given,
        family_name_kana=family_kana,
        given_name_kana=KANA_GIVEN[given],
    )


def seed_organizations(stdout):
    rng = random.Random(2026)  # noqa: S311 -- the same demo on every machine
    today = timezone.localdate()
    year = fiscal_year(today)
    _start, end_of_year = fiscal_year_range(year)
    fields = {f.number: f for f in ActivityField.objects.all()}
    member_login = demo_user(
        "member@demo.kyodo.jp",
        family_name="佃",
        given_name="健太",
        family_name_kana="ツクダ",
        given_name_kana="ケンタ",
    )
    for index, (name, kana, org_type, numbers, area, purpose, activities) in enumerate(
        ORGANIZATIONS
    ):
        if Organization.objects.filter(name=name).exists():
            continue
        plan = STATUS_PLAN.get(index, "registered")
        status = {
            "applying": RegistrationStatus.APPLYING,
            "returned": RegistrationStatus.APPLYING,
            "expired": RegistrationStatus.EXPIRED,
            "suspended": RegistrationStatus.SUSPENDED,
        }.get(plan, RegistrationStatus.REGISTERED)
        registered = status != RegistrationStatus.APPLYING
        valid_until = (
            dt.date(year, 3, 31)
            if status == RegistrationStatus.EXPIRED
            else end_of_year
            if registered
            else None
        )
        organization = Organization.objects.create(
            name=name,
            name_kana=kana,
            search_key=search_key(name + kana),
            org_type=org_type,
            corporate_number=_corporate_number(index)
            if org_type not in {T.NEIGHBOURHOOD, T.VOLUNTARY}
            else "",
            established_on=dt.date(1990 + index % 30, 1 + index % 12, 1),
            representative_name=f"{FAMILY[index % 8][0]}　{FIRST_NAMES[index % 10]}",
            representative_kana=f"{FAMILY[index % 8][1]}　{KANA_GIVEN[FIRST_NAMES[index % 10]]}",
            postal_code="103-0001",
            street=f"{area}{1 + index % 5}-{1 + index % 9}",
            phone=f"03-{3500 + index:04d}-{1000 + index * 7:04d}",
            email=f"contact{index + 1:02d}@demo.kyodo.jp",
            activity_area=area,
            member_count=rng.randint(5, 120),
            staff_count=rng.choice([0, 0, 1, 3]),
            annual_budget=rng.choice([None, 150_000, 800_000, 3_000_000]),
            purpose=purpose,
            activities=activities,
            activity_schedule=rng.choice(["毎月第2土曜日 十思スクエア", "毎週水曜日 夜", "不定期"]),
            status=status,
            valid_until=valid_until,
            registration_number=f"{year - 1}-{index + 1:04d}" if registered else None,
            registered_on=dt.date(year - 1, 5, 1) if registered else None,
            is_listed=registered and index % 4 != 3,
            public_fields=["activity_schedule", "website", "email"][: 1 + index % 3],
        )
        organization.activity_fields.set([fields[n] for n in numbers])
        owner = member_login if index == 0 else _person(rng, 0, index)
        Membership.objects.create(organization=organization, user=owner, role=MemberRole.OWNER)
        Membership.objects.create(
            organization=organization, user=_person(rng, 1, index), role=MemberRole.MANAGER
        )
        Membership.objects.create(
            organization=organization, user=_person(rng, 2, index), role=MemberRole.MEMBER
        )
        organization.contact_person = owner
        organization.save(update_fields=["contact_person"])
        _history(organization, plan, owner, year)
        if index == 0:
            from organizations.certificates import certificate_issue

            certificate_issue(organization=organization)  # rendered after the commit
        if index == 10:
            # The demo representative also helps another group: shows "act for" on マイページ.
            Membership.objects.create(
                organization=organization, user=member_login, role=MemberRole.MEMBER
            )
    return [
        (
            f"団体の代表管理者 (representative manager of {ORGANIZATIONS[0][0]})",
            "member@demo.kyodo.jp",
            DEMO_PASSWORD,
        )
    ]


def _corporate_number(index):
    from kyodo.text import corporate_number_check_digit

    base = f"{(index + 1) * 7919:012d}"
    return f"{corporate_number_check_digit(base)}{base}"


def _history(organization, plan, owner, year):
    now = timezone.now()
    kind = ApplicationKind.RENEWAL if plan == "renewal" else ApplicationKind.NEW
    status = {
        "applying": ApplicationStatus.SUBMITTED,
        "returned": ApplicationStatus.RETURNED,
        "renewal": ApplicationStatus.SUBMITTED,
    }.get(plan, ApplicationStatus.APPROVED)
    application = Application.objects.create(
        organization=organization,
        kind=kind,
        status=status,
        submitted_by=owner,
        fiscal_year=year + 1 if plan == "renewal" else year,
        submitted_at=now - dt.timedelta(days=20),
        reason="規約の写しが添付されていません。添付のうえ再提出してください。"
        if plan == "returned"
        else "",
    )
    OrganizationEvent.objects.create(
        organization=organization,
        application=application,
        kind=EventKind.APPLICATION,
        action=EventAction.APPLIED_FOR_RENEWAL
        if plan == "renewal"
        else EventAction.APPLIED_FOR_REGISTRATION,
        new_status=ApplicationStatus.SUBMITTED,
        changed_by=owner,
        changed_at=now - dt.timedelta(days=20),
    )
    if plan == "returned":
        OrganizationEvent.objects.create(
            organization=organization,
            application=application,
            kind=EventKind.APPLICATION,
            old_status=ApplicationStatus.SUBMITTED,
            new_status=ApplicationStatus.RETURNED,
            reason=application.reason,
            changed_at=now - dt.timedelta(days=10),
        )
    if plan not in {"applying", "returned"}:
        OrganizationEvent.objects.create(
            organization=organization,
            kind=EventKind.REGISTRATION,
            old_status=RegistrationStatus.APPLYING,
            new_status=RegistrationStatus.REGISTERED,
            changed_at=now - dt.timedelta(days=15),
        )
    if plan in {"expired", "suspended"}:
        OrganizationEvent.objects.create(
            organization=organization,
            kind=EventKind.REGISTRATION,
            old_status=RegistrationStatus.REGISTERED,
            new_status=organization.status,
            reason="無断キャンセルが3回続いたため" if plan == "suspended" else "",
            changed_at=now - dt.timedelta(days=5),
        )
