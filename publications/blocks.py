"""The newsletter's blocks: content pulled from the portal into an issue (recent news, new grant
listings; the events pillar adds upcoming events). A registry, so a pillar adds its block from
its AppConfig.ready() without this app importing it.

A block's ``render(since)`` returns HTML (links absolute, for mail) or "" when it has nothing.
Blocks are rendered when staff save the issue, so the preview, the mails and the web archive
show the same thing.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NewsletterBlock:
    key: str
    title: str | Promise
    render: Callable[[dt.datetime], str]
    order: int = 100


_blocks: dict[str, NewsletterBlock] = {}

# What "recent" means for a block: since this many days before the issue is saved.
RECENT_DAYS = 30
BLOCK_LIMIT = 5


def register_block(block: NewsletterBlock) -> None:
    _blocks[block.key] = block


def blocks() -> list[NewsletterBlock]:
    return sorted(_blocks.values(), key=lambda b: (b.order, b.key))


def render_blocks(keys, *, now=None) -> str:
    since = (now or timezone.now()) - dt.timedelta(days=RECENT_DAYS)
    return "".join(b.render(since) for b in blocks() if b.key in set(keys or ()))


def _recent_news(since) -> str:
    from kyodo.mail import absolute_url
    from publications.selectors import news_list

    items = list(news_list().filter(publish_at__gte=since)[:BLOCK_LIMIT])
    if not items:
        return ""
    links = [(item.title, absolute_url(item.get_absolute_url())) for item in items]
    return render_to_string(
        "publications/newsletter_block.html", {"title": _("Recent news"), "links": links}
    )


def _new_grants(since) -> str:
    from kyodo.mail import absolute_url
    from publications.selectors import grants_open

    listings = list(grants_open().filter(published_at__gte=since)[:BLOCK_LIMIT])
    if not listings:
        return ""
    links = [
        (f"{g.funder} {g.programme}（{g.deadline:%Y-%m-%d}）", absolute_url(g.get_absolute_url()))
        for g in listings
    ]
    return render_to_string(
        "publications/newsletter_block.html", {"title": _("New grant listings"), "links": links}
    )


register_block(NewsletterBlock(key="recent_news", title=_("Recent news"), render=_recent_news))
register_block(
    NewsletterBlock(key="new_grants", title=_("New grant listings"), render=_new_grants, order=20)
)
