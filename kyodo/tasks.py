"""Background work of the kyodo app: the outbox's mails and documents. Tasks take ids, fetch,
and call a service; each service claims its row with a lease, so a redelivered or duplicated
message does nothing twice."""

import logging

from celery import shared_task

from kyodo.mail import outbox_send, outbox_sweep
from kyodo.models import GeneratedDocument
from kyodo.services import document_render, documents_sweep, guide_make

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def task_render_document(*, document_id: int) -> str | None:
    document = GeneratedDocument.objects.filter(pk=document_id).first()
    if document is None:
        logger.warning("Document %s is gone; nothing to render", document_id)
        return None
    return document_render(document=document).status


@shared_task(acks_late=True)
def task_send_mail(*, outbox_id: int) -> str:
    return outbox_send(outbox_id=outbox_id)


@shared_task
def task_outbox_sweep() -> int:
    """Beat, every minute: queue again the mails and documents whose task was lost (broker
    down when queued, a worker killed mid-task) or whose next try is due."""
    return outbox_sweep() + documents_sweep()


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
