"""Mails a person can read on the demo's console: text parts in plain UTF-8 (not base64), the
center's name in allauth's greeting, links to the address the portal is served at, and a
seeding that prints no mail."""

import email
import email.policy
import io
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from kyodo.mail import absolute_url, mail_enqueue
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP = {
    "email": "hanako@example.jp",
    "family_name": "山田",
    "given_name": "花子",
    "family_name_kana": "ヤマダ",
    "given_name_kana": "ハナコ",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


def _console(settings, capsys, send):
    """What the console backend (the demo's) prints for the mails ``send`` sends."""
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    capsys.readouterr()
    send()
    return capsys.readouterr().out


def _parts(raw: str):
    message = email.message_from_string(raw.split("\n" + "-" * 79)[0], policy=email.policy.default)
    return [p for p in message.walk() if p.get_content_maintype() == "text"]


def test_the_verification_mail_on_the_console_is_readable_with_its_link(client, settings, capsys):
    out = _console(settings, capsys, lambda: client.post(reverse("account_signup"), SIGNUP))
    assert "base64" not in out
    assert "Content-Transfer-Encoding: 8bit" in out
    # The link is printed whole, on one line, as a newcomer clicks it.
    assert re.search(r"http://testserver/accounts/confirm-email/\S+/ ", out)
    assert "メールアドレス" in out  # the Japanese text itself, not an encoding of it


def test_our_mails_travel_as_8bit_utf8_also_over_smtp_with_long_japanese_lines():
    user = UserFactory()
    mail_enqueue(
        to=user.email,
        template="welcome",
        user=user,
        context={"mypage_url": "http://127.0.0.1:8000/mypage/"},
        purpose="test",
    )
    raw = mail.outbox[0].message(policy=email.policy.SMTP).as_bytes()
    assert b"base64" not in raw
    parts = _parts(raw.decode("utf-8").replace("\r\n", "\n"))
    assert {p["Content-Transfer-Encoding"] for p in parts} == {"8bit"}
    assert all(len(line) <= 998 for line in raw.split(b"\r\n"))


def test_a_line_longer_than_smtp_allows_is_sent_quoted_printable():
    from django.core.mail import EmailMessage

    body = "長い行" * 400  # 3,600 bytes on one line
    raw = EmailMessage("件名", body, "a@example.jp", ["b@example.jp"]).message().as_string()
    assert "Content-Transfer-Encoding: quoted-printable" in raw
    assert all(len(line) <= 998 for line in raw.splitlines())


def test_allauths_mails_greet_with_the_centers_name(client):
    client.post(reverse("account_signup"), SIGNUP)
    body = mail.outbox[0].body
    assert "こんにちは、協働ステーション中央 です" in body


def test_links_follow_the_request_address_in_development_without_a_set_address(client, settings):
    """A password reset link sent from runserver on port 9000 points at port 9000; so do
    our own mails' links."""
    settings.KYODO_SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    UserFactory(email="reset@example.jp")
    client.post(
        reverse("account_reset_password"), {"email": "reset@example.jp"}, HTTP_HOST="127.0.0.1:9000"
    )
    assert "http://127.0.0.1:9000/accounts/password/reset/key/" in mail.outbox[0].body


def test_links_use_the_set_address_outside_a_request_and_when_it_is_set(client, settings):
    settings.KYODO_SITE_URL = "https://kyodo.example.jp"
    settings.KYODO_SITE_URL_FROM_REQUEST = False
    assert absolute_url("/mypage/") == "https://kyodo.example.jp/mypage/"


# Inside the test's transaction the seeders' commits are savepoints, so their mails would wait
# for a commit that never comes: seed_demo sends what the outbox still holds, held, before it
# ends (as it must with a worker too), so the mails are counted here as in `make run`.
@pytest.mark.django_db
def test_seeding_the_demo_prints_no_mail_but_a_count(settings, capsys):
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = capsys.readouterr().out + out.getvalue()
    assert "Content-Type:" not in printed
    assert "Subject:" not in printed
    held = re.search(r"demo mails \(not sent\): (\d+)", out.getvalue())
    assert held and int(held.group(1)) > 0
    assert "staff@demo.kyodo.jp /" in out.getvalue()


def test_make_run_on_another_port_gives_mail_links_to_that_port():
    make = shutil.which("make")
    if make is None:
        pytest.skip("make is not installed")
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k != "KYODO_SITE_URL"}
    plan = subprocess.run(  # noqa: S603 -- make with fixed arguments
        [make, "-n", "run", "PORT=8123"], cwd=root, env=env, capture_output=True, text=True
    ).stdout
    runserver = next(line for line in plan.splitlines() if "runserver" in line)
    assert 'KYODO_SITE_URL="http://127.0.0.1:8123"' in runserver
    assert runserver.rstrip().endswith("runserver 127.0.0.1:8123")
    seed = next(line for line in plan.splitlines() if "seed_demo" in line)
    assert 'KYODO_SITE_URL="http://127.0.0.1:8123"' in seed


def test_our_links_take_the_address_of_the_request_being_answered(rf, settings):
    """In development without KYODO_SITE_URL, a mail sent while a request is answered (tasks
    run in-process there) links to where that request came; outside it, to the setting."""
    from kyodo.site import SiteURLMiddleware

    settings.KYODO_SITE_URL = "http://127.0.0.1:8000"
    settings.KYODO_SITE_URL_FROM_REQUEST = True
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    seen = []
    middleware = SiteURLMiddleware(lambda request: seen.append(absolute_url("/mypage/")))
    middleware(rf.get("/", HTTP_HOST="127.0.0.1:9000"))
    assert seen == ["http://127.0.0.1:9000/mypage/"]
    assert absolute_url("/mypage/") == "http://127.0.0.1:8000/mypage/"

    settings.KYODO_SITE_URL_FROM_REQUEST = False  # production, tests, or the setting given
    middleware(rf.get("/", HTTP_HOST="127.0.0.1:9000"))
    assert seen[-1] == "http://127.0.0.1:8000/mypage/"
