"""Fill a PostgreSQL database to the scale of a center with years of data.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kyodo_bench \
        python -m bench.generate --scale 1 --seed 2026

Sizes at --scale 1 (issue 16): 2,000 organizations, 100,000 bookings, 30,000 consultation cases
with 60,000 entries, a call of 513 proposals (506 in the stage being scored) with 2,500 reviews
of 10 scores each. The rows go in with bulk inserts, but as the models allow them: bookings
never overlap (the exclusion constraint on PostgreSQL would refuse them), every registered
organization has one 代表管理者, case numbers are 年度-sequence (B-prefixed, never a number the
services give), a submitted
proposal has its frozen version. The same seed gives the same data.

It refuses a database that already holds bench data (drop and create it again to re-run).
"""

import argparse
import datetime as dt
import os
import random
import sys
import time

BENCH_MARK = "bench.kyodo.jp"  # the e-mail domain of every generated person
BATCH = 5000


def setup_django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    os.environ.setdefault("DEBUG", "false")
    import django

    django.setup()


def sizes(scale: float) -> dict:
    def n(x):
        return max(1, round(x * scale))

    return {
        "organizations": n(2000),
        "bookings": n(100_000),
        "cases": n(30_000),
        "entries_per_case": 2,
        "proposals": n(513),
        "withdrawn": max(0, round(7 * scale)),
        "reviewers": 5,
    }


def log(message: str) -> None:
    print(f"[generate {time.strftime('%H:%M:%S')}] {message}", flush=True)


def generate(*, scale: float = 1.0, seed: int = 2026, demo: bool = True, out=None) -> dict:
    """Seed the demo data (unless ``demo`` is False: the smoke test), then add the scale data
    on top. Returns the counts made."""
    from django.core.management import call_command

    from accounts.models import User

    if User.objects.filter(email__endswith="@" + BENCH_MARK).exists():
        raise SystemExit("This database already holds bench data: drop it and create it again.")
    started = time.monotonic()
    if demo:
        call_command("seed_demo", quiet_logins=True, stdout=out or open(os.devnull, "w"))  # noqa: SIM115
        log("demo data seeded")
    rng = random.Random(seed)  # noqa: S311 -- repeatable test data, no secrets
    want = sizes(scale)
    made = {}
    organizations = _organizations(rng, want["organizations"])
    made["organizations"] = len(organizations)
    made["bookings"] = _bookings(rng, want["bookings"], organizations)
    made["cases"], made["entries"] = _cases(
        rng, want["cases"], want["entries_per_case"], organizations
    )
    made.update(
        _proposals(rng, want["proposals"], want["withdrawn"], want["reviewers"], organizations)
    )
    _analyze()
    made["seconds"] = round(time.monotonic() - started, 1)
    log(f"done: {made}")
    return made


def _password_hash():
    from django.contrib.auth.hashers import make_password

    return make_password("kyodo-bench-2026")


def _organizations(rng, count):
    """Registered organizations, each with its 代表管理者 (a verified user); a third listed."""
    from allauth.account.models import EmailAddress

    from accounts.models import User
    from kyodo.dates import fiscal_year
    from kyodo.text import search_key
    from organizations.models import ActivityField, Membership, Organization

    today = dt.date.today()
    valid_until = dt.date(fiscal_year(today) + 1, 3, 31)
    words = ["まちづくり", "子ども食堂", "見守り", "防災", "清掃", "国際交流", "文化", "環境"]
    areas = ["日本橋", "京橋", "月島", "佃", "勝どき", "晴海", "築地", "人形町"]
    kinds = ["chokai", "voluntary", "npo", "voluntary", "chokai_chien"]
    password = _password_hash()
    users = [
        User(
            email=f"owner{i}@{BENCH_MARK}",
            family_name="中央",
            given_name=f"太郎{i}",
            family_name_kana="チュウオウ",
            given_name_kana="タロウ",
            password=password,
        )
        for i in range(count)
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users],
        batch_size=BATCH,
    )
    organizations = []
    for i in range(count):
        name = f"{rng.choice(areas)}{rng.choice(words)}の会{i}"
        kana = f"ベンチダンタイ{_kana(i)}"
        organizations.append(
            Organization(
                name=name,
                name_kana=kana,
                search_key=search_key(f"{name}{kana}"),
                org_type=rng.choice(kinds),
                representative_name=f"中央　太郎{i}",
                representative_kana="チュウオウ　タロウ",
                postal_code="103-0001",
                street=f"日本橋小伝馬町{i % 20 + 1}-{i % 9 + 1}",
                phone="03-1234-5678",
                email=f"org{i}@{BENCH_MARK}",
                activity_area="中央区全域",
                member_count=rng.randint(5, 200),
                purpose="地域の課題を住民の手で解決する。",
                activities="清掃活動、防災訓練、子ども食堂の運営。",
                status="registered",
                registration_number=f"B{i + 1:06d}",
                registered_on=today - dt.timedelta(days=rng.randint(30, 3000)),
                valid_until=valid_until,
                is_listed=i % 3 == 0,
                public_fields=["activity_schedule", "website", "email"][: 1 + i % 3],
            )
        )
    Organization.objects.bulk_create(organizations, batch_size=BATCH)
    Membership.objects.bulk_create(
        [
            Membership(organization=o, user=u, role="owner")
            for o, u in zip(organizations, users, strict=True)
        ],
        batch_size=BATCH,
    )
    fields = list(ActivityField.objects.all())
    through = Organization.activity_fields.through
    through.objects.bulk_create(
        [
            through(organization_id=o.pk, activityfield_id=f.pk)
            for o in organizations
            for f in rng.sample(fields, 2)
        ],
        batch_size=BATCH,
    )
    # マイページ of the demo member shows a busy member: member of five of these too.
    member = User.objects.filter(email="member@demo.kyodo.jp").first()
    if member:
        Membership.objects.bulk_create(
            [Membership(organization=o, user=member, role="manager") for o in organizations[:5]]
        )
    log(f"{count} organizations with their 代表管理者")
    return organizations


def _kana(n: int) -> str:
    return "".join("アイウエオカキクケコ"[int(d)] for d in str(n))


def _bookings(rng, count, organizations):
    """Bookings over past years up to two months ahead, never overlapping on a resource.

    The 輪転機 is the busiest (nearly every half hour taken), as at the real center; rooms go
    by their slots, equipment and the サロン on their grid. Walking days backwards from two
    months ahead until the count is reached keeps every booking at a free time by
    construction."""
    from django.utils import timezone

    from facilities.models import Booking, Resource

    tz = timezone.get_current_timezone()
    resources = {r.name: r for r in Resource.objects.filter(is_active=True)}
    printer = resources["輪転機"]
    parts = [r for r in resources.values() if r.parent_id is not None]
    grid_resources = [r for r in resources.values() if r.kind == "equipment"]
    salon = resources.get("サロン")
    slots = {r.pk: list(r.slots.order_by("starts")) for r in parts}
    now = timezone.now()
    # Days on which the demo data already book a resource (or, for a part of a divisible
    # room, the whole room or the other part) are left to the demo's bookings.
    family = {r.pk: {r.pk, r.parent_id} for r in resources.values()}
    for part in parts:
        family[part.pk] |= {p.pk for p in parts}
    taken_days = set()
    for resource_id, start in Booking.objects.values_list("resource_id", "start"):
        taken_days.add((resource_id, timezone.localtime(start).date()))

    def busy(resource, date):
        return any((r, date) in taken_days for r in family[resource.pk] if r)

    day = dt.date.today() + dt.timedelta(days=60)
    rows = []
    made = 0

    def add(resource, start, end):
        nonlocal made
        if busy(resource, start.date()):
            return
        organization = rng.choice(organizations)
        past = end < now
        status = (
            ("used" if rng.random() < 0.93 else "no_show")
            if past
            else ("confirmed" if rng.random() < 0.9 else "tentative")
        )
        if rng.random() < 0.05:
            status = "cancelled"
        rows.append(
            Booking(
                resource=resource,
                organization=organization,
                start=start,
                end=end,
                status=status,
                purpose="定例会",
                attendees=rng.randint(1, 30),
                list_price=0,
                charged=0,
            )
        )
        made += 1

    def at(date, time_):
        return dt.datetime.combine(date, time_, tzinfo=tz)

    while made < count:
        if not (day.month == 12 and day.day >= 29) and not (day.month == 1 and day.day <= 3):
            # 輪転機: 10:00–19:00 in 30-minute steps, most of them taken.
            for step in range(18):
                if made >= count:
                    break
                if rng.random() < 0.85:
                    start = at(day, dt.time(10)) + dt.timedelta(minutes=30 * step)
                    add(printer, start, start + dt.timedelta(minutes=30))
            for resource in grid_resources:
                step = 0
                while step < 18 and made < count:
                    length = rng.choice([1, 2, 2, 4])
                    if rng.random() < 0.55 and step + length <= 18:
                        start = at(day, dt.time(10)) + dt.timedelta(minutes=30 * step)
                        add(resource, start, start + dt.timedelta(minutes=30 * length))
                    step += length
            if salon and made < count:
                hour = 10
                while hour + 2 <= 19 and made < count:
                    if rng.random() < 0.6:
                        add(salon, at(day, dt.time(hour)), at(day, dt.time(hour + 2)))
                    hour += 2
            for part in parts:
                for slot in slots[part.pk]:
                    if made < count and rng.random() < 0.7:
                        add(part, at(day, slot.starts), at(day, slot.ends))
        day -= dt.timedelta(days=1)
        if len(rows) >= BATCH:
            Booking.objects.bulk_create(rows, batch_size=BATCH)
            rows.clear()
    Booking.objects.bulk_create(rows, batch_size=BATCH)
    log(f"{made} bookings back to {day}")
    return made


def _cases(rng, count, entries_per_case, organizations):
    """Consultation cases over the years (at most 9,000 a 年度, so numbers keep four digits)."""
    from django.utils import timezone

    from accounts.models import User
    from consultations.models import Case, Category, Entry
    from kyodo.dates import fiscal_year

    tz = timezone.get_current_timezone()
    staff = list(User.objects.filter(is_staff=True, email__endswith="@demo.kyodo.jp"))
    categories = list(Category.objects.all())
    today = dt.date.today()
    years = max(1, -(-count // 6000))
    per_year: dict[int, int] = {}
    cases = []
    for i in range(count):
        opened = today - dt.timedelta(days=rng.randint(0, 365 * years - 1))
        year = fiscal_year(opened)
        per_year[year] = per_year.get(year, 0) + 1
        if per_year[year] > 9999:
            opened, year = today, fiscal_year(today)
        closed = (today - opened).days > 30 and rng.random() < 0.9
        cases.append(
            Case(
                number=f"B{year}-{per_year[year]:04d}",
                title=f"相談{i}: 団体の運営について",
                request="会員の募集と会計の方法について相談したい。",
                channel=rng.choice(["visit", "phone", "email", "online", "outreach"]),
                status="closed" if closed else rng.choice(["received", "in_progress", "on_hold"]),
                assigned_to=rng.choice(staff) if staff else None,
                is_sensitive=rng.random() < 0.05,
                organization=rng.choice(organizations) if rng.random() < 0.7 else None,
                asker_name="中央　花子",
                asker_email=f"asker{i}@{BENCH_MARK}",
                opened_on=opened,
                closed_on=opened + dt.timedelta(days=rng.randint(1, 30)) if closed else None,
            )
        )
    Case.objects.bulk_create(cases, batch_size=BATCH)
    through = Case.categories.through
    if categories:
        through.objects.bulk_create(
            [through(case_id=c.pk, category_id=rng.choice(categories).pk) for c in cases],
            batch_size=BATCH,
        )
    entries = [
        Entry(
            case=c,
            kind=rng.choice(["meeting", "phone", "email", "memo"]),
            occurred_at=dt.datetime.combine(c.opened_on, dt.time(10 + k), tzinfo=tz),
            duration_minutes=30,
            staff=c.assigned_to,
            notes="会の規約の見直しについて助言した。",
            created_by=c.assigned_to,
        )
        for c in cases
        for k in range(entries_per_case)
    ]
    Entry.objects.bulk_create(entries, batch_size=BATCH)
    log(f"{len(cases)} cases, {len(entries)} entries")
    return len(cases), len(entries)


def _proposals(rng, count, withdrawn, reviewer_count, organizations):
    """A call with `count` submitted proposals (some withdrawn), stage 1 open for scoring,
    `reviewer_count` reviewers (the demo council member chairs) assigned to all, and nearly
    every review submitted with its 10 scores."""
    from django.contrib.auth.models import Group
    from django.utils import timezone

    from accounts.models import User
    from accounts.roles import Role
    from kyodo.dates import fiscal_year
    from proposals.models import (
        Assignment,
        BudgetLine,
        ConflictDeclaration,
        Proposal,
        ProposalVersion,
        Review,
        Round,
        Score,
        Stage,
    )
    from proposals.services import round_add_default_criteria, snapshot

    today = dt.date.today()
    now = timezone.now()
    round_ = Round.objects.create(
        fiscal_year=fiscal_year(today) + 1,
        title="ベンチ用 協働事業提案",
        guide_text="事前相談を受けてから提案してください。",
        is_published=True,
        pre_consultation_from=today - dt.timedelta(days=120),
        pre_consultation_until=today - dt.timedelta(days=40),
        call_opens_on=today - dt.timedelta(days=90),
        submission_deadline=today - dt.timedelta(days=30),
    )
    criteria = round_add_default_criteria(round_=round_)
    council = Group.objects.get(name=Role.COUNCIL_MEMBER.value)
    # The demo's council member chairs (and the demo's ward official reviews) when they exist.
    reviewers = list(
        User.objects.filter(email__in=["council@demo.kyodo.jp", "ward@demo.kyodo.jp"]).order_by(
            "email"
        )
    )
    for i in range(reviewer_count - len(reviewers)):
        user = User.objects.create(
            email=f"reviewer{i}@{BENCH_MARK}",
            family_name="審査",
            given_name=f"委員{i}",
            family_name_kana="シンサ",
            given_name_kana="イイン",
            password=_password_hash(),
        )
        user.groups.add(council)
        reviewers.append(user)
    round_.chair = reviewers[0]
    round_.save(update_fields=["chair"])
    stage = Stage.objects.create(
        round=round_,
        number=1,
        name="一次審査（書類）",
        review_opens_on=today - dt.timedelta(days=20),
        review_deadline=today + dt.timedelta(days=14),
        status="open",
    )
    proposals = [
        Proposal(
            round=round_,
            organization=organizations[i % len(organizations)],
            number=i + 1,
            status="withdrawn" if i >= count - withdrawn else "submitted",
            kind="free",
            title=f"地域の居場所づくり事業{i + 1}",
            issue="地域の子どもの孤食が増えている。" * 5,
            aims="子どもと高齢者の居場所をつくる。",
            outcome_target="参加者の満足度80%以上",
            activity_indicator="年12回の開催",
            beneficiary_target="延べ600人",
            year1_activities="月1回の食堂を3か所で開く。",
            year1_schedule="4月準備、5月開始",
            year2_activities="5か所に広げる。",
            year2_schedule="通年",
            role_group="運営と参加者募集",
            role_ward="会場の確保と周知",
            collaboration_form="cooperation",
            track_record="2019年から子ども食堂を運営。",
            pre_consultation_on=today - dt.timedelta(days=60),
        )
        for i in range(count)
    ]
    Proposal.objects.bulk_create(proposals, batch_size=BATCH)
    BudgetLine.objects.bulk_create(
        [
            BudgetLine(proposal=p, year=year, category="supplies", item="食材", amount=amount)
            for p in proposals
            for year, amount in ((1, 120000), (2, 150000))
        ],
        batch_size=BATCH,
    )
    versions = []
    for p in Proposal.objects.filter(round=round_).select_related("organization", "theme"):
        versions.append(ProposalVersion(proposal=p, number=1, data=snapshot(p)))
    ProposalVersion.objects.bulk_create(versions, batch_size=BATCH)
    version_of = {v.proposal_id: v for v in versions}
    for p in proposals:
        p.submitted_version = version_of[p.pk]
    Proposal.objects.bulk_update(proposals, ["submitted_version"], batch_size=BATCH)
    for reviewer in reviewers:
        Assignment.objects.create(stage=stage, reviewer=reviewer, all_proposals=True)
    in_stage = [p for p in proposals if p.status == "submitted"]
    declarations, reviews = [], []
    for p in in_stage:
        for reviewer in reviewers:
            declarations.append(
                ConflictDeclaration(proposal=p, reviewer=reviewer, has_conflict=False)
            )
            if rng.random() < 0.99:
                reviews.append(
                    Review(
                        stage=stage,
                        proposal=p,
                        reviewer=reviewer,
                        status="submitted" if rng.random() < 0.95 else "draft",
                        overall_comment="実現可能性が高い。",
                        version=version_of[p.pk],
                        submitted_at=now,
                    )
                )
    ConflictDeclaration.objects.bulk_create(declarations, batch_size=BATCH)
    for review in reviews:
        if review.status == "draft":
            review.submitted_at = None
    Review.objects.bulk_create(reviews, batch_size=BATCH)
    scores = [
        Score(review=r, criterion=c, points=rng.randint(1, 5), comment="")
        for r in reviews
        for c in criteria
    ]
    Score.objects.bulk_create(scores, batch_size=BATCH)
    log(f"{count} proposals, {len(in_stage)} in stage {stage.pk}, {len(reviews)} reviews")
    return {
        "proposals": count,
        "stage_proposals": len(in_stage),
        "reviews": len(reviews),
        "scores": len(scores),
        "stage_id": stage.pk,
    }


def _analyze():
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=float, default=float(os.environ.get("BENCH_SCALE", 1)))
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    setup_django()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql" or settings.DATABASES["default"]["HOST"] not in (
        "127.0.0.1",
        "localhost",
        "",
    ):
        sys.exit("bench.generate fills a local PostgreSQL database only (DATABASE_URL).")
    generate(scale=args.scale, seed=args.seed)


if __name__ == "__main__":
    main()
