"""The needs/offers board (issue 18): a 町会 posts a need, staff publish it, a company answers
"I can help", staff see the coordination case with both parties; and the public reads the
council's published minutes.

Pages are located by URLs and form-field names, not by translated text; each step checks what
it left in the database.
"""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from consultations.models import Case
from coordination import council_services
from coordination.enums import MinutesStatus
from coordination.models import Interest, Meeting, Post, Region
from organizations.models import ActivityField
from tests.e2e.journeys import REDUCED_MOTION, log_in
from tests.factories import MembershipFactory, OrganizationFactory, StaffFactory

TITLE = "夏祭りの設営ボランティア募集"


@pytest.mark.browser_context_args(**REDUCED_MOTION)
def test_a_chokai_posts_staff_publish_a_company_answers_staff_see_both_parties(
    page, new_page, live_server, migrated_rows
):
    base = live_server.url
    chokai = OrganizationFactory(org_type="chokai", name="小伝馬町テスト町会")
    chokai_owner = MembershipFactory(organization=chokai, role="owner").user
    company = OrganizationFactory(org_type="company", name="株式会社テスト商事")
    company_owner = MembershipFactory(organization=company, role="owner").user
    staff = StaffFactory()
    field = ActivityField.objects.get(number=3)
    region = Region.objects.get(name="日本橋")

    # --- 1. The 町会 posts a need ---------------------------------------------------------
    log_in(page, base, chokai_owner.email)
    page.goto(base + "/coordination/new/")
    form = page.locator("main form:has(input[name=title])")
    form.locator("input[name=kind][value=need]").check()
    form.locator("select[name=category]").select_option("volunteers")
    form.locator("input[name=title]").fill(TITLE)
    form.locator("textarea[name=description]").fill("テントの設営と撤収を手伝ってください。")
    form.locator(f"input[name=activity_fields][value='{field.pk}']").check()
    form.locator("select[name=region]").select_option(str(region.pk))
    form.locator("button[type=submit]").click()
    post = Post.objects.get(title=TITLE)
    page.wait_for_url(base + f"/coordination/mine/{post.pk}/")
    assert (post.status, post.organization) == ("submitted", chokai)
    page.goto(base + "/coordination/")
    expect(page.locator("main")).not_to_contain_text(TITLE)  # nothing public before the check

    # --- 2. Staff publish it --------------------------------------------------------------
    staff_page = new_page("staff")
    log_in(staff_page, base, staff.email)
    staff_page.goto(base + "/staff/coordination/?status=submitted")
    staff_page.locator(f"main a[href='/staff/coordination/posts/{post.pk}/']").click()
    staff_page.wait_for_url(base + f"/staff/coordination/posts/{post.pk}/")
    form = staff_page.locator("main form:has(input[name=decision])")
    form.locator("input[name=decision][value=published]").check()
    with staff_page.expect_navigation():
        form.locator("button[type=submit]").click()
    post.refresh_from_db()
    assert post.status == "published" and post.valid_until is not None

    # --- 3. A company reads the board and answers ------------------------------------------
    company_page = new_page("company")
    log_in(company_page, base, company_owner.email)
    company_page.goto(base + "/coordination/")
    company_page.locator(f"main a[href='/coordination/posts/{post.pk}/']").click()
    company_page.wait_for_url(base + f"/coordination/posts/{post.pk}/")
    expect(company_page.locator("main")).not_to_contain_text(chokai.phone)
    expect(company_page.locator("main")).not_to_contain_text(chokai.email)
    form = company_page.locator(f"main form[action='/coordination/posts/{post.pk}/interest/']")
    form.locator("textarea[name=message]").fill("社員10名で設営をお手伝いできます。")
    form.locator("button[type=submit]").click()
    company_page.wait_for_url(base + "/coordination/mine/")
    interest = Interest.objects.get(post=post)
    case = interest.case
    assert Case.objects.count() == 1 and interest.organization == company
    expect(company_page.locator("main")).to_contain_text(case.number)

    # --- 4. Staff see the case with both parties -------------------------------------------
    staff_page.goto(base + f"/staff/coordination/posts/{post.pk}/")
    staff_page.locator(f"main a[href='/staff/consultations/cases/{case.pk}/']").click()
    staff_page.wait_for_url(base + f"/staff/consultations/cases/{case.pk}/")
    main = staff_page.locator("main")
    expect(main).to_contain_text(company.name)
    expect(main).to_contain_text(chokai.name)

    # … and the 町会 sees the case on マイページ.
    page.goto(base + "/mypage/")
    expect(page.locator("main")).to_contain_text(case.number)


@pytest.mark.browser_context_args(**REDUCED_MOTION)
def test_the_public_reads_published_minutes_only(page, live_server, migrated_rows):
    base = live_server.url
    staff = StaffFactory()
    starts = timezone.now() - dt.timedelta(days=14)
    published = Meeting.objects.create(
        title="第1回 中央区協働推進会議", starts_at=starts,
        ends_at=starts + dt.timedelta(hours=2), place="十思スクエア", agenda="審査について",
    )  # fmt: skip
    checking = Meeting.objects.create(
        title="第2回 中央区協働推進会議", starts_at=starts + dt.timedelta(days=7),
        ends_at=starts + dt.timedelta(days=7, hours=2), place="十思スクエア", agenda="評価",
    )  # fmt: skip
    minutes = council_services.minutes_save(meeting=published, by=staff, text="承認済みの記録")
    for to in (MinutesStatus.IN_REVIEW, MinutesStatus.APPROVED, MinutesStatus.PUBLISHED):
        council_services.minutes_move(minutes=minutes, by=staff, to=to)
    draft = council_services.minutes_save(meeting=checking, by=staff, text="確認中の記録")
    council_services.minutes_move(minutes=draft, by=staff, to=MinutesStatus.IN_REVIEW)

    page.goto(base + "/council/")
    page.locator(f"main a[href='/council/meetings/{published.pk}/']").click()
    page.wait_for_url(base + f"/council/meetings/{published.pk}/")
    expect(page.locator("main")).to_contain_text("承認済みの記録")
    page.goto(base + f"/council/meetings/{checking.pk}/")
    expect(page.locator("main")).not_to_contain_text("確認中の記録")
