"""The decision letter (採択・不採択の通知書) of a proposal, and the mail that carries it.

Issued once per decision (Decision.letter, set with a conditional update) when the round's
decisions are released; the mails are put in kyodo's outbox in the release's transaction
(Decision.notified_at, claimed with a conditional update, so a second call queues nothing),
with the letter as their attachment: the worker that sends a mail renders the letter first if
the render task has not yet. Broker down, mail server down, a worker killed: the outbox rows
stay and beat's outbox sweep sends them (kyodo.mail).
"""

import datetime as dt
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kyodo.documents import register_document_kind
from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, mail_enqueue
from kyodo.models import GeneratedDocument
from proposals.models import Decision

logger = logging.getLogger(__name__)

DECISION_LETTER_KIND = "proposal_decision_letter"


def decision_letter_issue(*, decision: Decision) -> GeneratedDocument:
    """Ask for the decision letter unless the decision has one. Side effects: a
    GeneratedDocument rendered by a task after the commit."""
    from kyodo.services import document_request

    if decision.letter_id:
        return decision.letter
    proposal = decision.proposal
    document = document_request(
        kind=DECISION_LETTER_KIND,
        template_name="pdf/proposal_decision_letter.html",
        filename=f"decision-{proposal.round.fiscal_year}-{proposal.number or 0:03d}.pdf",
        language="ja",
    )
    claimed = Decision.objects.filter(pk=decision.pk, letter__isnull=True).update(letter=document)
    if claimed != 1:  # issued by a concurrent call: keep that one
        document.delete()
        decision.refresh_from_db(fields=["letter"])
        return decision.letter
    decision.letter = document
    return document


def decision_letter_context(document) -> dict:
    from kyodo.selectors import center_profile

    decision = Decision.objects.select_related(
        "proposal__round", "proposal__organization", "proposal__theme"
    ).get(letter=document)
    return {
        "decision": decision,
        "proposal": decision.proposal,
        "round": decision.proposal.round,
        "organization": decision.proposal.organization,
        "center": center_profile(),
        "issued_on": timezone.localdate(decision.released_at or timezone.now()),
    }


register_document_kind(DECISION_LETTER_KIND, decision_letter_context)


def decision_notify(*, decision: Decision) -> int:
    """Put the released decision's mail, with its letter, in the outbox for the organization's
    managers; once. Returns the number of mails queued. Side effects: notified_at (meaning the
    mails are in the outbox), the letter if it was not issued, one outbox mail per manager."""
    from organizations.selectors import managers_of

    if decision.released_at is None:
        return 0
    with transaction.atomic():
        claimed = Decision.objects.filter(pk=decision.pk, notified_at__isnull=True).update(
            notified_at=timezone.now()
        )
        if claimed != 1:
            return 0
        letter = decision_letter_issue(decision=decision)
        proposal = decision.proposal
        facts = [
            (gettext_lazy("Call"), localized_lazy(proposal.round)),
            (gettext_lazy("Proposal"), f"{proposal.reference} {proposal.title}"),
            (gettext_lazy("Decision"), decision.get_outcome_display()),
        ]
        paragraphs = [
            gettext_lazy(
                "The decision on your collaboration project proposal has been made. The decision"
                " letter is attached."
            )
        ]
        queued = 0
        for user in managers_of(proposal.organization):
            mail_enqueue(
                to=user.email,
                template="notice",
                user=user,
                context={
                    "subject": gettext_lazy("Decision on your collaboration proposal"),
                    "paragraphs": paragraphs,
                    "facts": facts,
                    "reason": decision.council_comment,
                    "action_url": absolute_url(reverse("proposals:detail", args=[proposal.pk])),
                    "action_label": gettext_lazy("See the proposal"),
                },
                purpose="proposals.decision",
                attachment=letter,
            )
            queued += 1
    return queued


def decisions_notify_pending(*, older_than=dt.timedelta(minutes=10)) -> int:
    """Released decisions whose mails were never put in the outbox (released before the
    outbox existed): queue them now. Run daily by beat with the reminders."""
    now = timezone.now()
    pending = Decision.objects.filter(
        released_at__lt=now - older_than,
        released_at__gte=now - dt.timedelta(days=14),
        notified_at__isnull=True,
    ).select_related("proposal__round", "proposal__organization", "letter")
    return sum(decision_notify(decision=decision) for decision in pending)
