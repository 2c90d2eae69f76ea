"""What the browser journeys share besides fixtures (those are in conftest.py)."""

from playwright.sync_api import Page

from tests.factories import PASSWORD

# Bootstrap scrolls smoothly unless the browser prefers reduced motion, and Playwright waits for
# a scrolling element to stand still before clicking: with reduced motion, a click is at once.
REDUCED_MOTION = {"reduced_motion": "reduce"}


def log_in(
    page: Page, base: str, email: str, *, password: str = PASSWORD, lands_on: str = "/mypage/"
) -> None:
    """Log in through allauth's form and wait for ``lands_on`` (マイページ; "" when the caller
    waits itself, e.g. for the second-factor step)."""
    page.goto(base + "/accounts/login/")
    form = page.locator("main form:has(input[name=password])")
    form.locator("input[name=login]").fill(email)
    form.locator("input[name=password]").fill(password)
    form.locator("button[type=submit]").first.click()
    if lands_on:
        page.wait_for_url(base + lands_on)
