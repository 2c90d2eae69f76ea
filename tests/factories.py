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


# --- proposals ------------------------------------------------------------------------------


class RoundFactory(factory.django.DjangoModelFactory):
    """A published call whose submission period includes today, with the 10 default
    criteria (weight 1, 0–5) and no stages; see tests/proposals/conftest.py for more."""

    class Meta:
        model = "proposals.Round"
        skip_postgeneration_save = True

    fiscal_year = factory.LazyFunction(lambda: fiscal_year(timezone.localdate()) + 1)
    title = factory.Sequence(lambda n: f"協働事業提案 募集{n}")
    guide_text = "事前相談を受けてから提案してください。"
    is_published = True
    pre_consultation_from = factory.LazyFunction(
        lambda: timezone.localdate() - dt.timedelta(days=60)
    )
    pre_consultation_until = factory.LazyFunction(
        lambda: timezone.localdate() + dt.timedelta(days=30)
    )
    call_opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=30))
    submission_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))

    @factory.post_generation
    def criteria(self, create, extracted, **kwargs):
        if create and extracted is not False:
            from proposals.services import round_add_default_criteria

            round_add_default_criteria(round_=self)


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "proposals.Theme"

    round = factory.SubFactory(RoundFactory)
    title = factory.Sequence(lambda n: f"高齢者の見守り{n}")
    department = "高齢者福祉課"


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "proposals.Stage"

    round = factory.SubFactory(RoundFactory)
    number = 1
    name = factory.LazyAttribute(lambda o: "一次審査（書類）" if o.number == 1 else "二次審査")
    review_opens_on = factory.LazyFunction(timezone.localdate)
    review_deadline = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=14))
    status = "open"


class ProposalFactory(factory.django.DjangoModelFactory):
    """A complete draft (every required field and a budget for both years) of a valid
    organization with a recorded 事前相談; pass status="submitted" etc. through
    tests/proposals/conftest.submit() to get a frozen version."""

    class Meta:
        model = "proposals.Proposal"
        skip_postgeneration_save = True

    round = factory.SubFactory(RoundFactory)
    organization = factory.SubFactory(OrganizationFactory)
    kind = "free"
    title = factory.Sequence(lambda n: f"子ども食堂ネットワーク事業{n}")
    issue = "地域の子どもの孤食が増えている。"
    aims = "子どもと高齢者の居場所をつくる。"
    outcome_target = "参加者の満足度80%以上"
    activity_indicator = "年12回の開催"
    beneficiary_target = "延べ600人"
    year1_activities = "月1回の食堂を3か所で開く。"
    year1_schedule = "4月準備、5月開始"
    year2_activities = "5か所に広げる。"
    year2_schedule = "通年"
    role_group = "運営と参加者募集"
    role_ward = "会場の確保と周知"
    collaboration_form = "cooperation"
    track_record = "2019年から子ども食堂を運営。"
    pre_consultation_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=10))

    @factory.post_generation
    def budget(self, create, extracted, **kwargs):
        from proposals.models import BudgetLine

        if create and extracted is not False:
            BudgetLine.objects.bulk_create(
                [
                    BudgetLine(
                        proposal=self, year=1, category="supplies", item="食材", amount=120000
                    ),
                    BudgetLine(
                        proposal=self,
                        year=1,
                        category="printing",
                        item="チラシ",
                        amount=30000,
                        borne_by="group",
                    ),
                    BudgetLine(
                        proposal=self, year=2, category="supplies", item="食材", amount=150000
                    ),
                ]
            )
