"""Booking a room (issue 4): a 管理者 books a free slot of the 会議室 from its availability view,
finds the booking on マイページ and downloads the 利用承認書; a second organization's 管理者 sees
the slot as taken (without the first group's name), is told so when trying to book it anyway,
and joins the waitlist offered on the form.

Two people, two browser contexts. The live server runs on real time, so the day is computed
here: a Tuesday–Sunday 7 to 21 days ahead, inside the booking window and the center's hours.
Pages are located by URLs and form-field names, not by translated text; each step checks what
it left in the database.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Page, expect

from facilities.enums import BookingStatus
from facilities.models import Booking, Resource, WaitlistEntry, WaitlistStatus
from kyodo.dates import center_day, fiscal_year, holiday_name
from tests.e2e.journeys import REDUCED_MOTION, log_in
from tests.factories import MembershipFactory, OrganizationFactory

PURPOSE = "防災ワークショップの準備会"
ATTENDEES = "24"
RIVAL_PURPOSE = "子ども食堂の定例会"
RIVAL_ATTENDEES = "15"
SLOT_NAME = "午後"  # 13:00–17:00


def _booking_day(today: dt.date) -> dt.date:
    """The first day 7–21 days ahead the center is open on an ordinary Tuesday–Sunday: not a
    Monday, not 年末年始 (12/29–1/3), not a public holiday (whose rule staff may change)."""
    for ahead in range(7, 22):
        day = today + dt.timedelta(days=ahead)
        if day.weekday() != 0 and not holiday_name(day) and center_day(day).is_open:
            return day
    raise AssertionError(f"no open day 7–21 days after {today}")


def _open_week_of(page: Page, base: str, room: Resource, day: dt.date) -> None:
    """From the list of resources to the room's week view, then 'Later' until the week of
    ``day`` is shown (htmx swaps the calendar in place)."""
    page.goto(base + "/facilities/")
    page.locator(f"main a[href='/facilities/{room.pk}/']").click()
    page.wait_for_url(base + f"/facilities/{room.pk}/")
    heading = page.locator("#h-availability small")
    this_monday = timezone.localdate() - dt.timedelta(days=timezone.localdate().weekday())
    target_monday = day - dt.timedelta(days=day.weekday())
    expect(heading).to_contain_text(f"{this_monday:%Y-%m-%d}")
    monday = this_monday
    while monday < target_monday:
        monday += dt.timedelta(days=7)
        page.locator(f"#calendar a[href='?view=week&date={monday:%Y-%m-%d}']").click()
        expect(heading).to_contain_text(f"{monday:%Y-%m-%d}")


def _week_cell(page: Page, day: dt.date):
    """The 午後 cell of ``day`` in the week table (first column: the slot's name)."""
    row = page.locator("#calendar table.avail-week tbody tr").filter(
        has=page.locator(f"th:text-is('{SLOT_NAME}')")
    )
    return row.locator(f"td:nth-child({day.weekday() + 2})")


@pytest.mark.browser_context_args(**REDUCED_MOTION)
def test_manager_books_downloads_letter_rival_is_offered_waitlist(
    page: Page, new_page, live_server, migrated_rows
):
    base = live_server.url
    day = _booking_day(timezone.localdate())
    valid_until = dt.date(fiscal_year(day) + 1, 3, 31)  # registered through the booked day
    organization = OrganizationFactory(name="日本橋防災ネットワーク", valid_until=valid_until)
    manager = MembershipFactory(organization=organization, role="manager").user
    rival = OrganizationFactory(name="人形町こども食堂", valid_until=valid_until)
    rival_manager = MembershipFactory(organization=rival, role="manager").user
    room = Resource.objects.get(name="会議室")
    slot = room.slots.get(name=SLOT_NAME)
    start = timezone.make_aware(dt.datetime.combine(day, slot.starts))
    end = timezone.make_aware(dt.datetime.combine(day, slot.ends))

    # --- 1. The 管理者 picks the free 午後 of the day in the room's week view and books it ---
    log_in(page, base, manager.email)
    _open_week_of(page, base, room, day)
    free = _week_cell(page, day).locator(
        f"a.avail-free[href*='date={day:%Y-%m-%d}'][href*='slot={slot.pk}']"
    )
    free.click()
    page.wait_for_url(re.compile(r"/facilities/bookings/new/\?"))
    form = page.locator("main form.booking-form")
    expect(form.locator("select[name=organization]")).to_have_value(str(organization.pk))
    expect(form.locator("input[name=date]")).to_have_value(f"{day:%Y-%m-%d}")
    expect(form.locator("select[name=slot]")).to_have_value(str(slot.pk))
    form.locator("input[name=purpose]").fill(PURPOSE)
    form.locator("input[name=attendees]").fill(ATTENDEES)
    form.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(r"/facilities/bookings/\d+/$"))

    booking = Booking.objects.get(organization=organization)
    assert page.url == base + f"/facilities/bookings/{booking.pk}/"
    assert booking.status == BookingStatus.CONFIRMED
    assert (booking.resource, booking.start, booking.end) == (room, start, end)
    assert (booking.purpose, booking.attendees, booking.booked_by) == (PURPOSE, 24, manager)
    assert booking.charged == 0 and booking.list_price == 2500  # 登録団体減免: free
    assert booking.discount_name == "登録団体減免"

    # --- 2. The confirmation, with the 利用承認書, and the letter from マイページ ---------------
    confirmations = [m for m in mail.outbox if manager.email in m.to]
    assert len(confirmations) == 1, [(m.to, m.subject) for m in mail.outbox]
    pdfs = [a for a in confirmations[0].attachments if a[2] == "application/pdf"]
    assert len(pdfs) == 1 and pdfs[0][1].startswith(b"%PDF")
    detail_path = f"/facilities/bookings/{booking.pk}/"
    letter_path = f"/facilities/bookings/{booking.pk}/approval-letter/"
    assert letter_path in confirmations[0].body

    page.goto(base + "/mypage/")
    section = page.locator("main section[aria-labelledby=h-facilities]")
    expect(section).to_contain_text(PURPOSE)
    section.locator(f"a[href='{detail_path}']").click()
    page.wait_for_url(base + detail_path)
    expect(page.locator("main dl")).to_contain_text(PURPOSE)
    with page.expect_download() as download_info:
        page.locator(f"main a[href='{letter_path}']").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    # --- 3. A second organization sees the time taken, is refused it, and waits for it ------
    rival_page = new_page("rival")
    log_in(rival_page, base, rival_manager.email)
    _open_week_of(rival_page, base, room, day)
    cell = _week_cell(rival_page, day)
    expect(cell.locator(".avail-taken")).to_have_count(1)
    # No way to the other group's booking: the only link is キャンセル待ち for this time.
    expect(cell.locator("a")).to_have_count(1)
    expect(cell.locator("a")).to_have_attribute("href", re.compile(r"/facilities/waitlist/join/"))
    expect(rival_page.locator("main")).not_to_contain_text(organization.name)

    # Trying anyway: the booking form's URL for that slot, as a free cell would have linked it.
    rival_page.goto(
        base + f"/facilities/bookings/new/?resource={room.pk}&date={day:%Y-%m-%d}&slot={slot.pk}"
    )
    form = rival_page.locator("main form.booking-form")
    expect(form.locator("select[name=organization]")).to_have_value(str(rival.pk))
    form.locator("input[name=purpose]").fill(RIVAL_PURPOSE)
    form.locator("input[name=attendees]").fill(RIVAL_ATTENDEES)
    with rival_page.expect_navigation():  # the form posts to its own URL and is shown again
        form.locator("button[type=submit]").click()
    refusal = rival_page.locator("main form.booking-form .alert-danger")
    expect(refusal).to_be_visible()
    assert not Booking.objects.filter(organization=rival).exists()
    assert Booking.objects.filter(resource=room, start=start).count() == 1

    # The refusal offers the waitlist for exactly this time.
    refusal.locator("a[href^='/facilities/waitlist/join/?']").click()
    rival_page.wait_for_url(re.compile(r"/facilities/waitlist/join/\?"))
    form = rival_page.locator("main form:has(input[name=purpose])")
    expect(form.locator("input[name=resource]")).to_have_value(str(room.pk))
    expect(form.locator("select[name=organization]")).to_have_value(str(rival.pk))
    form.locator("input[name=purpose]").fill(RIVAL_PURPOSE)
    form.locator("input[name=attendees]").fill(RIVAL_ATTENDEES)
    form.locator("button[type=submit]").click()
    rival_page.wait_for_url(re.compile(r"/facilities/waitlist/(?!join/)[^/]+/$"))

    entry = WaitlistEntry.objects.get(organization=rival)
    assert rival_page.url == base + f"/facilities/waitlist/{entry.token}/"
    assert entry.status == WaitlistStatus.WAITING
    assert (entry.resource, entry.start, entry.end) == (room, start, end)
    assert (entry.purpose, entry.attendees, entry.created_by) == (
        RIVAL_PURPOSE,
        15,
        rival_manager,
    )
    expect(rival_page.locator("main")).to_contain_text(RIVAL_PURPOSE)
    expect(rival_page.locator("main")).not_to_contain_text(organization.name)
    booking.refresh_from_db()
    assert booking.status == BookingStatus.CONFIRMED  # the first booking stands
