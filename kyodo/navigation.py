"""The main navigation, a registry the pillars fill (DESIGN.md: no app edits another's
templates). Until a pillar's pages exist, its entry points to its description on the home
page, so every link leads to real content."""

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str | Promise
    url_name: str = ""
    fragment: str = ""  # anchor on the home page, used while url_name is empty
    order: int = 100

    @property
    def url(self) -> str:
        if self.url_name:
            try:
                return reverse(self.url_name)
            except NoReverseMatch:
                pass
        return f"{reverse('home')}#{self.fragment or self.key}"


_items: dict[str, NavItem] = {}


def register(item: NavItem) -> None:
    """Add or replace an entry; a pillar replaces its placeholder by registering its key."""
    _items[item.key] = item


def items() -> list[NavItem]:
    return sorted(_items.values(), key=lambda item: (item.order, item.key))


for _order, (_key, _label) in enumerate(
    [
        ("consultations", _("Consultation")),
        ("facilities", _("Room booking")),
        ("events", _("Courses & events")),
        ("publications", _("Information")),
        ("proposals", _("Collaboration proposals")),
        ("subsidies", _("Subsidies")),
    ]
):
    register(NavItem(key=_key, label=_label, order=(_order + 1) * 10))
