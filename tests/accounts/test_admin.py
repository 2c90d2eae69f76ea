import pytest
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from kyodo.mail import mail_enqueue
from kyodo.models import Closure, SentMail
from tests.factories import (
    CouncilMemberFactory,
    StaffFactory,
    UserFactory,
    WardOfficialFactory,
)

pytestmark = pytest.mark.django_db


def test_the_backoffice_carries_the_centers_title(client):
    client.force_login(StaffFactory())
    body = client.get(reverse("admin:index")).content.decode()
    assert "協働ステーション中央 管理" in body or "Kyodo Station Chuo administration" in body


@pytest.mark.parametrize(
    ("factory", "expected"),
    [
        (UserFactory, 302),
        (WardOfficialFactory, 302),
        (CouncilMemberFactory, 302),
        (StaffFactory, 200),
    ],
)
def test_only_staff_reach_the_backoffice(client, factory, expected):
    client.force_login(factory())
    assert client.get(reverse("admin:index")).status_code == expected


def test_the_user_list_filters_by_role_and_searches_names(client):
    staff = StaffFactory()
    WardOfficialFactory(family_name="日本橋", family_name_kana="ニホンバシ")
    UserFactory(family_name="佃", family_name_kana="ツクダ")
    client.force_login(staff)
    url = reverse("admin:accounts_user_changelist")
    by_role = client.get(url, {"role": Role.WARD_OFFICIAL.value})
    assert [u.family_name for u in by_role.context["cl"].result_list] == ["日本橋"]
    by_kana = client.get(url, {"q": "ツクダ"})
    assert [u.family_name for u in by_kana.context["cl"].result_list] == ["佃"]
    no_role = client.get(url, {"role": "none"})
    assert [u.family_name for u in no_role.context["cl"].result_list] == ["佃"]


def test_the_user_list_runs_the_same_queries_for_one_and_many_users(
    client, django_assert_num_queries
):
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("admin:accounts_user_changelist")
    client.get(url)  # warm caches (content types, session)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(url)
    UserFactory.create_batch(25)
    with django_assert_num_queries(len(one)):
        client.get(url)


def test_a_staff_change_is_in_the_audit_trail_with_who_made_it(client):
    staff = StaffFactory()
    client.force_login(staff)
    client.post(
        reverse("admin:kyodo_closure_add"),
        {"date": "2026-12-10", "reason": "電気設備点検", "opens": "", "closes": ""},
    )
    closure = Closure.objects.get()
    record = closure.history.get()
    assert (record.history_type, record.history_user, record.reason) == ("+", staff, "電気設備点検")
    history_page = client.get(reverse("admin:kyodo_closure_history", args=[closure.pk]))
    assert "電気設備点検" in history_page.content.decode()


def test_a_users_role_change_is_audited(client):
    staff = StaffFactory()
    target = UserFactory(family_name="佃")
    client.force_login(staff)
    client.post(
        reverse("admin:accounts_user_change", args=[target.pk]),
        {
            "email": target.email,
            "family_name": "佃島",
            "given_name": target.given_name,
            "family_name_kana": "ツクダジマ",
            "given_name_kana": "タロウ",
            "phone": "",
            "language": "ja",
            "is_active": "on",
            "groups": [],
            "date_joined_0": "2026-11-01",
            "date_joined_1": "10:00:00",
        },
    )
    target.refresh_from_db()
    assert target.family_name == "佃島"
    record = User.history.filter(id=target.pk).latest("history_date")
    assert record.history_user == staff
    assert not hasattr(record, "password")  # the hash is never copied into the history


def test_the_mail_log_lists_what_was_sent_and_cannot_be_edited(client):
    user = UserFactory(language="en")
    mail_enqueue(
        to=user.email,
        template="welcome",
        user=user,
        purpose="account.welcome",
        context={"mypage_url": "http://testserver/mypage/"},
    )
    record = SentMail.objects.get()
    assert (record.language, record.subject) == ("en", "Welcome to Kyodo Station Chuo")
    client.force_login(StaffFactory())
    page = client.get(reverse("admin:kyodo_sentmail_changelist")).content.decode()
    assert user.email in page
    assert client.get(reverse("admin:kyodo_sentmail_add")).status_code == 403


def test_center_staff_cannot_raise_their_own_or_anyones_rights(client):
    staff = StaffFactory()
    client.force_login(staff)
    url = reverse("admin:accounts_user_change", args=[staff.pk])
    # Staff accounts are for superusers to edit: a センター職員 may look, not change.
    assert client.post(url, {"email": staff.email, "is_superuser": "on"}).status_code == 403
    staff.refresh_from_db()
    assert not staff.is_superuser
    plain = UserFactory()
    client.post(
        reverse("admin:accounts_user_change", args=[plain.pk]),
        {
            "email": plain.email,
            "family_name": "佃",
            "given_name": plain.given_name,
            "family_name_kana": "ツクダ",
            "given_name_kana": "タロウ",
            "phone": "",
            "language": "ja",
            "is_active": "on",
            "is_superuser": "on",
            "is_staff": "on",
            "date_joined_0": "2026-11-01",
            "date_joined_1": "10:00:00",
        },
    )
    plain.refresh_from_db()
    assert plain.family_name == "佃"  # the details changed …
    assert not plain.is_superuser and not plain.is_staff  # … the rights did not


def test_center_staff_cannot_set_the_password_of_a_staff_account(client):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(StaffFactory())
    url = (
        reverse("admin:auth_user_password_change", args=[superuser.pk])
        if False
        else (f"/admin/accounts/user/{superuser.pk}/password/")
    )
    assert client.get(url).status_code in (403, 404)
