"""Reminders of 協働事業提案, swept daily by beat:

- reviewers with assigned proposals not yet scored, 3 days and 1 day before the stage's
  scoring deadline;
- the managers of organizations with a draft (or a returned proposal), a week and a day
  before its deadline.

Each reminder is a ProposalReminder row whose unique key names what, to whom and which
offset: the row is inserted in the transaction that puts the mail in kyodo's outbox, so a
second or late sweep sends nothing twice, and a failed send is tried again by the outbox. A
late sweep sends only the nearest offset (a beat down on day −7 that runs on day −5 sends the
week's reminder once, not both)."""

import datetime as dt
import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy, pgettext_lazy

from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, mail_enqueue, outbox_send
from proposals.enums import ProposalStatus, StageStatus
from proposals.models import Assignment, Proposal, ProposalReminder, Stage

logger = logging.getLogger(__name__)

REVIEW_OFFSETS = (3, 1)
DRAFT_OFFSETS = (7, 1)


def nearest_offset(days_left: int, offsets) -> int | None:
    """The reminder due with ``days_left`` days to go: the smallest offset not below it."""
    due = [offset for offset in offsets if 0 <= days_left <= offset]
    return min(due) if due else None


def _send_claimed(key: str, user, **mail) -> bool:
    """Claim the reminder and put its mail in the outbox in one transaction, then send it
    (the sweep is a worker already); a failed send stays in the outbox and is tried again."""
    try:
        with transaction.atomic():
            ProposalReminder.objects.create(key=key, email=user.email)
            row = mail_enqueue(to=user.email, template="notice", user=user, publish=False, **mail)
    except IntegrityError:
        return False  # reminded already
    outbox_send(outbox_id=row.pk)
    return True


def reviewer_reminders_send(*, today: dt.date | None = None) -> int:
    from proposals.selectors import reviewer_rows

    today = today or timezone.localdate()
    sent = 0
    stages = Stage.objects.filter(
        status=StageStatus.OPEN,
        review_deadline__gte=today,
        review_deadline__lte=today + dt.timedelta(days=max(REVIEW_OFFSETS)),
    ).select_related("round")
    for stage in stages:
        offset = nearest_offset((stage.review_deadline - today).days, REVIEW_OFFSETS)
        if offset is None:
            continue
        for assignment in Assignment.objects.filter(stage=stage).select_related("reviewer"):
            reviewer = assignment.reviewer
            if not reviewer.is_active:
                continue
            pending = [r for r in reviewer_rows(assignment) if not r.conflicted and not r.submitted]
            if not pending:
                continue
            sent += _send_claimed(
                f"review:{stage.pk}:{reviewer.pk}:{offset}",
                reviewer,
                purpose="proposals.review_reminder",
                context={
                    "subject": gettext_lazy("Reminder: proposals waiting for your scores"),
                    "paragraphs": [
                        gettext_lazy(
                            "Some proposals assigned to you have no submitted score sheet yet."
                            " Please score them before the deadline."
                        )
                    ],
                    "facts": [
                        (gettext_lazy("Call"), localized_lazy(stage.round)),
                        (gettext_lazy("Stage"), localized_lazy(stage)),
                        (gettext_lazy("Deadline"), stage.review_deadline.isoformat()),
                        (pgettext_lazy("reviews", "Waiting"), len(pending)),
                    ],
                    "action_url": absolute_url(reverse("proposals_review:stage", args=[stage.pk])),
                    "action_label": gettext_lazy("Open the score sheets"),
                },
            )
    return sent


def draft_reminders_send(*, today: dt.date | None = None) -> int:
    from organizations.selectors import managers_of
    from proposals.services import deadline_of

    today = today or timezone.localdate()
    sent = 0
    horizon = today + dt.timedelta(days=max(DRAFT_OFFSETS))
    proposals = (
        Proposal.objects.filter(
            Q(status=ProposalStatus.DRAFT, round__submission_deadline__gte=today)
            | Q(status=ProposalStatus.RETURNED, resubmit_by__gte=today)
        )
        .select_related("round", "organization")
        .order_by("pk")
    )
    for proposal in proposals:
        deadline = deadline_of(proposal)
        if not today <= deadline <= horizon:
            continue
        offset = nearest_offset((deadline - today).days, DRAFT_OFFSETS)
        if offset is None:
            continue
        for user in managers_of(proposal.organization):
            sent += _send_claimed(
                f"draft:{proposal.pk}:{proposal.status}:{deadline}:{user.pk}:{offset}",
                user,
                purpose="proposals.draft_reminder",
                context={
                    "subject": gettext_lazy("Reminder: your proposal is not submitted yet"),
                    "paragraphs": [
                        gettext_lazy(
                            "Your collaboration project proposal is saved but not submitted."
                            " Submit it by 23:59 (Tokyo time) on the deadline."
                        )
                    ],
                    "facts": [
                        (gettext_lazy("Call"), localized_lazy(proposal.round)),
                        (gettext_lazy("Proposal"), proposal.title),
                        (gettext_lazy("Deadline"), deadline.isoformat()),
                    ],
                    "action_url": absolute_url(reverse("proposals:detail", args=[proposal.pk])),
                    "action_label": gettext_lazy("Open the proposal"),
                },
            )
    return sent
