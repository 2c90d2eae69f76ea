"""Writes of the kyodo app: generated documents."""

import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
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
    """Queue the render task after the commit; a failed publish leaves the row for the sweep."""
    from kyodo.mail import after_commit

    after_commit(lambda: document_publish(document_id))


def document_publish(document_id: int) -> bool:
    from kyodo.celery import publish
    from kyodo.tasks import task_render_document

    if publish(task_render_document, document_id=document_id):
        return True
    GeneratedDocument.objects.filter(pk=document_id, status=DocumentStatus.PENDING).update(
        queued_at=None
    )
    return False


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
        queued_at=timezone.now(),  # published after the commit; cleared if that fails
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
    _move(
        document,
        DocumentStatus.PENDING,
        by=by,
        extra_fields={"finished_at": None, "claimed_at": None, "queued_at": timezone.now()},
    )
    _queue_render(document.pk)
    return document


def document_path(document: GeneratedDocument) -> str:
    """Where the document's file is stored: the same name on every try, so a render that is
    repeated (a worker killed after storing the file, the database gone before the document
    was marked ready) overwrites its file instead of leaving an orphan beside a new one."""
    storage = document.file.storage
    return f"documents/{document.pk}/{storage.get_valid_name(document.filename)}"


def _claim(document: GeneratedDocument, now) -> bool:
    from kyodo.mail import lease

    return bool(
        GeneratedDocument.objects.filter(pk=document.pk, status=DocumentStatus.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease()))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )


def document_render(
    *, document: GeneratedDocument, context: dict | None = None
) -> GeneratedDocument:
    """Render the document's template and store the file; mark it ready, or failed with the
    error. ``context`` defaults to the one its kind builds (kyodo.documents).

    The worker first claims the document with a lease (claimed_at); a document another live
    worker holds is left alone (returned still pending). Rendering happens outside any
    transaction (it takes time); the file goes to a fixed name (document_path); the status
    change is a compare-and-set, so a second worker on the same document changes nothing."""
    if document.status != DocumentStatus.PENDING:
        return document
    now = timezone.now()
    if not _claim(document, now):
        document.refresh_from_db()
        return document
    try:
        if context is None:
            from kyodo.documents import document_context

            context = document_context(document)
        content = render_pdf(document.template_name, context, language=document.language)
    except Exception as exc:
        logger.exception("Rendering document %s failed", document.pk)
        try:
            _move(
                document,
                DocumentStatus.FAILED,
                reason=f"{type(exc).__name__}: {exc}",
                extra_fields={"finished_at": timezone.now(), "claimed_at": None},
            )
        except ConcurrentChange:
            document.refresh_from_db()
        return document
    storage = document.file.storage
    name = document_path(document)
    if storage.exists(name):
        storage.delete(name)  # an earlier try stored it, and died before marking it ready
    name = storage.save(name, ContentFile(content))
    try:
        _move(
            document,
            DocumentStatus.READY,
            extra_fields={"file": name, "finished_at": timezone.now(), "claimed_at": None},
        )
    except ConcurrentChange:
        document.refresh_from_db()  # another worker finished first, with the same file name
    return document


def documents_due(now=None):
    """Pending documents the sweep must queue: never queued, or queued more than a lease ago
    and not held by a live worker (the message was lost, the worker died)."""
    from kyodo.mail import lease

    now = now or timezone.now()
    return (
        GeneratedDocument.objects.filter(status=DocumentStatus.PENDING)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - lease()))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease()))
    )


def documents_sweep(*, now=None) -> int:
    """Queue the render task of every due document (marked queued first, conditionally, so
    two sweeps queue it once); returns how many were queued."""
    now = now or timezone.now()
    queued = 0
    for pk, queued_at in documents_due(now).values_list("pk", "queued_at")[:1000]:
        if not GeneratedDocument.objects.filter(pk=pk, queued_at=queued_at).update(queued_at=now):
            continue
        if document_publish(pk):
            queued += 1
    return queued
