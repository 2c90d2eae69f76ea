"""Background work of the kyodo app. Tasks take ids, fetch, and call a service."""

import datetime as dt
import logging

from celery import shared_task
from django.utils import timezone

from kyodo.documents import document_context
from kyodo.models import DocumentStatus, GeneratedDocument
from kyodo.services import document_render, guide_make

logger = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=10)


@shared_task(acks_late=True)
def task_render_document(*, document_id: int) -> str | None:
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None:
        logger.warning("Document %s is gone; nothing to render", document_id)
        return None
    document = document_render(document=document, context=document_context(document))
    return document.status


@shared_task
def task_requeue_stale_documents() -> int:
    """Queue again documents still pending after STALE_AFTER (a lost message, a dead worker).
    Rendering is idempotent (document_render only acts on a pending document)."""
    stale = GeneratedDocument.objects.filter(
        status=DocumentStatus.PENDING, created_at__lt=timezone.now() - STALE_AFTER
    ).values_list("pk", flat=True)
    count = 0
    for pk in stale:
        task_render_document.delay(document_id=pk)
        count += 1
    return count


@shared_task
def task_refresh_guides() -> int:
    """Make the guide again in each language whose data changed since it was made, so that
    the link on the home page downloads a current guide at once. Returns how many were made."""
    from django.conf import settings

    from kyodo.selectors import current_guide

    made = 0
    for language, _name in settings.LANGUAGES:
        if current_guide(language) is None:
            guide_make(language=language)
            made += 1
    return made
