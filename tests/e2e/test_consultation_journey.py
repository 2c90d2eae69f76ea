"""A consultation online (issue 6): a member asks for their organization, staff pick the case up,
add an internal memo and a shared reply, and the member reads the reply on マイページ and writes
back.

Two people, two browser contexts: the member and center staff. Pages are located by URLs and
form-field names, not by translated text; each step checks what it left in the database.
"""

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from consultations.models import Case, CaseEvent, Category, Entry
from kyodo.models import SentMail
from kyodo.selectors import center_profile
from tests.e2e.journeys import REDUCED_MOTION, log_in
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory

REQUEST_TITLE = "子ども食堂の資金集めについて"
REQUEST = (
    REQUEST_TITLE + "\n来年度から月2回の子ども食堂を始めます。"
    "助成金の探し方と申請書の書き方を教えてください。"
)
PREFERRED_TIMES = "平日の午後"
STATUS_REASON = "担当します。まず助成金の候補を調べます。"
MEMO = "内部メモ：区の地域活動助成金が合いそう。前年度の採択例を確認する。"
REPLY = (
    "ご相談ありがとうございます。区の地域活動助成金をご案内します。"
    "来週の面談で申請書を一緒に確認しましょう。"
)
ASKER_MESSAGE = "ありがとうございます。来週火曜日の午後に伺います。"


def _mails_to(address: str) -> list:
    return [m for m in mail.outbox if address in m.to]


def _submit_to_same_page(page: Page, button: Locator) -> None:
    """Clicks a form's button whose POST redirects back to the page it is on: the URL stays the
    same, so wait for the navigation itself (wait_for_url would return at once)."""
    with page.expect_navigation():
        button.click()


def _add_entry(page: Page, case: Case, *, kind: str, notes: str, shared: bool) -> None:
    """Opens the case page's "add an entry" panel and submits it; back on the case page, the
    new entry is in the timeline."""
    form = page.locator(f"main form[action='/staff/consultations/cases/{case.pk}/entries/']")
    page.locator("#timeline details:has(form[action$='/entries/']) > summary").click()
    expect(form).to_be_visible()
    form.locator("select[name=kind]").select_option(kind)
    expect(form.locator("input[name=occurred_at]")).not_to_have_value("")  # now, by default
    form.locator("textarea[name=notes]").fill(notes)
    form.locator("input[name=shared_with_asker]").set_checked(shared)
    _submit_to_same_page(page, form.locator("button[type=submit]"))  # back to …/#timeline
    expect(page.locator("#timeline ol")).to_contain_text(notes)


@pytest.mark.browser_context_args(**REDUCED_MOTION)
def test_member_asks_staff_reply_member_reads_on_mypage(
    page: Page, new_page, live_server, migrated_rows
):
    base = live_server.url
    organization = OrganizationFactory()
    member = MembershipFactory(organization=organization, role="manager").user
    staff = StaffFactory()
    fundraising = Category.objects.get(name="資金調達")
    subsidies = Category.objects.get(name="補助金申請")

    # --- 1. The member logs in and asks online for their organization ---------------------
    log_in(page, base, member.email)
    page.goto(base + "/consultations/ask/")
    form = page.locator("main form:has(input[name=consent])")
    expect(form.locator("input[name=name]")).to_have_count(0)  # a member's come from the account
    form.locator(f"input[name=on_behalf_of][value='{organization.pk}']").check()
    form.locator(f"input[name=categories][value='{fundraising.pk}']").check()
    form.locator(f"input[name=categories][value='{subsidies.pk}']").check()
    form.locator("textarea[name=request]").fill(REQUEST)
    form.locator("input[name=preferred_contact][value=email]").check()
    form.locator("input[name=preferred_times]").fill(PREFERRED_TIMES)
    form.locator("input[name=consent]").check()
    honeypot = form.locator("input[name=website]")
    expect(honeypot).to_have_value("")  # hidden from people: a value would drop the request
    expect(honeypot).not_to_be_in_viewport()
    form.locator("button[type=submit]").click()
    page.wait_for_url(base + "/consultations/ask/thanks/")

    case = Case.objects.get(asker=member)
    expect(page.locator("main")).to_contain_text(case.number)
    assert (case.status, case.channel) == ("received", "online")
    assert case.organization == organization
    assert case.organization_type == organization.org_type
    assert REQUEST_TITLE not in case.title  # a neutral title: lists never show the request
    assert case.request.replace("\r\n", "\n") == REQUEST  # a browser sends a textarea's CRLF
    assert (case.preferred_contact, case.preferred_times) == ("email", PREFERRED_TIMES)
    assert case.asker_email == member.email
    assert case.consented_at is not None
    assert case.assigned_to is None
    assert set(case.categories.all()) == {fundraising, subsidies}
    assert case.parties.get().organization == organization
    assert list(case.events.values_list("old_status", "new_status")) == [("", "received")]
    acknowledgements = _mails_to(member.email)
    assert len(acknowledgements) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert case.number in acknowledgements[0].body
    assert SentMail.objects.filter(
        to=member.email, purpose="consultations.request_received"
    ).exists()
    assert _mails_to(center_profile().email), "the center was not told of the new request"

    # --- 2. Staff, in their own browser, pick the case up from the dashboard --------------
    staff_page = new_page("staff")
    log_in(staff_page, base, staff.email)
    staff_page.locator("main a[href='/staff/consultations/']").first.click()
    staff_page.wait_for_url(base + "/staff/consultations/")
    detail_path = f"/staff/consultations/cases/{case.pk}/"
    new_online = staff_page.locator("main section[aria-labelledby=h-new-online]")
    expect(new_online).to_contain_text(case.number)
    new_online.locator(f"a[href='{detail_path}']").click()
    staff_page.wait_for_url(base + detail_path)
    expect(staff_page.locator("#timeline blockquote")).to_contain_text(REQUEST_TITLE)

    # Taking charge: the case is given to this member of staff on its edit page.
    staff_page.locator(f"main a[href='{detail_path}edit/']").click()
    staff_page.wait_for_url(base + detail_path + "edit/")
    form = staff_page.locator("main form:has(select[name=assigned_to])")
    form.locator("select[name=assigned_to]").select_option(str(staff.pk))
    form.locator("button[type=submit]").click()
    staff_page.wait_for_url(base + detail_path)
    case.refresh_from_db()
    assert case.assigned_to == staff
    assert case.status == "received"  # editing does not move the status

    # … and moves it to 対応中 with a reason, which the status history shows.
    form = staff_page.locator(f"main form[action='{detail_path}status/']")
    form.locator("textarea[name=reason]").fill(STATUS_REASON)
    _submit_to_same_page(staff_page, form.locator("button[name=to][value=in_progress]"))
    expect(staff_page.locator("section[aria-labelledby=h-status] table")).to_contain_text(
        STATUS_REASON
    )
    case.refresh_from_db()
    assert case.status == "in_progress"
    move = CaseEvent.objects.get(case=case, new_status="in_progress")
    assert (move.old_status, move.changed_by, move.reason) == ("received", staff, STATUS_REASON)
    mails_before_entries = len(mail.outbox)

    # An internal memo, then a reply shared with the asker.
    _add_entry(staff_page, case, kind="memo", notes=MEMO, shared=False)
    memo = Entry.objects.get(case=case, kind="memo")
    assert (memo.notes, memo.shared_with_asker, memo.staff) == (MEMO, False, staff)
    assert len(mail.outbox) == mails_before_entries, "an internal memo was mailed"

    _add_entry(staff_page, case, kind="email", notes=REPLY, shared=True)
    reply = Entry.objects.get(case=case, kind="email")
    assert (reply.notes, reply.shared_with_asker, reply.staff) == (REPLY, True, staff)
    assert case.entries.count() == 2
    case.refresh_from_db()
    assert case.status == "in_progress"
    assert case.events.count() == 2  # received, in_progress: the entries moved nothing

    replies = _mails_to(member.email)[1:]
    assert len(replies) == 1, [(m.to, m.subject) for m in mail.outbox]
    my_case_path = f"/consultations/mine/{case.pk}/"
    assert my_case_path in replies[0].body
    assert MEMO not in replies[0].body
    assert len(mail.outbox) == mails_before_entries + 1
    assert SentMail.objects.filter(to=member.email, purpose="consultations.reply").exists()

    # The case left the new online requests and is among this staff member's open cases.
    staff_page.goto(base + "/staff/consultations/")
    expect(staff_page.locator("main section[aria-labelledby=h-my-cases]")).to_contain_text(
        case.number
    )
    expect(staff_page.locator("main section[aria-labelledby=h-new-online]")).not_to_contain_text(
        case.number
    )

    # --- 3. The member reads the reply on マイページ, never the memo, and writes back --------
    page.goto(base + "/mypage/")
    section = page.locator("main section[aria-labelledby=h-consultations]")
    expect(section).to_contain_text(case.number)
    section.locator(f"a[href='{my_case_path}']").click()
    page.wait_for_url(base + my_case_path)
    main = page.locator("main")
    messages = main.locator("section[aria-labelledby=h-messages]")
    expect(messages).to_contain_text(REPLY)
    expect(main).to_contain_text(REQUEST_TITLE)
    expect(main).not_to_contain_text(MEMO)
    expect(main).not_to_contain_text(STATUS_REASON)

    form = main.locator("form:has(textarea[name=message])")
    form.locator("textarea[name=message]").fill(ASKER_MESSAGE)
    _submit_to_same_page(page, form.locator("button[type=submit]"))
    expect(page).to_have_url(base + my_case_path)
    expect(messages).to_contain_text(ASKER_MESSAGE)
    expect(main).not_to_contain_text(MEMO)

    message = Entry.objects.get(case=case, kind="asker_message")
    assert (message.notes, message.created_by, message.shared_with_asker) == (
        ASKER_MESSAGE,
        member,
        True,
    )
    case.refresh_from_db()
    assert case.status == "in_progress"
    notices = _mails_to(staff.email)  # the staff in charge is told
    assert len(notices) == 1, [(m.to, m.subject) for m in mail.outbox]
    assert detail_path in notices[0].body

    # Staff see the asker's message in the timeline.
    staff_page.goto(base + detail_path)
    expect(staff_page.locator("#timeline ol")).to_contain_text(ASKER_MESSAGE)
