"""Demo data for `make run`: a registry of seeders that each pillar extends.

A seeder is ``func(stdout) -> list[tuple[str, str, str]]`` returning demo log-ins as
(role, e-mail, password). Seeders must be idempotent: `seed_demo` runs on every `make run`.
"""

import datetime as dt
from collections.abc import Callable

from django.utils import timezone

DEMO_PASSWORD = "kyodo-demo-2026"  # noqa: S105 -- printed for newcomers; demo data only

_seeders: list[tuple[int, str, Callable]] = []


def register_seeder(order: int, name: str, func: Callable) -> None:
    if name not in {n for _, n, _ in _seeders}:
        _seeders.append((order, name, func))


def seeders() -> list[tuple[int, str, Callable]]:
    return sorted(_seeders, key=lambda s: (s[0], s[1]))


def demo_user(
    email,
    *,
    family_name,
    given_name,
    family_name_kana,
    given_name_kana,
    roles=(),
    is_staff=False,
    phone="",
):
    """A verified demo user with the demo password; made once, updated never."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.models import Group

    from accounts.models import User

    user, created = User.objects.get_or_create(
        email=email,
        defaults={
            "family_name": family_name,
            "given_name": given_name,
            "family_name_kana": family_name_kana,
            "given_name_kana": given_name_kana,
            "is_staff": is_staff,
            "phone": phone,
        },
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    for role in roles:
        user.groups.add(Group.objects.get(name=role))
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_foundation(stdout):
    from accounts.roles import Role
    from kyodo.models import Closure, HolidayRule

    logins = []
    demo_user(
        "staff@demo.kyodo.jp",
        family_name="中央",
        given_name="花子",
        family_name_kana="チュウオウ",
        given_name_kana="ハナコ",
        roles=[Role.CENTER_STAFF],
        is_staff=True,
        phone="03-3666-4761",
    )
    logins.append((str(Role.CENTER_STAFF.label), "staff@demo.kyodo.jp", DEMO_PASSWORD))
    demo_user(
        "ward@demo.kyodo.jp",
        family_name="日本橋",
        given_name="一郎",
        family_name_kana="ニホンバシ",
        given_name_kana="イチロウ",
        roles=[Role.WARD_OFFICIAL],
    )
    logins.append((str(Role.WARD_OFFICIAL.label), "ward@demo.kyodo.jp", DEMO_PASSWORD))
    demo_user(
        "council@demo.kyodo.jp",
        family_name="月島",
        given_name="由美",
        family_name_kana="ツキシマ",
        given_name_kana="ユミ",
        roles=[Role.COUNCIL_MEMBER],
    )
    logins.append((str(Role.COUNCIL_MEMBER.label), "council@demo.kyodo.jp", DEMO_PASSWORD))
    demo_user(
        "member@demo.kyodo.jp",
        family_name="佃",
        given_name="健太",
        family_name_kana="ツクダ",
        given_name_kana="ケンタ",
        phone="090-1234-5678",
    )
    logins.append(("Member", "member@demo.kyodo.jp", DEMO_PASSWORD))

    # 元日 falls inside 年末年始 anyway; スポーツの日 is the example of a holiday on which the
    # center closes for the ward's sports festival (a demo rule staff can change).
    HolidayRule.objects.get_or_create(holiday_name="スポーツの日", defaults={"is_open": False})
    today = timezone.localdate()
    first_of_next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    inspection = first_of_next_month + dt.timedelta(days=(2 - first_of_next_month.weekday()) % 7)
    Closure.objects.get_or_create(date=inspection, defaults={"reason": "設備点検のため臨時休館"})
    return logins


register_seeder(0, "foundation", seed_foundation)
