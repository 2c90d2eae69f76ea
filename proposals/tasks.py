"""Background work of 協働事業提案: the daily reminder sweep."""

import logging

from celery import shared_task

logger = logging.getLogger(__name__)


@shared_task
def task_send_proposal_reminders() -> int:
    """Beat, daily: reviewers' and drafts' reminders, each claimed once, and decision mails
    that could not be sent at the release."""
    from proposals.letters import decisions_notify_pending
    from proposals.reminders import draft_reminders_send, reviewer_reminders_send

    return reviewer_reminders_send() + draft_reminders_send() + decisions_notify_pending()
