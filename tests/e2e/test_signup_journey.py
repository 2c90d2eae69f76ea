"""A newcomer signs up, confirms the e-mail, logs in, sees マイページ and switches language.

Pages are located by URLs and form-field names, not by translated text: the Japanese
catalogue changes independently of this journey.
"""

import re
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from kyodo.models import SentMail

EMAIL = "hanako.yamada@example.jp"
PASSWORD = "kyodo-Station-2026!"
CONFIRM_LINK = re.compile(r"https?://\S+?/accounts/confirm-email/[^/\s]+/")


def _confirmation_path() -> str:
    assert len(mail.outbox) == 1, [m.subject for m in mail.outbox]
    message = mail.outbox[0]
    assert message.to == [EMAIL]
    match = CONFIRM_LINK.search(message.body)
    assert match, message.body
    return urlsplit(match.group(0)).path


def _switch_language(page: Page, code: str) -> None:
    switch = page.locator("form.language-switch")
    switch.locator("#language-select").select_option(code)
    switch.locator("button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", code)


def test_newcomer_signs_up_confirms_logs_in_and_switches_language(
    page: Page, live_server, transactional_db
):
    base = live_server.url

    # Home page, Japanese by default; the navbar leads to sign-up.
    page.goto(base + "/")
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    page.locator("header a[href='/accounts/signup/']").click()
    expect(page).to_have_url(base + "/accounts/signup/")

    form = page.locator("form:has(input[name=password2])")
    form.locator("input[name=email]").fill(EMAIL)
    form.locator("input[name=family_name]").fill("山田")
    form.locator("input[name=given_name]").fill("花子")
    form.locator("input[name=family_name_kana]").fill("やまだ")
    form.locator("input[name=given_name_kana]").fill("はなこ")
    form.locator("input[name=phone]").fill("03-3666-4761")
    form.locator("input[name=password1]").fill(PASSWORD)
    form.locator("input[name=password2]").fill(PASSWORD)
    form.locator("button[type=submit]").click()
    # Mandatory verification: allauth says a mail was sent instead of logging in.
    expect(page).to_have_url(base + "/accounts/confirm-email/")

    user = User.objects.get(email=EMAIL)
    assert (user.family_name, user.given_name) == ("山田", "花子")
    assert (user.family_name_kana, user.given_name_kana) == ("ヤマダ", "ハナコ")
    assert user.phone == "03-3666-4761"
    assert user.language == "ja"
    assert user.is_active
    assert not EmailAddress.objects.get(user=user, email=EMAIL).verified
    sent = SentMail.objects.get(to=EMAIL)
    assert sent.purpose.startswith("account."), sent.purpose
    assert sent.status == SentMail.Status.SENT
    assert sent.language == "ja"

    # The link in the mail shows a confirm button (no confirmation on GET). The form's action
    # is not the link itself: allauth signs the key again, with the time of this request.
    page.goto(base + _confirmation_path())
    page.locator("main form[action^='/accounts/confirm-email/'] button[type=submit]").click()
    expect(page).to_have_url(base + "/accounts/login/")
    assert EmailAddress.objects.get(user=user, email=EMAIL).verified

    # Log in and land on マイページ, which shows the user's own data.
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=login]").fill(EMAIL)
    form.locator("input[name=password]").fill(PASSWORD)
    form.locator("button[type=submit]").first.click()
    expect(page).to_have_url(base + "/mypage/")
    main = page.locator("main")
    expect(main).to_contain_text(EMAIL)
    expect(main).to_contain_text("ヤマダ\u3000ハナコ")

    # The navbar's language switch, there and back, staying on マイページ.
    _switch_language(page, "en")
    expect(page).to_have_url(base + "/mypage/")
    _switch_language(page, "ja")
    expect(page).to_have_url(base + "/mypage/")
