"""The decision letter (採択・不採択の通知書) of a proposal, and the mail that carries it.

Issued once per decision (Decision.letter, set with a conditional update) when the round's
decisions are released; mailed once (Decision.notified_at, claimed before sending, so a
redelivered task sends nothing). When every send fails the claim is given back and the daily
sweep (decisions_notify_pending) tries again; a worker dying between claim and send loses
that mail, which the admin shows as "not notified". The task renders the letter in-process
if the render task has not yet, as facilities.reminders explains.
"""

import datetime as dt
import logging

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy

from kyodo.documents import document_context, register_document_kind
from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, send_mail
from kyodo.models import DocumentStatus, GeneratedDocument
from kyodo.services import document_render
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


def _letter_bytes(decision: Decision) -> tuple[str, bytes, str] | None:
    document = decision.letter
    if document is None:
        return None
    if document.status == DocumentStatus.PENDING:
        document = document_render(document=document, context=document_context(document))
    if document.status != DocumentStatus.READY or not document.file:
        logger.error("Decision letter of decision %s is %s", decision.pk, document.status)
        return None
    with document.file.open("rb") as handle:
        return document.filename, handle.read(), "application/pdf"


def decision_notify(*, decision: Decision) -> int:
    """Mail the released decision, with its letter, to the organization's managers; once.
    Returns the number of mails sent."""
    from organizations.selectors import managers_of

    if decision.released_at is None:
        return 0
    claimed = Decision.objects.filter(pk=decision.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if claimed != 1:
        return 0
    proposal = decision.proposal
    attachment = _letter_bytes(decision)
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
    if attachment is None:
        paragraphs.append(
            gettext_lazy("The letter could not be attached; you can download it from the portal.")
        )
    sent = failed = 0
    for user in managers_of(proposal.organization):
        try:
            send_mail(
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
                attachments=[attachment] if attachment else None,
            )
        except Exception:  # logged in SentMail by kyodo.mail
            logger.exception("Decision mail of decision %s to %s failed", decision.pk, user.email)
            failed += 1
        else:
            sent += 1
    if failed and not sent:
        # Nobody was told: give the claim back, so that the daily sweep tries again.
        Decision.objects.filter(pk=decision.pk).update(notified_at=None)
    return sent


def decisions_notify_pending(*, older_than=dt.timedelta(minutes=10)) -> int:
    """Released decisions whose mail has not gone out (every send failed, or the task was
    lost): mail them now. Run daily by beat with the reminders; ``older_than`` leaves the
    task queued at the release its time."""
    now = timezone.now()
    pending = Decision.objects.filter(
        # Tried daily for two weeks; after that staff see "not notified" in the admin and
        # tell the group themselves.
        released_at__lt=now - older_than,
        released_at__gte=now - dt.timedelta(days=14),
        notified_at__isnull=True,
    ).select_related("proposal__round", "proposal__organization", "letter")
    return sum(decision_notify(decision=decision) for decision in pending)
