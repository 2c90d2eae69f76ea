"""An organization's first weeks (issue 3): a user applies, staff approve, the 代表管理者 invites a
member who signs up and joins, and the organization appears in the public directory.

Four people, four browser contexts (their own cookies): the applicant, center staff, the
invitee and an anonymous visitor. Pages are located by URLs and form-field names, not by
translated text; each step checks what it left in the database.
"""

import re
from pathlib import Path
from urllib.parse import urlsplit

from allauth.account.models import EmailAddress
from django.core import mail
from playwright.sync_api import Page, expect

from accounts.models import User
from kyodo.models import SentMail
from organizations.models import (
    ActivityField,
    Application,
    Invitation,
    Membership,
    Organization,
    RegistrationCertificate,
)
from tests.factories import PASSWORD, StaffFactory, UserFactory

NAME = "日本橋そうじの会"
NAME_KANA = "にほんばし　そうじのかい"  # typed in hiragana, stored in katakana
REPRESENTATIVE = "日本橋　花子"
ACTIVITY_AREA = "日本橋地区"
ORG_PHONE = "03-5641-2020"
INVITEE = "newcomer@example.jp"
INVITEE_PASSWORD = "kyodo-Station-2026!"

INVITATION_LINK = re.compile(r"https?://\S+?/organizations/invitations/[^/\s]+/")
CONFIRM_LINK = re.compile(r"https?://\S+?/accounts/confirm-email/[^/\s]+/")


def _mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def _link_path(pattern: re.Pattern, address: str) -> str:
    """The path of the one link matching ``pattern`` in the mails to ``address``. The link is
    absolute, built from KYODO_SITE_URL (not the live server), so only its path is used."""
    links = {m.group(0) for message in _mails_to(address) for m in pattern.finditer(message.body)}
    assert len(links) == 1, (links, [(m.to, m.subject) for m in mail.outbox])
    return urlsplit(links.pop()).path


def _log_in(page: Page, email: str, password: str) -> None:
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").first.click()
    expect(page).not_to_have_url(re.compile(r"/accounts/login/"))


def test_apply_approve_invite_join_and_list_in_directory(
    page: Page, new_page, live_server, migrated_rows, tmp_path: Path
):
    base = live_server.url
    applicant = UserFactory()
    staff = StaffFactory()
    field = ActivityField.objects.get(number=3)  # まちづくりの推進を図る活動

    # --- 1. The applicant logs in and applies to register the organization -----------------
    page.goto(base + "/accounts/login/")
    _log_in(page, applicant.email, PASSWORD)
    expect(page).to_have_url(base + "/mypage/")

    page.goto(base + "/organizations/apply/")
    rules = tmp_path / "kiyaku.pdf"
    rules.write_bytes(b"%PDF-1.7\n%%EOF\n")
    form = page.locator("main form:has(input[name=consent])")
    form.locator("input[name=name]").fill(NAME)
    form.locator("input[name=name_kana]").fill(NAME_KANA)
    form.locator("select[name=org_type]").select_option("voluntary")
    form.locator("input[name=representative_name]").fill(REPRESENTATIVE)
    form.locator("input[name=representative_kana]").fill("にほんばし　はなこ")
    form.locator("input[name=postal_code]").fill("103-0013")
    form.locator("input[name=street]").fill("日本橋人形町1-1-1")
    form.locator("input[name=phone]").fill(ORG_PHONE)
    form.locator("input[name=email]").fill("souji@example.jp")
    form.locator(f"input[name=activity_fields][value='{field.pk}']").check()
    form.locator("input[name=activity_area]").fill(ACTIVITY_AREA)
    form.locator("input[name=member_count]").fill("8")
    form.locator("input[name=staff_count]").fill("0")
    form.locator("textarea[name=purpose]").fill("日本橋の道と公園をきれいに保つ。")
    form.locator("textarea[name=activities]").fill("月に一度の清掃活動と花壇の手入れ。")
    form.locator("input[name=active_in_ward]").check()
    form.locator("input[name=rules_document]").set_input_files(str(rules))
    form.locator("input[name=consent]").check()
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/organizations/\d+/$"))

    organization = Organization.objects.get(name=NAME)
    assert page.url == base + f"/organizations/{organization.pk}/"
    assert organization.status == "applying"
    assert organization.name_kana == "ニホンバシ　ソウジノカイ"
    assert organization.representative_kana == "ニホンバシ　ハナコ"
    assert list(organization.activity_fields.all()) == [field]
    assert organization.contact_person == applicant
    assert Membership.objects.get(organization=organization, user=applicant).role == "owner"
    assert organization.documents.get().kind == "rules"
    application = Application.objects.get(organization=organization)
    assert (application.kind, application.status) == ("new", "submitted")
    assert _mails_to(applicant.email), "the applicant got no receipt"

    # --- 2. Staff, in their own browser, approve the application --------------------------
    staff_page = new_page("staff")
    staff_page.goto(base + "/accounts/login/")
    _log_in(staff_page, staff.email, PASSWORD)
    staff_page.goto(base + "/staff/organizations/review/")
    review_path = f"/staff/organizations/applications/{application.pk}/"
    staff_page.locator(f"main a[href='{review_path}']").click()
    expect(staff_page).to_have_url(base + review_path)
    staff_page.locator("main button[name=action][value=approve]").click()
    expect(staff_page).to_have_url(base + "/staff/organizations/review/")

    organization.refresh_from_db()
    application.refresh_from_db()
    assert organization.status == "registered"
    assert re.fullmatch(r"\d{4}-\d{4}", organization.registration_number or "")
    assert organization.valid_until is not None
    assert (application.status, application.decided_by) == ("approved", staff)
    assert RegistrationCertificate.objects.filter(organization=organization).exists()
    number = organization.registration_number
    approvals = [m for m in _mails_to(applicant.email) if number in m.body]
    assert len(approvals) == 1, [m.subject for m in _mails_to(applicant.email)]
    assert SentMail.objects.filter(
        to=applicant.email, purpose="organizations.application_approved"
    ).exists()

    # --- 3. The 代表管理者 invites a new member ---------------------------------------------
    page.reload()  # the organization's page, now registered
    page.locator(f"main a[href='/organizations/{organization.pk}/members/']").first.click()
    expect(page).to_have_url(base + f"/organizations/{organization.pk}/members/")
    invite = page.locator(f"main form[action='/organizations/{organization.pk}/members/invite/']")
    invite.locator("input[name=email]").fill(INVITEE)
    invite.locator("select[name=role]").select_option("member")
    invite.locator("button[type=submit]").click()
    expect(page).to_have_url(base + f"/organizations/{organization.pk}/members/")
    expect(page.locator("main")).to_contain_text(INVITEE)  # listed among open invitations

    invitation = Invitation.objects.get(organization=organization)
    assert (invitation.email, invitation.role, invitation.invited_by) == (
        INVITEE,
        "member",
        applicant,
    )
    assert invitation.accepted_at is None and invitation.revoked_at is None
    invitation_path = _link_path(INVITATION_LINK, INVITEE)
    assert invitation_path == f"/organizations/invitations/{invitation.token}/"

    # --- 4. The invitee signs up from the invitation, confirms the address and joins -------
    invitee_page = new_page("invitee")
    invitee_page.goto(base + invitation_path)
    invitee_page.locator("main a[href^='/accounts/signup/?next=']").click()
    expect(invitee_page).to_have_url(re.compile(r"/accounts/signup/\?next="))
    form = invitee_page.locator("main form:has(input[name=password2])")
    form.locator("input[name=email]").fill(INVITEE)
    form.locator("input[name=family_name]").fill("新井")
    form.locator("input[name=given_name]").fill("誠")
    form.locator("input[name=family_name_kana]").fill("あらい")
    form.locator("input[name=given_name_kana]").fill("まこと")
    form.locator("input[name=phone]").fill("090-1234-5678")
    form.locator("input[name=password1]").fill(INVITEE_PASSWORD)
    form.locator("input[name=password2]").fill(INVITEE_PASSWORD)
    form.locator("button[type=submit]").click()
    expect(invitee_page).to_have_url(base + "/accounts/confirm-email/")
    invitee = User.objects.get(email=INVITEE)
    assert not EmailAddress.objects.get(user=invitee, email=INVITEE).verified
    assert not Membership.objects.filter(organization=organization, user=invitee).exists()

    invitee_page.goto(base + _link_path(CONFIRM_LINK, INVITEE))
    invitee_page.locator(
        "main form[action^='/accounts/confirm-email/'] button[type=submit]"
    ).click()
    expect(invitee_page).to_have_url(re.compile(r"/accounts/login/"))
    assert EmailAddress.objects.get(user=invitee, email=INVITEE).verified

    # The sign-up's ?next= does not survive the confirmation (allauth logs in on a separate
    # page), so the invitee opens the invitation link from the mail again, as the page says.
    _log_in(invitee_page, INVITEE, INVITEE_PASSWORD)
    invitee_page.goto(base + invitation_path)
    invitee_page.locator(f"main form[action='{invitation_path}'] button[type=submit]").click()
    expect(invitee_page).to_have_url(base + f"/organizations/{organization.pk}/members/")
    expect(invitee_page.locator("main")).to_contain_text(NAME)

    membership = Membership.objects.get(organization=organization, user=invitee)
    assert membership.role == "member"
    invitation.refresh_from_db()
    assert invitation.accepted_by == invitee and invitation.accepted_at is not None

    # --- 5. The organization chooses to be listed; a visitor finds it by its reading -------
    visitor = new_page("visitor")
    directory = base + "/organizations/directory/"
    result_link = f"main a[href='/organizations/directory/{organization.pk}/']"

    def search(reading: str) -> None:
        visitor.goto(directory)
        visitor.locator("main form[role=search] input[name=q]").fill(reading)
        visitor.locator("main form[role=search] button[type=submit]").click()
        expect(visitor).to_have_url(re.compile(r"/organizations/directory/\?(.+&)?q="))

    search("そうじのかい")  # not listed yet: registered organizations choose to appear
    expect(visitor.locator("main h1")).to_be_visible()
    expect(visitor.locator(result_link)).to_have_count(0)

    page.goto(base + f"/organizations/{organization.pk}/")
    page.locator(f"main a[href='/organizations/{organization.pk}/publication/']").click()
    expect(page).to_have_url(base + f"/organizations/{organization.pk}/publication/")
    form = page.locator("main form:has(input[name=is_listed])")
    form.locator("input[name=is_listed]").check()
    form.locator("input[name=public_fields][value=representative_name]").check()
    form.locator("input[name=public_fields][value=activity_area]").check()
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(base + f"/organizations/{organization.pk}/")

    organization.refresh_from_db()
    assert organization.is_listed
    assert organization.public_fields == ["representative_name", "activity_area"]

    search("そうじのかい")
    link = visitor.locator(result_link)
    expect(link).to_have_text(NAME)
    link.click()
    expect(visitor).to_have_url(base + f"/organizations/directory/{organization.pk}/")
    main = visitor.locator("main")
    expect(main).to_contain_text(NAME)
    expect(main).to_contain_text("ニホンバシ　ソウジノカイ")
    expect(main).to_contain_text(REPRESENTATIVE)
    expect(main).to_contain_text(ACTIVITY_AREA)
    expect(main).not_to_contain_text(ORG_PHONE)  # not chosen for the directory
