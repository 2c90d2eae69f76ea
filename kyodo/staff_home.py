"""The staff home (/staff/): what needs a person today, across every pillar.

A registry like the home page's and マイページ's: each pillar registers a provider from its
``registrations.py``; the provider gets the request and returns its work lines, or None when
the person may not act on that pillar (the block is then left out). A provider runs a constant
number of queries, whatever the number of items waiting: it counts, it does not list.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class WorkLine:
    label: str | Promise
    count: int
    url: str
    # Overdue or failed: shown with a word, not a colour alone.
    urgent: bool = False


@dataclass(frozen=True)
class StaffHomeProvider:
    key: str
    title: str | Promise
    lines: Callable[..., list[WorkLine] | None]
    order: int = 100


_providers: dict[str, StaffHomeProvider] = {}


def register_staff_home(provider: StaffHomeProvider) -> None:
    _providers[provider.key] = provider


def staff_home_for(request) -> list[tuple[StaffHomeProvider, list[WorkLine]]]:
    shown = []
    for provider in sorted(_providers.values(), key=lambda p: (p.order, p.key)):
        lines = provider.lines(request)
        if lines is not None:
            shown.append((provider, lines))
    return shown
