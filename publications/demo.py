"""Demo 情報 for `make run`: a dozen news items (one scheduled, one pinned, a closure), ten
grant listings (some closing within 14 days, some closed) plus a group's suggestion, newsletter
subscribers, an issue sent and a draft."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from organizations.models import ActivityField, Organization
from publications import newsletter, services
from publications.enums import DeadlineRule, GrantStatus, NewsCategory
from publications.models import GrantListing, Issue, NewsItem, Subscriber

# (title, category, days ago published (negative: scheduled), pinned, summary, body)
NEWS = [
    ("年末年始の休館のお知らせ", NewsCategory.CLOSURE, 3, True,
     "12月29日から1月3日まで休館します。",
     "<p>年末年始（12月29日〜1月3日）は休館します。1月4日から通常どおり開館します。</p>"),
    ("協働マガジン冬号を発行しました", NewsCategory.CENTER, 5, False,
     "特集は「まちの居場所づくり」です。",
     "<p>協働マガジン冬号を発行しました。センター窓口でも配布しています。</p>"),
    ("十思カフェ Vol.170 参加者募集", NewsCategory.EVENTS, 7, False,
     "地域で活動する人が気軽に集まる交流会です。",
     "<p>日時：毎月第1火曜日 19:00〜21:00<br>会場：十思スクエア 2階</p>"),
    ("市民活動入門講座「ゆるやか地域デビュー」", NewsCategory.EVENTS, 10, False,
     "全3回の入門講座です。",
     "<h2>内容</h2><ul><li>第1回 地域を知る</li><li>第2回 団体を訪ねる</li>"
     "<li>第3回 活動を始める</li></ul>"),
    ("社会貢献活動事業補助金の説明会", NewsCategory.GRANTS, 12, False,
     "来年度の補助金の説明会を開きます。",
     "<p>申請を考えている団体向けの説明会です。<a href=\"https://www.city.chuo.lg.jp/\">"
     "中央区のページ</a>もご覧ください。</p>"),
    ("協働事業提案の事前相談を受け付けています", NewsCategory.COLLABORATION, 15, False,
     "提案の前に事前相談が必要です。",
     "<p>協働事業提案には事前相談が必要です。お早めにご連絡ください。</p>"),
    ("印刷機の料金改定について", NewsCategory.CENTER, 20, False,
     "来年4月から輪転機の料金が変わります。",
     "<p>製版1版30円、1枚1円（用紙持込み）です。</p>"),
    ("つながりマルシェ出展団体募集", NewsCategory.EVENTS, 25, False,
     "活動を紹介するブースの出展団体を募集します。",
     "<p>約30団体のブースで活動を紹介します。出展は登録団体に限ります。</p>"),
    ("民間助成金の情報を更新しました", NewsCategory.GRANTS, 30, False,
     "財団・企業の助成金情報を追加しました。",
     "<p>助成金情報のページに新しい募集を追加しました。</p>"),
    ("設備点検のため臨時休館します", NewsCategory.CLOSURE, 35, False,
     "設備点検の日は休館します。",
     "<p>設備点検のため臨時休館します。休館日の一覧は休館日カレンダーをご覧ください。</p>"),
    ("NPO会計講座（全2回）", NewsCategory.EVENTS, 40, False,
     "はじめての方向けの会計講座です。",
     "<p>1週間あけて2回開催します。</p>"),
    ("来月の十思カフェのテーマ", NewsCategory.EVENTS, -3, False,
     "予約投稿の例：3日後に公開されます。",
     "<p>テーマは「防災と町会」です。</p>"),
]  # fmt: skip

# (funder, programme, fields, who, min, max, deadline in days, rule)
GRANTS = [
    ("公益財団法人まちづくり基金", "地域活動スタート助成", (3, 19), "設立5年未満の市民活動団体",
     100_000, 300_000, 6, DeadlineRule.POSTMARK),
    ("中央区", "社会貢献活動事業補助金", (1, 2, 3, 13), "協働ステーション中央の登録団体",
     None, 300_000, 12, DeadlineRule.ARRIVAL),
    ("株式会社日本橋商事 社会貢献室", "こども未来応援助成", (13,), "子どもの育ちを支える団体",
     200_000, 500_000, 30, DeadlineRule.ONLINE),
    ("一般財団法人みどりの環境財団", "環境保全活動助成", (7,), "環境保全に取り組むNPO・任意団体",
     300_000, 1_000_000, 45, DeadlineRule.POSTMARK),
    ("公益財団法人国際交流協会", "多文化共生プロジェクト助成", (11, 10), "外国人住民を支える団体",
     None, None, 60, DeadlineRule.OTHER),
    ("東京都", "地域の底力発展事業助成", (3, 9), "町会・自治会",
     200_000, 2_000_000, 75, DeadlineRule.ARRIVAL),
    ("公益財団法人文化振興財団", "地域文化活動助成", (6,), "文化・芸術の活動団体",
     100_000, 500_000, 90, DeadlineRule.POSTMARK),
    ("公益財団法人福祉の森", "高齢者の居場所づくり助成", (1,), "高齢者を支えるボランティア団体",
     50_000, 200_000, -10, DeadlineRule.POSTMARK),
    ("株式会社月島技研", "防災・減災活動助成", (8, 9), "防災に取り組む団体",
     100_000, 300_000, -30, DeadlineRule.ONLINE),
    ("公益財団法人情報化推進協会", "NPOのICT活用助成", (14, 19), "NPO法人",
     None, 150_000, -60, DeadlineRule.ARRIVAL),
]  # fmt: skip


def seed_publications(stdout):
    staff = get_user_model().objects.filter(email="staff@demo.kyodo.jp").first()
    if staff is None or NewsItem.objects.exists() or GrantListing.objects.exists():
        return []
    now = timezone.now()
    for title, category, days_ago, pinned, summary, body in NEWS:
        services.news_save(
            item=NewsItem(
                title=title,
                category=category,
                summary=summary,
                body=body,
                publish_at=now - dt.timedelta(days=days_ago),
                pinned=pinned,
            ),
            by=staff,
        )
    today = timezone.localdate()
    fields = {f.number: f for f in ActivityField.objects.all()}
    for funder, programme, numbers, who, low, high, days, rule in GRANTS:
        deadline = today + dt.timedelta(days=days)
        services.grant_save(
            listing=GrantListing(
                funder=funder,
                programme=programme,
                eligibility=who,
                amount_min=low,
                amount_max=high,
                opens_on=deadline - dt.timedelta(days=60),
                deadline=deadline,
                deadline_rule=rule,
                url="https://www.kyodo-station.jp/",
                status=GrantStatus.PUBLISHED,
            ),
            fields=[fields[n] for n in numbers if n in fields],
            by=staff,
        )
    member = get_user_model().objects.filter(email="member@demo.kyodo.jp").first()
    organization = Organization.objects.filter(memberships__user=member).first()
    if member and organization and organization.is_valid_on(today):
        services.grant_suggest(
            data={
                "funder": "公益財団法人あおぞら基金",
                "programme": "地域の見守り活動助成",
                "eligibility": "見守り活動をする町会・団体",
                "amount_min": None,
                "amount_max": 200_000,
                "opens_on": None,
                "deadline": today + dt.timedelta(days=40),
                "deadline_rule": DeadlineRule.POSTMARK,
                "url": "",
                "notes": "",
            },
            fields=[fields[n] for n in (1, 9) if n in fields],
            organization=organization,
            by=member,
        )
    _seed_newsletter(staff)
    return []


def _seed_newsletter(staff):
    topics = [["center", "events", "grants"], ["grants"], ["center", "events"]]
    for n in range(12):
        Subscriber.objects.get_or_create(
            email=f"reader{n + 1}@demo.kyodo.jp",
            defaults={
                "status": "active" if n < 10 else "unsubscribed",
                "topics": topics[n % 3] if n < 10 else [],
                "confirmed_at": timezone.now(),
            },
        )
    sent = newsletter.issue_save(
        issue=Issue(
            number=1,
            subject="メルマガ12月号【年末年始の休館と助成金情報】",
            body="<h2>年末年始の休館</h2><p>12月29日〜1月3日は休館します。</p>"
            '<h2>助成金情報</h2><p>締切の近い助成金を<a href="https://www.kyodo-station.jp/">'
            "助成金情報</a>に掲載しています。</p>",
        )
    )
    newsletter.issue_send(issue=sent, by=staff)
    newsletter.newsletter_sweep()
    newsletter.issue_save(
        issue=Issue(number=2, subject="メルマガ1月号（下書き）", body="<p>新年のごあいさつ</p>")
    )
