"""Every page a role reaches by links, for the HTML and accessibility checks.

The demo data (`seed_demo`, the same builders as `make run`) gives each role something to see;
then, for each role, a bounded crawl with Django's test client follows the site's own links
from the role's start pages. Pages that differ only by an id or a date (a second organization,
the next week of a calendar) are one *kind* of page: the crawl keeps the first
``per_kind`` of each, so the list grows with the templates, not with the data.

Used by tests/kyodo/test_valid_html.py (the Nu Html Checker over the HTML) and
tests/e2e/test_accessibility.py (axe-core in Chromium over the same URLs).
"""

import io
import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.core.management import call_command
from django.test import Client

# (role, demo log-in or None for the public, where the crawl starts)
ROLES = [
    (
        "anonymous",
        None,
        [
            "/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
            "/events/",
            "/news/",
            "/grants/",
        ],
    ),
    ("member", "member@demo.kyodo.jp", ["/mypage/", "/grants/suggest/"]),
    (
        "ward official",
        "ward@demo.kyodo.jp",
        ["/mypage/", "/review/proposals/", "/evaluations/mine/"],
    ),
    (
        "council chair",
        "council@demo.kyodo.jp",
        ["/mypage/", "/review/proposals/", "/evaluations/mine/", "/council/members/"],
    ),
    (
        "staff",
        "staff@demo.kyodo.jp",
        [
            "/mypage/",
            "/staff/",
            "/staff/organizations/",
            "/staff/consultations/",
            "/staff/facilities/",
            "/staff/events/",
            "/staff/proposals/",
            "/staff/evaluations/",
            "/staff/coordination/",
            "/staff/subsidies/",
            "/staff/publications/grants/suggestions/",
            "/staff/publications/newsletter/",
        ],
    ),
]

# Not pages: files (PDF, CSV, iCal, uploads) and the backoffice, which is Django's admin
# (its change pages where our widgets live are listed apart: ADMIN_PAGES).
SKIP = re.compile(
    r"^/(admin|static|media)/"
    r"|\.(pdf|csv|ics)$"
    r"|/(download|letter|agreement|certificate|approval-letter|receipt|submitted\.pdf)/?$"
    r"|/documents/\d+/$|/attachments/\d+/$|/files/\d+/$|/receipts/\d+/$|/statements/\d+/\d+/$"
    r"|/evidence/\d+/$"
)

# The admin (the backoffice): our apps' models. Django's own markup there is not ours to fix;
# our forms, inlines and widgets are.
ADMIN_APPS = {
    "accounts",
    "kyodo",
    "organizations",
    "consultations",
    "facilities",
    "proposals",
    "evaluations",
    "events",
    "coordination",
    "subsidies",
    "publications",
}

_NUMBER = re.compile(r"\d+")
LAYOUT_PARAMETERS = {"view"}


def kind(url: str) -> str:
    """The page's kind: its path with every number replaced and the names of its query
    parameters (their values only for ``view``, which picks a different layout), e.g.
    ``/organizations/directory/N/`` or ``/facilities/N/?date&view=week``: a list filtered by
    another status or a calendar on another date is the same template."""
    parts = urlsplit(url)
    query = sorted(
        key + ("=" + value if key in LAYOUT_PARAMETERS else "")
        for key, value in parse_qsl(parts.query)
    )
    return _NUMBER.sub("N", parts.path) + ("?" + "&".join(query) if query else "")


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def links(html: str, here: str) -> list[str]:
    """The site-relative links of a page (same host, no fragments, no files)."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.hrefs:
        href, _ = urldefrag(href)
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not href:
            continue
        if not href.startswith("/"):
            if href.startswith("?"):
                href = urlsplit(here).path + href
            else:
                continue
        if SKIP.search(urlsplit(href).path):
            continue
        found.append(href)
    return found


@dataclass
class Page:
    role: str
    url: str
    html: str = field(repr=False)


def seed() -> dict:
    """The demo data; returns the demo users by e-mail."""
    from accounts.models import User

    call_command("seed_demo", "--quiet-logins", stdout=io.StringIO())
    emails = [email for _, email, _ in ROLES if email]
    return {user.email: user for user in User.objects.filter(email__in=emails)}


def client_for(email: str | None, users: dict) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="ja")
    if email:
        client.force_login(users[email])
    return client


def crawl(
    client: Client, role: str, starts: list[str], *, per_kind=1, limit=150, follow=None
) -> list[Page]:
    """Breadth-first from ``starts`` over the HTML pages that answer 200, at most ``per_kind``
    of each kind and ``limit`` in all; with ``follow`` (a compiled pattern), only the links
    whose URL it matches."""
    queue = deque(starts)
    seen_urls, per_kind_count, pages = set(), {}, []
    while queue and len(pages) < limit:
        url = queue.popleft()
        if url in seen_urls:
            continue
        seen_urls.add(url)
        page_kind = kind(url)
        if per_kind_count.get(page_kind, 0) >= per_kind:
            continue
        response = client.get(url)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith(
            "text/html"
        ):
            continue
        per_kind_count[page_kind] = per_kind_count.get(page_kind, 0) + 1
        html = response.content.decode()
        pages.append(Page(role, url, html))
        queue.extend(
            link
            for link in links(html, url)
            if link not in seen_urls and (follow is None or follow.search(link))
        )
    return pages


def admin_urls() -> list[str]:
    """The admin's list and form of each of our models: the first object's change page (its
    inlines filled), or the add page when there is none (pages a role may not open answer 403
    and are left out by the fetch)."""
    from django.contrib import admin

    urls = []
    for model in admin.site._registry:
        meta = model._meta
        if meta.app_label not in ADMIN_APPS:
            continue
        base = f"/admin/{meta.app_label}/{meta.model_name}/"
        first = model._default_manager.order_by("pk").first()
        urls += [base, f"{base}{first.pk}/change/" if first is not None else base + "add/"]
    return urls


def fetch(client: Client, role: str, urls: list[str]) -> list[Page]:
    """The HTML pages among ``urls`` that answer 200."""
    pages = []
    for url in urls:
        response = client.get(url)
        if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
            pages.append(Page(role, url, response.content.decode()))
    return pages


def site_pages(*, per_kind=1) -> list[Page]:
    """Seeds the demo data, then crawls as each role. A kind of page already seen by an
    earlier role (the public pages, for those logged in) is not listed again."""
    users = seed()
    pages, kinds_seen = [], set()
    for role, email, starts in ROLES:
        for page in crawl(client_for(email, users), role, starts, per_kind=per_kind):
            if kind(page.url) in kinds_seen and page.url not in starts:
                continue
            pages.append(page)
        kinds_seen |= {kind(page.url) for page in pages}
        if role == "staff":
            pages += fetch(client_for(email, users), "staff (admin)", admin_urls())
    return pages
