"""Which context each kind of generated document is rendered with.

Rendering happens in a task, long after the request: the task rebuilds the context from the
database by the document's kind. A pillar registers its kinds from its AppConfig.ready().
"""

from collections.abc import Callable

_builders: dict[str, Callable] = {}


def register_document_kind(kind: str, builder: Callable) -> None:
    _builders[kind] = builder


def document_context(document) -> dict:
    builder = _builders.get(document.kind)
    if builder is None:
        raise LookupError(f"No context builder registered for document kind {document.kind!r}")
    return builder(document)


def guide_context(document) -> dict:
    from django.utils import timezone

    from kyodo import selectors

    return {
        "center": selectors.center_profile(),
        "opening_hours": selectors.opening_hours(),
        "annual_closures": selectors.annual_closures(),
        "issued_on": timezone.localdate(),
    }


GUIDE_KIND = "guide"
GUIDE_TEMPLATE = "pdf/guide.html"
register_document_kind(GUIDE_KIND, guide_context)


def guide_filename(language: str) -> str:
    return f"kyodo-station-guide-{language}.pdf"


def guide_digest(language: str) -> str:
    """A fingerprint of the guide as it would read today, but for its date of issue: it
    changes when anything the guide shows changes (the center's details, hours, closures,
    and whatever the template comes to show), so the guide is made again then and only then."""
    import datetime as dt
    import hashlib

    from django.template.loader import render_to_string
    from django.utils import translation

    context = {**guide_context(None), "issued_on": dt.date(2000, 1, 1)}
    with translation.override(language):
        html = render_to_string(GUIDE_TEMPLATE, context)
    return hashlib.sha256(html.encode()).hexdigest()
