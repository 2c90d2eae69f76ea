"""Demo events for `make run`: a past and an upcoming 十思カフェ and a 3-session course, in the
center's rooms (held through facilities, so the demo bookings and the events never clash)."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from events import applications, services
from events.enums import EventKind
from events.models import Event, Question
from facilities.models import Resource
from organizations.models import Membership

APPLICANTS = [
    ("日本橋　一郎", "ニホンバシ　イチロウ"),
    ("人形町　花子", "ニンギョウチョウ　ハナコ"),
    ("茅場町　次郎", "カヤバチョウ　ジロウ"),
    ("八丁堀　さくら", "ハッチョウボリ　サクラ"),
    ("月島　健", "ツキシマ　ケン"),
    ("佃　美咲", "ツクダ　ミサキ"),
    ("勝どき　翔", "カチドキ　ショウ"),
    ("晴海　葵", "ハルミ　アオイ"),
    ("築地　大輔", "ツキジ　ダイスケ"),
    ("銀座　結衣", "ギンザ　ユイ"),
    ("京橋　悠人", "キョウバシ　ユウト"),
    ("新川　七海", "シンカワ　ナナミ"),
    ("湊　拓海", "ミナト　タクミ"),
    ("明石町　陽菜", "アカシチョウ　ヒナ"),
]


def _aware(day, time):
    return timezone.make_aware(dt.datetime.combine(day, time))


def _weekday_on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _session_near(event, day, starts, ends, room, by) -> None:
    """The first week from ``day`` on in which ``room`` is free (the demo bookings are
    random); outside the center if none of eight is."""
    for week in range(8):
        try:
            services.session_add(
                event=event,
                date=day + dt.timedelta(weeks=week),
                starts=starts,
                ends=ends,
                resource=room,
                by=by,
            )
            return
        except services.EventError:
            continue
    services.session_add(
        event=event,
        date=day,
        starts=starts,
        ends=ends,
        place="十思スクエア 別館",
        place_en="Jisshi Square annex",
        address="東京都中央区日本橋小伝馬町5-1",
        by=by,
    )


def _event(**fields) -> Event:
    return Event.objects.create(is_published=True, **fields)


def seed_events(stdout):
    staff = get_user_model().objects.filter(email="staff@demo.kyodo.jp").first()
    if staff is None or Event.objects.exists():
        return []
    today = timezone.localdate()
    now = timezone.now()
    salon = Resource.objects.filter(name="サロン").first()
    room = Resource.objects.filter(name="会議室").first()
    cafe_text = (
        "地域で活動する人、これから何か始めたい人が気軽に集まる月に一度の交流会です。"
        "飲み物を片手に、活動の話をしましょう。"
    )
    past_day = _weekday_on_or_after(today - dt.timedelta(days=35), 1)
    past_cafe = _event(
        kind=EventKind.GATHERING,
        title="十思カフェ Vol.168",
        title_en="Jisshi Café Vol.168",
        title_kana="ジッシカフェ",
        description=cafe_text,
        audience="どなたでも",
        capacity=20,
        applications_open=_aware(past_day - dt.timedelta(days=30), dt.time(9)),
        applications_close=_aware(past_day, dt.time(12)),
        created_by=staff,
    )
    _session_near(past_cafe, past_day, dt.time(19), dt.time(21), salon, staff)
    next_day = _weekday_on_or_after(today + dt.timedelta(days=7), 1)
    cafe = _event(
        kind=EventKind.GATHERING,
        title="十思カフェ Vol.169",
        title_en="Jisshi Café Vol.169",
        title_kana="ジッシカフェ",
        description=cafe_text,
        audience="どなたでも",
        capacity=20,
        applications_open=now - dt.timedelta(days=14),
        applications_close=_aware(next_day, dt.time(12)),
        created_by=staff,
    )
    _session_near(cafe, next_day, dt.time(19), dt.time(21), salon, staff)
    first_saturday = _weekday_on_or_after(today + dt.timedelta(days=14), 5)
    course = _event(
        kind=EventKind.COURSE,
        title="市民活動入門講座「ゆるやか地域デビュー」",
        title_en="Introduction to civic activities: an easy local debut",
        title_kana="シミンカツドウニュウモンコウザ ユルヤカチイキデビュー",
        description=(
            "地域活動に関心のある方のための全3回の入門講座です。第1回は地域の団体を知る、"
            "第2回は活動の現場を訪ねる、第3回は自分にできることを考えます。"
        ),
        audience="中央区在住・在勤・在学の方",
        capacity=12,
        applications_open=now - dt.timedelta(days=7),
        applications_close=_aware(first_saturday - dt.timedelta(days=2), dt.time(17)),
        created_by=staff,
    )
    for week in range(3):
        _session_near(
            course,
            first_saturday + dt.timedelta(weeks=week),
            dt.time(14),
            dt.time(16),
            room,
            staff,
        )
    source = Question.objects.create(
        event=course,
        text="この講座を何で知りましたか",
        text_en="How did you hear of this course?",
        kind="choice",
        choices="区報\nセンターのウェブサイト\nチラシ\n知人の紹介",
        required=True,
        order=1,
    )
    Question.objects.create(
        event=course,
        text="保育の希望",
        text_en="Childcare needed",
        kind="yes_no",
        order=2,
    )
    # 12 seats, 14 applicants: 12 confirmed, 2 on the waitlist.
    for n, (name, kana) in enumerate(APPLICANTS):
        applications.application_create(
            event=course,
            name=name,
            name_kana=kana,
            email=f"applicant{n + 1:02d}@demo.kyodo.jp",
            phone=f"03-3666-{4700 + n}",
            answers=[(source, source.choice_list[n % 4])],
        )
    membership = (
        Membership.objects.filter(user__email="member@demo.kyodo.jp", role="owner")
        .select_related("organization", "user")
        .first()
    )
    if membership is not None:
        member = membership.user
        applications.application_create(
            event=cafe,
            name=member.get_full_name(),
            name_kana=member.full_name_kana,
            email=member.email,
            seats=3,
            user=member,
            organization=membership.organization,
        )
    stdout.write("events: 3 demo events, 15 applications\n")
    return []
