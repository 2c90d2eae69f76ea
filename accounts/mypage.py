"""The マイページ registry: pillars add their own section without touching this app.

A pillar calls ``register_section(MyPageSection(...))`` from its AppConfig.ready(); the
section's ``context`` gets the request and returns the template context, or None when the
section has nothing to show this user (it is then left out).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class MyPageSection:
    key: str
    title: str | Promise
    template: str
    context: Callable[..., dict | None]
    order: int = 100


_sections: dict[str, MyPageSection] = {}


def register_section(section: MyPageSection) -> None:
    _sections[section.key] = section


def sections_for(request) -> list[tuple[MyPageSection, dict]]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request)
        if context is not None:
            shown.append((section, context))
    return shown
