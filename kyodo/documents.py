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
register_document_kind(GUIDE_KIND, guide_context)
