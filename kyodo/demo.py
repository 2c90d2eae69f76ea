"""Demo data for `make run`: a registry of seeders that each pillar extends.

A seeder is ``func(stdout) -> list[tuple[str, str, str]]`` returning demo log-ins as
(role, e-mail, password). Seeders must be idempotent: `seed_demo` runs on every `make run`.
"""

import datetime as dt
import functools
from collections.abc import Callable

from django.utils import timezone

DEMO_PASSWORD = "kyodo-demo-2026"  # noqa: S105 -- printed for newcomers; demo data only

_seeders: list[tuple[int, str, Callable]] = []


def register_seeder(order: int, name: str, func: Callable) -> None:
    if name not in {n for _, n, _ in _seeders}:
        _seeders.append((order, name, func))


def seeders() -> list[tuple[int, str, Callable]]:
    return sorted(_seeders, key=lambda s: (s[0], s[1]))


@functools.cache
def _demo_password_hash() -> str:
    # Hashing costs ~0.5 s; the demo's ~130 people share one password, so hash it once.
    from django.contrib.auth.hashers import make_password

    return make_password(DEMO_PASSWORD)


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
        user.password = _demo_password_hash()
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

    # (e-mail, 姓, 名, セイ, メイ, roles, what the log-in is for, backoffice, phone)
    people = [
        ("staff@demo.kyodo.jp", "中央", "花子", "チュウオウ", "ハナコ",
         (Role.CENTER_STAFF,), "center staff", True, "03-3666-4761"),
        ("manager@demo.kyodo.jp", "京橋", "誠", "キョウバシ", "マコト",
         (Role.CENTER_STAFF, Role.CENTER_MANAGER), "center manager", True, ""),
        ("ward@demo.kyodo.jp", "日本橋", "一郎", "ニホンバシ", "イチロウ",
         (Role.WARD_OFFICIAL,), "ward official", False, ""),
        ("council@demo.kyodo.jp", "月島", "由美", "ツキシマ", "ユミ",
         (Role.COUNCIL_MEMBER,), "council member", False, ""),
        ("member@demo.kyodo.jp", "佃", "健太", "ツクダ", "ケンタ",
         (), "member of a group", False, "090-1234-5678"),
    ]  # fmt: skip
    logins = []
    for email, family, given, family_kana, given_kana, roles, what, staff, phone in people:
        demo_user(
            email, family_name=family, given_name=given, family_name_kana=family_kana,
            given_name_kana=given_kana, roles=roles, is_staff=staff, phone=phone,
        )  # fmt: skip
        if roles:  # people without a role are printed by the seeders that give them one
            logins.append((f"{roles[-1].value} ({what})", email, DEMO_PASSWORD))

    # 元日 falls inside 年末年始 anyway; スポーツの日 is the example of a holiday on which the
    # center closes for the ward's sports festival (a demo rule staff can change).
    HolidayRule.objects.get_or_create(holiday_name="スポーツの日", defaults={"is_open": False})
    today = timezone.localdate()
    first_of_next_month = (today.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    inspection = first_of_next_month + dt.timedelta(days=(2 - first_of_next_month.weekday()) % 7)
    Closure.objects.get_or_create(date=inspection, defaults={"reason": "設備点検のため臨時休館"})
    return logins


register_seeder(0, "foundation", seed_foundation)


class HeldMailBackend:
    """The mail backend while the demo is seeded: the mails its services send (confirmations,
    notices to demo addresses) are counted, not printed — `make run` showed thousands of
    lines of them before the log-ins."""

    held = 0

    def __init__(self, fail_silently=False, **kwargs):
        self.fail_silently = fail_silently

    def open(self):
        return False

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        pass

    def send_messages(self, messages) -> int:
        messages = list(messages)
        type(self).held += len(messages)
        return len(messages)
