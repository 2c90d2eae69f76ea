"""Browser journeys: Playwright driving Debian's Chromium against pytest-django's live_server.

Every test in this folder is marked ``e2e``. Without /usr/bin/chromium they are skipped (so
``make test`` passes on a laptop without it), except when CI=true: there a missing browser is
an error. A failed test leaves a screenshot in test-results/<test name>.png.
"""

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError

# The live server runs in a thread of this process, and Playwright's sync API keeps an event
# loop running in the main thread: Django would refuse ORM calls from the test without this.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
RESULTS_DIR = E2E_DIR.parent.parent / "test-results"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() == "true"


def pytest_collection_modifyitems(config, items):
    missing = not CHROMIUM.exists()
    skip = pytest.mark.skip(
        reason=f"{CHROMIUM} not found: install Debian's Chromium (apt-get install chromium) "
        "to run the browser tests"
    )
    for item in items:
        if E2E_DIR not in item.path.resolve().parents:
            continue
        item.add_marker(pytest.mark.e2e)
        if missing and not _in_ci():
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(
            f"CI=true but {CHROMIUM} is missing: the browser tests must run in CI "
            "(apt-get install -y chromium).",
            pytrace=False,
        )
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "headless": True,
        "args": CHROMIUM_ARGS,
    }


@pytest.fixture(scope="session")
def base_url(live_server):
    # Replaces pytest-playwright's fallback fixture (a method on a plugin class, which pytest 9
    # warns about) with the live server, so that page.goto("/") works.
    return live_server.url


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    # A newcomer's browser in Japan: Accept-Language ja (Chromium's default, en-US, would get
    # the English pages through LocaleMiddleware), Tokyo time.
    return {**browser_context_args, "locale": "ja-JP", "timezone_id": "Asia/Tokyo"}


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    # Kept on the item so that the `page` fixture can see, at teardown, how the test went.
    setattr(item, f"rep_{report.when}", report)
    return report


class AxeJourney:
    """axe-core over every page a journey went through. While the journey runs, the GET
    navigations of its pages are noted; when it has passed, the page as it ended and then each
    noted URL (one of each kind of page, over the whole session) are opened again in the same
    browser context, as the same person, and checked. Checking at each load instead would race
    the journey's next click."""

    checked_kinds: set = set()  # over the session: a kind of page is checked once

    def __init__(self, page):
        self.page = page
        self.urls = []
        page.on("request", self._note)

    def _note(self, request):
        if (
            request.is_navigation_request()
            and request.method == "GET"
            and request.frame == self.page.main_frame
        ):
            self.urls.append(request.url)

    def violations(self) -> list[str]:
        from urllib.parse import urlsplit

        from tests.checkers import axe_violations, describe_violations
        from tests.site_pages import SKIP, kind

        report = describe_violations(
            f"{self.page.url} (as the journey ended)", axe_violations(self.page)
        )
        for url in dict.fromkeys(self.urls):
            parts = urlsplit(url)
            path = parts.path + (f"?{parts.query}" if parts.query else "")
            if SKIP.search(parts.path) or kind(path) in self.checked_kinds:
                continue
            self.checked_kinds.add(kind(path))
            try:
                response = self.page.goto(url)
            except PlaywrightError as error:
                if "Download is starting" in str(error):
                    continue  # a file, not a page
                raise
            if response is None or not response.ok:
                continue
            report += describe_violations(url, axe_violations(self.page))
        return report


def _axe_journey_available() -> bool:
    from tests.checkers import AXE_JS

    return AXE_JS.exists() or _in_ci()


def check_journey_pages(journeys: list, request) -> None:
    """After a passed journey, fail it if axe-core finds a critical or serious violation on
    one of its pages (tests/checkers.py: skipped without node_modules, required in CI)."""
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.passed:
        return
    found = []
    for journey in journeys:
        if not journey.page.is_closed():
            found += journey.violations()
    if found:
        pytest.fail(
            f"axe found {len(found)} violations on the journey's pages:\n" + "\n".join(found),
            pytrace=False,
        )


@pytest.fixture
def page(page, request):
    """pytest-playwright's page, plus a screenshot of it when the test itself failed, and
    axe-core over its pages when the test passed (AxeJourney)."""
    journey = AxeJourney(page) if _axe_journey_available() else None
    yield page
    if journey is not None:
        check_journey_pages([journey], request)
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed and not page.is_closed():
        RESULTS_DIR.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
        path = RESULTS_DIR / f"{name}.png"
        try:
            page.screenshot(path=str(path), full_page=True)
        except Exception as exc:  # never hide the test's own failure behind this one
            print(f"Could not save a screenshot to {path}: {exc}")
        else:
            print(f"Screenshot of the failed test: {path}")


# The data migrations' rows (role groups, the center's details and hours, activity fields,
# consultation categories, the facilities with their rules), re-created after the flush that
# ends an earlier transactional test. Each function skips what already exists.
DATA_MIGRATIONS = [
    ("accounts.migrations.0002_role_groups", "create_roles"),
    ("kyodo.migrations.0002_center_defaults", "create_defaults"),
    ("organizations.migrations.0002_activity_fields_and_rules", "create"),
    ("consultations.migrations.0002_categories_and_settings", "create"),
    ("facilities.migrations.0003_resources_and_rules", "create"),
    ("coordination.migrations.0002_areas_and_settings", "create"),
]


@pytest.fixture
def migrated_rows(transactional_db):
    from importlib import import_module

    from django.apps import apps as django_apps

    for module, function in DATA_MIGRATIONS:
        getattr(import_module(module), function)(django_apps, None)


@pytest.fixture
def new_page(browser, browser_context_args: dict, request):
    """Opens a page in a fresh browser context (a person of their own, with reduced motion);
    on failure, each one is saved as test-results/<test>-<who>.png next to the `page`
    fixture's screenshot."""
    from tests.e2e.journeys import REDUCED_MOTION

    opened, journeys = [], []

    def open_page(who: str):
        context = browser.new_context(**{**browser_context_args, **REDUCED_MOTION})
        page = context.new_page()
        opened.append((who, page))
        if _axe_journey_available():
            journeys.append(AxeJourney(page))
        return page

    yield open_page
    try:
        check_journey_pages(journeys, request)
    finally:
        _close_pages(opened, request)


def _close_pages(opened, request):
    report = getattr(request.node, "rep_call", None)
    for who, page in opened:
        if report is not None and report.failed and not page.is_closed():
            RESULTS_DIR.mkdir(exist_ok=True)
            name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_") + f"-{who}"
            try:
                page.screenshot(path=str(RESULTS_DIR / f"{name}.png"), full_page=True)
            except Exception as exc:  # never hide the test's own failure behind this one
                print(f"Could not save a screenshot of {who}'s page: {exc}")
        page.context.close()
