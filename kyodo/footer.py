"""The page footer's registry: a pillar adds a small template to every page's footer (the
newsletter's sign-up form) without this app naming it (DESIGN.md: registries, not imports
upward). A footer template runs no query of its own: it is on every page."""

_templates: dict[str, tuple[int, str]] = {}


def register_footer_section(*, key: str, template: str, order: int = 100) -> None:
    _templates[key] = (order, template)


def footer_templates() -> list[str]:
    return [template for _order, template in sorted(_templates.values())]
