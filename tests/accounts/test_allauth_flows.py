import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from kyodo.models import SentMail
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "hanako@example.jp",
    "family_name": "山田",
    "given_name": "花子",
    "family_name_kana": "やまだ",
    "given_name_kana": "ﾊﾅｺ",
    "phone": "０３－１２３４－５６７８",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _confirmation_url(message):
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


def test_signup_normalises_furigana_and_phone_and_sends_a_recorded_confirmation(client):
    response = client.post(reverse("account_signup"), SIGNUP)
    assert response.status_code == 302
    user = User.objects.get(email="hanako@example.jp")
    assert (user.family_name_kana, user.given_name_kana) == ("ヤマダ", "ハナコ")
    assert user.phone == "03-1234-5678"
    assert user.language == "ja"
    assert len(mail.outbox) == 1
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    record = SentMail.objects.get()
    assert (record.to, record.purpose, record.status) == (
        "hanako@example.jp",
        "account.email_confirmation_signup",
        "sent",
    )


def test_signup_rejects_a_reading_in_kanji(client):
    response = client.post(reverse("account_signup"), {**SIGNUP, "family_name_kana": "山田"})
    assert response.status_code == 200
    assert not User.objects.exists()
    assert "family_name_kana" in response.context["form"].errors


def test_signing_up_in_english_keeps_english_for_later_mails(client):
    client.cookies["django_language"] = "en"  # chosen with the language switch
    client.post(reverse("account_signup"), SIGNUP)
    user = User.objects.get()
    assert user.language == "en"
    assert SentMail.objects.get().language == "en"


def test_login_is_refused_until_the_email_is_confirmed(client):
    client.post(reverse("account_signup"), SIGNUP)
    client.logout()
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": PASSWORD}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session


def test_confirming_the_email_lets_the_user_log_in_and_sends_the_welcome_once(
    client, run_on_commit
):
    client.post(reverse("account_signup"), SIGNUP)
    url = _confirmation_url(mail.outbox[0])
    with run_on_commit():
        client.post(url)
    address = EmailAddress.objects.get(email=SIGNUP["email"])
    assert address.verified
    assert SentMail.objects.filter(purpose="account.welcome").count() == 1
    with run_on_commit():
        client.post(url)  # a second click confirms nothing new and welcomes nobody again
    assert SentMail.objects.filter(purpose="account.welcome").count() == 1
    response = client.post(
        reverse("account_login"), {"login": SIGNUP["email"], "password": PASSWORD}
    )
    assert response["Location"] == reverse("accounts:mypage")
    assert client.get(reverse("accounts:mypage")).status_code == 200


def test_logout_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    client.post(reverse("account_logout"))
    assert "_auth_user_id" not in client.session


def test_password_reset_mails_a_link_that_sets_a_new_password(client):
    user = UserFactory(email="reset@example.jp")
    client.post(reverse("account_reset_password"), {"email": "reset@example.jp"})
    assert SentMail.objects.filter(purpose="account.password_reset_key").count() == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    response = client.get(link.group(1), follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link.group(1)
    new = "another-long-passphrase-42"
    client.post(form_url, {"password1": new, "password2": new})
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_change_needs_the_old_password(client):
    user = UserFactory()
    client.force_login(user)
    new = "another-long-passphrase-42"
    client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": new, "password2": new},
    )
    user.refresh_from_db()
    assert user.check_password(PASSWORD)
    client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": new, "password2": new},
    )
    user.refresh_from_db()
    assert user.check_password(new)


ADDRESS_A, ADDRESS_B = "203.0.113.7", "198.51.100.20"


def _log_in(client, password, address):
    return client.post(
        reverse("account_login"),
        {"login": "target@example.jp", "password": password},
        REMOTE_ADDR=address,
    )


def _refused_for_too_many_attempts(response) -> bool:
    codes = [e.code for e in response.context["form"].non_field_errors().as_data()]
    return codes == ["too_many_login_attempts"]


@pytest.fixture
def _frozen_clock():
    # The limits count attempts in a window of time: hold the clock so that none expires.
    with time_machine.travel(dt.datetime(2026, 11, 20, 1, tzinfo=dt.UTC), tick=False):
        yield


@pytest.mark.usefixtures("_frozen_clock")
def test_wrong_passwords_lock_that_address_out_of_the_account_but_not_its_owner_elsewhere():
    UserFactory(email="target@example.jp")
    attacker, owner = Client(), Client()
    for _ in range(5):
        assert _log_in(attacker, "wrong-password", ADDRESS_A).status_code == 200

    # From A even the right password is refused while the limit holds ...
    locked = _log_in(attacker, PASSWORD, ADDRESS_A)
    assert locked.status_code == 200
    assert _refused_for_too_many_attempts(locked)
    assert "_auth_user_id" not in attacker.session
    # ... while the owner, from their own address, logs in.
    assert _log_in(owner, PASSWORD, ADDRESS_B).status_code == 302
    assert "_auth_user_id" in owner.session


@pytest.mark.usefixtures("_frozen_clock")
def test_one_address_trying_many_accounts_is_held_off():
    client = Client()
    for n in range(10):
        UserFactory(email=f"victim{n}@example.jp")
        client.post(
            reverse("account_login"),
            {"login": f"victim{n}@example.jp", "password": "wrong-password"},
            REMOTE_ADDR=ADDRESS_A,
        )
    UserFactory(email="target@example.jp")
    assert _refused_for_too_many_attempts(_log_in(client, PASSWORD, ADDRESS_A))
    assert _log_in(Client(), PASSWORD, ADDRESS_B).status_code == 302


def test_many_signups_from_one_address_are_rate_limited(client):
    statuses = [
        client.post(reverse("account_signup"), {**SIGNUP, "email": f"s{i}@example.jp"}).status_code
        for i in range(22)
    ]
    assert statuses[0] == 302
    assert statuses[-1] == 429


def test_the_admin_login_goes_through_the_rate_limited_allauth_login(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_a_signed_in_user_without_staff_rights_is_refused_by_the_admin(client):
    client.force_login(UserFactory())
    assert client.get("/admin/login/").status_code == 403
