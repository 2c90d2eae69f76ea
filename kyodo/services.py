"""Writes of the kyodo app: generated documents."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from kyodo.models import DocumentEvent, DocumentStatus, GeneratedDocument
from kyodo.pdf import render_pdf
from kyodo.workflow import ConcurrentChange, transition

logger = logging.getLogger(__name__)

DOCUMENT_TRANSITIONS = {
    DocumentStatus.PENDING: {DocumentStatus.READY, DocumentStatus.FAILED},
    DocumentStatus.FAILED: {DocumentStatus.PENDING},
    DocumentStatus.READY: set(),
}


def _move(document, to, *, by=None, reason="", extra_fields=None):
    return transition(
        instance=document,
        to=to,
        transitions=DOCUMENT_TRANSITIONS,
        history_model=DocumentEvent,
        history_fk="document",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
    )


def _queue_render(document_id: int) -> None:
    from kyodo.tasks import task_render_document

    transaction.on_commit(lambda: task_render_document.delay(document_id=document_id))


@transaction.atomic
def document_request(
    *,
    kind: str,
    template_name: str,
    filename: str,
    language: str = "ja",
    by=None,
    source_digest: str = "",
) -> GeneratedDocument:
    """Ask for a PDF to be made in the background.

    Side effects: a GeneratedDocument (pending) with its first DocumentEvent; the render task
    is queued when the transaction commits.
    """
    document = _document_create(
        kind=kind,
        template_name=template_name,
        filename=filename,
        language=language,
        by=by,
        source_digest=source_digest,
    )
    _queue_render(document.pk)
    return document


def _document_create(**fields) -> GeneratedDocument:
    by = fields.pop("by")
    document = GeneratedDocument.objects.create(requested_by=by, **fields)
    DocumentEvent.objects.create(
        document=document, old_status="", new_status=DocumentStatus.PENDING, changed_by=by
    )
    return document


def guide_make(*, language: str, by=None) -> GeneratedDocument:
    """Make the 利用案内 in ``language`` now, from the center's data as it is (the guide is
    one or two pages: well under a second). Used ahead of time by the beat sweep
    (kyodo.tasks.task_refresh_guides) and, should no current guide exist yet, by the download
    itself. Side effects: a GeneratedDocument with its events and, when ready, its file."""
    from kyodo.documents import (
        GUIDE_KIND,
        GUIDE_TEMPLATE,
        document_context,
        guide_digest,
        guide_filename,
    )

    with transaction.atomic():
        document = _document_create(
            kind=GUIDE_KIND,
            template_name=GUIDE_TEMPLATE,
            filename=guide_filename(language),
            language=language,
            by=by,
            source_digest=guide_digest(language),
        )
    return document_render(document=document, context=document_context(document))


@transaction.atomic
def document_retry(*, document: GeneratedDocument, by=None) -> GeneratedDocument:
    """Put a failed document back in the queue. Side effects: a DocumentEvent; the task."""
    _move(document, DocumentStatus.PENDING, by=by, extra_fields={"finished_at": None})
    _queue_render(document.pk)
    return document


def document_render(*, document: GeneratedDocument, context: dict) -> GeneratedDocument:
    """Render the document's template and store the file; mark it ready, or failed with the
    error. Rendering happens outside any transaction (it takes time); the status change is a
    compare-and-set, so a second worker on the same document stores nothing."""
    if document.status != DocumentStatus.PENDING:
        return document
    try:
        content = render_pdf(document.template_name, context, language=document.language)
    except Exception as exc:
        logger.exception("Rendering document %s failed", document.pk)
        try:
            _move(
                document,
                DocumentStatus.FAILED,
                reason=f"{type(exc).__name__}: {exc}",
                extra_fields={"finished_at": timezone.now()},
            )
        except ConcurrentChange:
            document.refresh_from_db()
        return document
    storage = document.file.storage
    name = storage.save(
        document.file.field.generate_filename(document, document.filename), ContentFile(content)
    )
    try:
        _move(
            document,
            DocumentStatus.READY,
            extra_fields={"file": name, "finished_at": timezone.now()},
        )
    except ConcurrentChange:
        storage.delete(name)  # another worker finished first; keep its file only
        document.refresh_from_db()
    return document
