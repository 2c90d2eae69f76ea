import datetime as dt

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from kyodo.dates import fiscal_year
from kyodo.text import search_key

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.jp")
    family_name = "山田"
    given_name = factory.Sequence(lambda n: f"太郎{n}")
    family_name_kana = "ヤマダ"
    given_name_kana = "タロウ"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        # A user made by the factory has a confirmed e-mail, as after allauth's sign-up.
        if create and extracted is not False:
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)
        if create:
            self.save()

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _add_roles(self, extracted or [])


def _add_roles(user, roles):
    for role in roles:
        user.groups.add(Group.objects.get(name=Role(role).value))


class StaffFactory(UserFactory):
    is_staff = True

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _add_roles(self, extracted if extracted is not None else [Role.CENTER_STAFF])


class WardOfficialFactory(UserFactory):
    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _add_roles(self, extracted if extracted is not None else [Role.WARD_OFFICIAL])


class CouncilMemberFactory(UserFactory):
    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        _add_roles(self, extracted if extracted is not None else [Role.COUNCIL_MEMBER])


# --- organizations ---------------------------------------------------------------------------


def _kana_number(n: int) -> str:
    """A number written in katakana (ア=0 … コ=9), since a reading holds no digits."""
    return "".join("アイウエオカキクケコ"[int(d)] for d in str(n))


class OrganizationFactory(factory.django.DjangoModelFactory):
    """A registered, valid organization (status and validity can be overridden)."""

    class Meta:
        model = "organizations.Organization"
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"日本橋まちづくりの会{n}")
    name_kana = factory.Sequence(lambda n: f"ニホンバシマチヅクリノカイ{_kana_number(n)}")
    search_key = factory.LazyAttribute(lambda o: search_key(f"{o.name}{o.name_kana}"))
    org_type = "voluntary"
    representative_name = "日本橋　一郎"
    representative_kana = "ニホンバシ　イチロウ"
    postal_code = "103-0001"
    street = "日本橋小伝馬町5-1"
    phone = "03-1234-5678"
    email = factory.Sequence(lambda n: f"org{n}@example.jp")
    activity_area = "中央区全域"
    member_count = 12
    purpose = "地域の課題を住民の手で解決する。"
    activities = "清掃活動、防災訓練、子ども食堂の運営。"
    status = "registered"
    registration_number = factory.Sequence(lambda n: f"2026-{n + 1:04d}")
    # Valid to the end of the current 年度.
    valid_until = factory.LazyFunction(
        lambda: dt.date(fiscal_year(timezone.localdate()) + 1, 3, 31)
    )

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        from organizations.models import ActivityField

        if create:
            numbers = extracted if extracted is not None else [3]
            self.activity_fields.set(ActivityField.objects.filter(number__in=numbers))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "organizations.Membership"

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = "member"
