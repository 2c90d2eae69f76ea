"""The newsletter (メールマガジン): double opt-in subscription, one-click unsubscribe (RFC 8058),
and sending an issue in batches through the outbox, once per recipient.

A subscription is confirmed by a signed, expiring link (KYODO_NEWSLETTER_CONFIRM_HOURS); the
link opens a page whose button confirms, so a mail scanner that follows links confirms
nothing. Every issue mail carries ``List-Unsubscribe`` (an https URL with a signed token, and a
mailto to the center) and ``List-Unsubscribe-Post: List-Unsubscribe=One-Click``: a POST to the
URL unsubscribes without log-in; a GET shows a page with the button and changes nothing.

Sending: ``issue_send`` makes one Delivery row per subscriber of the issue's topic; each
minute ``newsletter_batch`` writes the outbox mail of up to KYODO_NEWSLETTER_PER_MINUTE of them,
each in its own transaction that also claims the delivery (``outbox`` set by a conditional
update). A rerun or a worker killed halfway leaves each delivery with exactly one mail; the
outbox's own claim sends each mail once.
"""

import datetime as dt
import hashlib
import logging

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from kyodo.exceptions import DomainError
from kyodo.mail import absolute_url, after_commit, mail_enqueue
from kyodo.models import OutboxMail, SentMail
from kyodo.workflow import transition
from publications.enums import ISSUE_TRANSITIONS, IssueStatus, SubscriberStatus, Topic
from publications.models import Delivery, Issue, IssueEvent, Subscriber, Suppression
from publications.sanitize import plain_text, sanitize_html

logger = logging.getLogger(__name__)

CONFIRM_SALT = "publications.newsletter.confirm"
UNSUBSCRIBE_SALT = "publications.newsletter.unsubscribe"


def _normalized(email: str) -> str:
    return (email or "").strip().lower()


def confirm_token(subscriber: Subscriber) -> str:
    # The address is signed too: a token made before the row was reused does not confirm it.
    return signing.TimestampSigner(salt=CONFIRM_SALT).sign(f"{subscriber.pk}:{subscriber.email}")


def unsubscribe_token(subscriber: Subscriber) -> str:
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign(str(subscriber.pk))


def subscriber_from_unsubscribe_token(token: str) -> Subscriber | None:
    try:
        pk = int(signing.Signer(salt=UNSUBSCRIBE_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Subscriber.objects.filter(pk=pk).first()


def unsubscribe_url(subscriber: Subscriber) -> str:
    return absolute_url(reverse("publications:unsubscribe", args=[unsubscribe_token(subscriber)]))


@transaction.atomic
def subscribe_request(*, email: str, topics: list[str], language: str) -> Subscriber:
    """Ask for a subscription: the address gets a confirmation link (unless it is subscribed
    already: then its topics are left as they are and nothing is mailed, so the form tells a
    stranger nothing about who subscribes). Side effects: the row; a mail in the outbox."""
    topics = [t for t in Topic.values if t in set(topics)]
    if not topics:
        raise DomainError(_("Choose at least one topic."))
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        email=_normalized(email), defaults={"topics": topics, "language": language}
    )
    if subscriber.status == SubscriberStatus.ACTIVE:
        return subscriber
    subscriber.topics = topics
    subscriber.language = language
    subscriber.status = SubscriberStatus.PENDING
    subscriber.confirmation_sent_at = timezone.now()
    subscriber.save()
    confirm = reverse("publications:subscribe_confirm", args=[confirm_token(subscriber)])
    mail_enqueue(
        to=subscriber.email,
        template="newsletter_confirm",
        context={
            "confirm_url": absolute_url(confirm),
            "hours": settings.KYODO_NEWSLETTER_CONFIRM_HOURS,
        },
        purpose="publications.newsletter_confirm",
        language=language,
    )
    return subscriber


@transaction.atomic
def subscribe_confirm(*, token: str) -> Subscriber:
    """Confirm a subscription from the link; refused when the link expired or was altered."""
    max_age = settings.KYODO_NEWSLETTER_CONFIRM_HOURS * 3600
    try:
        value = signing.TimestampSigner(salt=CONFIRM_SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise DomainError(_("This confirmation link has expired. Please subscribe again.")) from exc
    except signing.BadSignature as exc:
        raise DomainError(_("This confirmation link is not valid.")) from exc
    pk, _sep, email = value.partition(":")
    subscriber = Subscriber.objects.filter(pk=pk, email=email).first()
    if subscriber is None:
        raise DomainError(_("This confirmation link is not valid."))
    if subscriber.status != SubscriberStatus.ACTIVE:
        Subscriber.objects.filter(pk=subscriber.pk).update(
            status=SubscriberStatus.ACTIVE, confirmed_at=timezone.now(), unsubscribed_at=None
        )
        subscriber.refresh_from_db()
        # Its owner asked again and confirmed: the address is no longer suppressed.
        Suppression.objects.filter(email_hash=email_hash(subscriber.email)).delete()
    return subscriber


def email_hash(email: str) -> str:
    return hashlib.sha256(_normalized(email).encode()).hexdigest()


def is_suppressed(email: str) -> bool:
    return Suppression.objects.filter(email_hash=email_hash(email)).exists()


@transaction.atomic
def subscribers_forget(*, now=None) -> int:
    """Reduce addresses unsubscribed more than KYODO_NEWSLETTER_FORGET_DAYS ago to a
    suppression hash: the subscriber row goes, its deliveries keep the hash instead of the
    address (so past issues' counts stay), and the newsletter mails to it in the mail log and
    the outbox are deleted. Returns how many were forgotten."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=settings.KYODO_NEWSLETTER_FORGET_DAYS)
    gone = list(
        Subscriber.objects.filter(status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at__lt=cutoff)
    )
    for subscriber in gone:
        digest = email_hash(subscriber.email)
        Suppression.objects.get_or_create(email_hash=digest)
        Delivery.objects.filter(email=subscriber.email).update(
            email=f"{digest}@suppressed.invalid", subscriber=None
        )
        for model in (OutboxMail, SentMail):
            model.objects.filter(
                to__iexact=subscriber.email, purpose__startswith="publications.newsletter"
            ).delete()
        subscriber.delete()
    return len(gone)


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> Subscriber:
    """Stop every mail to the subscriber at once (no further issue is written for it).
    Idempotent. Side effects: the row's status and time."""
    Subscriber.objects.filter(pk=subscriber.pk).exclude(
        status=SubscriberStatus.UNSUBSCRIBED
    ).update(status=SubscriberStatus.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    subscriber.refresh_from_db()
    return subscriber


@transaction.atomic
def issue_save(*, issue: Issue) -> Issue:
    if issue.pk and Issue.objects.filter(pk=issue.pk).exclude(status=IssueStatus.DRAFT).exists():
        raise DomainError(_("An issue that has been sent cannot be changed."))
    from publications.blocks import render_blocks

    issue.body = sanitize_html(issue.body)
    issue.blocks_html = sanitize_html(render_blocks(issue.blocks))
    issue.save()
    return issue


def recipients_of(issue: Issue):
    subscribers = Subscriber.objects.filter(status=SubscriberStatus.ACTIVE)
    if issue.topic:
        subscribers = [s for s in subscribers if issue.topic in (s.topics or [])]
    return list(subscribers)


def _headers(subscriber: Subscriber, center_email: str) -> dict[str, str]:
    links = [f"<{unsubscribe_url(subscriber)}>"]
    if center_email:
        links.append(f"<mailto:{center_email}?subject=unsubscribe>")
    return {
        "List-Unsubscribe": ", ".join(links),
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def _enqueue_issue_mail(*, issue: Issue, subscriber: Subscriber, to: str, purpose: str):
    from kyodo.selectors import center_profile

    center = center_profile()
    return mail_enqueue(
        to=to,
        template="newsletter_issue",
        context={
            "issue": issue,
            "body_html": issue.body + issue.blocks_html,
            "body_text": plain_text(issue.body + issue.blocks_html),
            "unsubscribe_url": unsubscribe_url(subscriber),
            "archive_url": absolute_url(issue.get_absolute_url()),
        },
        purpose=purpose,
        language=subscriber.language,
        headers=_headers(subscriber, center.email),
    )


@transaction.atomic
def issue_send_test(*, issue: Issue, to: str) -> OutboxMail:
    """The issue as a subscriber gets it, to one address (the staff member's own)."""
    subscriber = Subscriber(pk=0, email=to, language=settings.LANGUAGE_CODE)
    return _enqueue_issue_mail(
        issue=issue, subscriber=subscriber, to=to, purpose="publications.newsletter_test"
    )


@transaction.atomic
def issue_send(*, issue: Issue, by) -> int:
    """Start sending: DRAFT → SENDING (compare-and-set, history row), one Delivery per
    subscriber of the issue's topic; the first batch after the commit. Returns the count."""
    transition(
        instance=issue,
        to=IssueStatus.SENDING,
        transitions=ISSUE_TRANSITIONS,
        history_model=IssueEvent,
        history_fk="issue",
        by=by,
    )
    deliveries = [Delivery(issue=issue, subscriber=s, email=s.email) for s in recipients_of(issue)]
    Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
    from kyodo.celery import publish
    from publications.tasks import task_newsletter_batch

    after_commit(lambda: publish(task_newsletter_batch, issue_id=issue.pk))
    return len(deliveries)


def newsletter_batch(*, issue_id: int, limit: int | None = None) -> int:
    """Write the outbox mails of up to ``limit`` deliveries of the issue still without one;
    mark the issue sent when none is left. Returns how many mails were written."""
    limit = limit or settings.KYODO_NEWSLETTER_PER_MINUTE
    issue = Issue.objects.filter(pk=issue_id, status=IssueStatus.SENDING).first()
    if issue is None:
        return 0
    written = 0
    pending = Delivery.objects.filter(issue=issue, outbox__isnull=True).select_related("subscriber")
    for delivery in list(pending.order_by("pk")[:limit]):
        subscriber = delivery.subscriber
        if subscriber is None or subscriber.status != SubscriberStatus.ACTIVE:
            Delivery.objects.filter(pk=delivery.pk).delete()  # unsubscribed meanwhile
            continue
        with transaction.atomic():
            row = _enqueue_issue_mail(
                issue=issue,
                subscriber=subscriber,
                to=delivery.email,
                purpose="publications.newsletter",
            )
            claimed = Delivery.objects.filter(pk=delivery.pk, outbox__isnull=True).update(
                outbox=row
            )
            if not claimed:  # another worker wrote this one: take ours back
                transaction.set_rollback(True)
                continue
        written += 1
    if not Delivery.objects.filter(issue=issue, outbox__isnull=True).exists():
        issue_finish(issue=issue)
    return written


@transaction.atomic
def issue_finish(*, issue: Issue) -> None:
    transition(
        instance=issue,
        to=IssueStatus.SENT,
        transitions=ISSUE_TRANSITIONS,
        history_model=IssueEvent,
        history_fk="issue",
        extra_fields={"sent_at": timezone.now()},
    )


def newsletter_sweep() -> int:
    """Beat, every minute: the next batch of every issue being sent."""
    return sum(
        newsletter_batch(issue_id=pk)
        for pk in Issue.objects.filter(status=IssueStatus.SENDING).values_list("pk", flat=True)
    )


def issue_progress(issue: Issue) -> dict:
    """Sent / failed / left of an issue's mails, in one query."""
    counts = Delivery.objects.filter(issue=issue).aggregate(
        total=Count("pk"),
        sent=Count("pk", filter=Q(outbox__status=OutboxMail.Status.SENT)),
        failed=Count("pk", filter=Q(outbox__status=OutboxMail.Status.FAILED)),
    )
    counts["left"] = counts["total"] - counts["sent"] - counts["failed"]
    return counts


def progress_of(issues) -> dict[int, dict]:
    """issue_progress of several issues in one query: {issue id: counts}."""
    rows = (
        Delivery.objects.filter(issue__in=[i.pk for i in issues])
        .values("issue")
        .annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(outbox__status=OutboxMail.Status.SENT)),
            failed=Count("pk", filter=Q(outbox__status=OutboxMail.Status.FAILED)),
        )
    )
    return {
        row["issue"]: {**row, "left": row["total"] - row["sent"] - row["failed"]} for row in rows
    }


@transaction.atomic
def bounce_record(*, email: str, detail: str = "") -> Subscriber | None:
    """A hard bounce reported for ``email`` (by the mail provider's webhook or the bounce
    mailbox, through the ``newsletter_bounce`` command): logged in SentMail; after
    KYODO_NEWSLETTER_MAX_BOUNCES the subscriber gets no more mail. Returns the subscriber, or
    None for an address that is not (or no longer) subscribed."""
    address = _normalized(email)
    SentMail.objects.create(
        to=address,
        subject=_("Bounced"),
        purpose="publications.newsletter_bounce",
        language=settings.LANGUAGE_CODE,
        status=SentMail.Status.FAILED,
        error=detail[:2000],
    )
    subscriber = Subscriber.objects.filter(email=address).first()
    if subscriber is None:
        return None
    Subscriber.objects.filter(pk=subscriber.pk).update(bounce_count=F("bounce_count") + 1)
    Subscriber.objects.filter(
        pk=subscriber.pk,
        status=SubscriberStatus.ACTIVE,
        bounce_count__gte=settings.KYODO_NEWSLETTER_MAX_BOUNCES,
    ).update(status=SubscriberStatus.BOUNCED)
    subscriber.refresh_from_db()
    return subscriber
