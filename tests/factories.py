import factory
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from accounts.models import User
from accounts.roles import Role

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
