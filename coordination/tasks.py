import logging

from celery import shared_task

from coordination.services import post_reminders_send, posts_expire

logger = logging.getLogger(__name__)


@shared_task
def task_sweep_board() -> dict[str, int]:
    """Beat, daily: posts past their end leave the board, then reminders before the end go
    out. Both are idempotent (compare-and-set; reminders claimed per period)."""
    counts = {"expired": posts_expire(), "reminded": post_reminders_send()}
    if counts["expired"] or counts["reminded"]:
        logger.info("Board sweep: %(expired)d expired, %(reminded)d reminded", counts)
    return counts
