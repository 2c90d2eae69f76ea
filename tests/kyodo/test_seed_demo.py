import io

import pytest
from django.core.management import call_command

from accounts.models import User
from accounts.rules import is_center_staff, is_council_member, is_ward_official
from kyodo.demo import DEMO_PASSWORD
from kyodo.models import Closure, HolidayRule

pytestmark = pytest.mark.django_db


def _seed():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def test_seed_demo_prints_one_working_log_in_per_role():
    output = _seed()
    for email in (
        "staff@demo.kyodo.jp",
        "ward@demo.kyodo.jp",
        "council@demo.kyodo.jp",
        "member@demo.kyodo.jp",
    ):
        assert output.count(f"{email} /") == 1  # one line per person
        assert User.objects.get(email=email).check_password(DEMO_PASSWORD)
    assert is_center_staff(User.objects.get(email="staff@demo.kyodo.jp"))
    assert is_ward_official(User.objects.get(email="ward@demo.kyodo.jp"))
    assert is_council_member(User.objects.get(email="council@demo.kyodo.jp"))


def test_seed_demo_can_run_again_without_duplicating_anything():
    _seed()
    counts = (User.objects.count(), Closure.objects.count(), HolidayRule.objects.count())
    _seed()
    assert (User.objects.count(), Closure.objects.count(), HolidayRule.objects.count()) == counts


def test_seed_demo_refuses_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        _seed()
