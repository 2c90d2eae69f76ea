import logging

from celery import shared_task

from facilities.waitlist import waitlist_expire_offers

logger = logging.getLogger(__name__)


@shared_task
def task_expire_waitlist_offers() -> dict[str, int]:
    """Beat, every 15 minutes: expired offers move on to the next in line. Idempotent (see
    waitlist_expire_offers): a second or late run offers nothing twice."""
    counts = waitlist_expire_offers()
    if counts["expired"] or counts["offered"]:
        logger.info("Waitlist sweep: %(expired)d expired, %(offered)d offered", counts)
    return counts
