"""The home page's registry: pillars add a section (news, upcoming events, …) without this
app importing them (DESIGN.md: registries, not imports upward).

A pillar calls ``register_home_section(HomeSection(...))`` from its AppConfig.ready(); the
section's ``context`` gets the request and returns the template context, or None when there
is nothing to show (the section is then left out). A context function runs a constant number
of queries: the home page is the most visited page.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class HomeSection:
    key: str
    title: str | Promise
    template: str
    context: Callable[..., dict | None]
    order: int = 100


_sections: dict[str, HomeSection] = {}


def register_home_section(section: HomeSection) -> None:
    _sections[section.key] = section


def home_sections_for(request) -> list[tuple[HomeSection, dict]]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(request)
        if context is not None:
            shown.append((section, context))
    return shown
