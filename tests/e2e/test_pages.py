"""Every page in Chromium: axe-core (WCAG 2.1 A/AA) finds nothing critical or serious, and no page
is wider than the window at 320, 390, 768, 1280 and 1600 px, in Japanese and in English.

The pages are those each role reaches by links from the demo data (tests/site_pages.py); each
role gets one browser context, logged in with the session of Django's test client. axe-core is
pinned in package.json (`npm ci`); without it the accessibility test is skipped, except in CI.
"""

import re

import pytest
from django.conf import settings
from playwright.sync_api import Browser

from tests.checkers import axe_script, axe_violations, describe_violations
from tests.e2e.journeys import REDUCED_MOTION
from tests.site_pages import ROLES, admin_urls, client_for, crawl, fetch, kind, seed

# The pages are the same whatever the database: checked once, in `make test` (SQLite).
pytestmark = pytest.mark.pages

WIDTHS = [320, 390, 768, 1280, 1600]
LANGUAGES = ["ja", "en"]

# The pages the layout is checked on: every public page, and for the others マイページ, the staff
# lists, the chair's dashboard and the score sheet.
LAYOUT_PAGES = {
    "member": re.compile(r"^/mypage/$|^/facilities/bookings/$|^/proposals/mine/$"),
    "ward official": re.compile(r"^/review/proposals/(stages/\d+/(p/\d+/)?)?$"),
    "council chair": re.compile(r"^/review/proposals/(stages/\d+/dashboard/)?$"),
    "staff": re.compile(
        r"^/staff/(organizations|consultations|facilities|proposals)/$"
        r"|^/staff/(consultations/cases|facilities/bookings|organizations/review)/$"
    ),
}


def _context(browser: Browser, base: str, client, language: str):
    """A browser context with the test client's session (if logged in) and the language."""
    context = browser.new_context(
        locale="ja-JP", timezone_id="Asia/Tokyo", base_url=base, **REDUCED_MOTION
    )
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    session = client.cookies.get(settings.SESSION_COOKIE_NAME)
    if session is not None:
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session.value, "url": base})
    context.add_cookies(cookies)
    return context


def _role_pages(users):
    """(role, client, urls) for each role: the crawl, with the kinds of page an earlier role
    already showed left out; the staff also get our models' admin pages."""
    kinds_seen = set()
    for role, email, starts in ROLES:
        client = client_for(email, users)
        urls = [
            page.url
            for page in crawl(client, role, starts)
            if kind(page.url) not in kinds_seen or page.url in starts
        ]
        kinds_seen |= {kind(url) for url in urls}
        if role == "staff":
            urls += [page.url for page in fetch(client, role, admin_urls())]
        yield role, client, urls


def test_every_page_passes_axe(browser: Browser, live_server, migrated_rows):
    axe_script()  # skip (or fail in CI) before the crawl when axe-core is missing
    users = seed()
    report, checked = [], 0
    for role, client, urls in _role_pages(users):
        for language in LANGUAGES:
            # Every page in Japanese; in English those of the layout check (the same templates,
            # but other words: the contrast of what changed, the names of controls).
            if language == "en":
                pattern = LAYOUT_PAGES.get(role)
                urls = [url for url in urls if pattern is None or pattern.search(url)]
            context = _context(browser, live_server.url, client, language)
            page = context.new_page()
            for url in urls:
                page.goto(url)
                checked += 1
                report += describe_violations(f"{role} [{language}] {url}", axe_violations(page))
            context.close()
    assert checked > 100, "the crawl reached too little"
    assert not report, f"axe: {len(report)} violations on {checked} pages:\n" + "\n".join(report)


def test_no_page_is_wider_than_the_window(browser: Browser, live_server, migrated_rows):
    users = seed()
    report, checked = [], 0
    for role, email, starts in ROLES:
        client = client_for(email, users)
        pattern = LAYOUT_PAGES.get(role)
        urls = [
            page.url
            for page in crawl(client, role, starts, follow=pattern)
            if pattern is None or pattern.search(page.url)
        ]
        for language in LANGUAGES:
            context = _context(browser, live_server.url, client, language)
            page = context.new_page()
            for url in urls:
                page.set_viewport_size({"width": WIDTHS[-1], "height": 900})
                page.goto(url)
                for width in WIDTHS:
                    page.set_viewport_size({"width": width, "height": 900})
                    scroll_width, inner_width, widest = page.evaluate(WIDTH_PROBE)
                    checked += 1
                    if scroll_width > inner_width:
                        report.append(
                            f"{role} [{language}] {url} at {width} px: the page is "
                            f"{scroll_width} px wide; widest: {widest}"
                        )
            context.close()
    assert checked > 200, "the crawl reached too little"
    assert not report, f"{len(report)} pages wider than the window:\n" + "\n".join(report)


# The page's width and the window's, and (for the report) the elements that stick out most,
# leaving out those that a scrolling box (a .table-responsive) inside the window keeps in.
WIDTH_PROBE = """() => {
  const width = window.innerWidth;
  const clipped = (el) => {
    // An absolutely placed element (Bootstrap's .visually-hidden) escapes a scrolling box
    // unless the box is its containing block: report it.
    if (['absolute', 'fixed'].includes(getComputedStyle(el).position)) return false;
    for (let up = el.parentElement; up && up !== document.body; up = up.parentElement) {
      if (getComputedStyle(up).overflowX !== 'visible'
          && up.getBoundingClientRect().right <= width + 1) return true;
    }
    return false;
  };
  const out = [];
  for (const el of document.querySelectorAll('body *')) {
    const right = el.getBoundingClientRect().right;
    if (right > width + 1 && !clipped(el)) {
      const name = el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
        + (el.classList.length ? '.' + [...el.classList].slice(0, 3).join('.') : '');
      out.push([Math.round(right), name]);
    }
  }
  out.sort((a, b) => b[0] - a[0]);
  return [document.documentElement.scrollWidth, width,
          out.slice(0, 6).map(([r, n]) => n + ' → ' + r).join(', ')];
}"""
