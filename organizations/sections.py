"""The staff's 360 page of an organization is filled by the pillars through this registry:
bookings, consultations, courses, proposals, subsidies and evaluations register a section
from their AppConfig.ready() and never edit this app's templates.

A section's ``context(organization, request)`` returns the template context, or None to be
left out. Keep each section to a constant number of queries.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class StaffSection:
    key: str
    title: str | Promise
    template: str
    context: Callable[..., dict | None]
    order: int = 100


_sections: dict[str, StaffSection] = {}


def register_staff_section(section: StaffSection) -> None:
    _sections[section.key] = section


def staff_sections_for(organization, request) -> list[tuple[StaffSection, dict]]:
    shown = []
    for section in sorted(_sections.values(), key=lambda s: (s.order, s.key)):
        context = section.context(organization, request)
        if context is not None:
            shown.append((section, context))
    return shown
