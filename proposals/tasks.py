"""Background work of 協働事業提案: the decision mails and the daily reminder sweep."""

import logging

from celery import shared_task

from proposals.models import Decision

logger = logging.getLogger(__name__)


@shared_task
def task_send_decision(*, decision_id: int) -> int:
    """Queued on commit for each released decision: its letter and mail, once."""
    from proposals.letters import decision_notify

    decision = (
        Decision.objects.select_related("proposal__round", "proposal__organization", "letter")
        .filter(pk=decision_id)
        .first()
    )
    if decision is None:
        logger.warning("Decision %s is gone; nothing sent", decision_id)
        return 0
    return decision_notify(decision=decision)


@shared_task
def task_send_proposal_reminders() -> int:
    """Beat, daily: reviewers' and drafts' reminders, each claimed once, and decision mails
    that could not be sent at the release."""
    from proposals.letters import decisions_notify_pending
    from proposals.reminders import draft_reminders_send, reviewer_reminders_send

    return reviewer_reminders_send() + draft_reminders_send() + decisions_notify_pending()
