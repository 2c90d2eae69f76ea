import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def task_newsletter_batch(*, issue_id: int) -> int:
    from publications.newsletter import newsletter_batch

    return newsletter_batch(issue_id=issue_id)


@shared_task
def task_newsletter_sweep() -> int:
    from publications.newsletter import newsletter_sweep

    return newsletter_sweep()


@shared_task
def task_newsletter_forget() -> int:
    from publications.newsletter import subscribers_forget

    return subscribers_forget()
