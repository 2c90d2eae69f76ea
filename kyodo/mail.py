"""Every e-mail of the portal goes through one outbox.

A mail is first a row (OutboxMail), written by ``mail_enqueue`` inside the transaction of the
change it reports, rendered there in the recipient's language from a template triple under
templates/emails/ (``<name>_subject.txt``, ``<name>_body.txt``, ``<name>_body.html``). After the
commit a task is queued (``kyodo.celery.publish``: never blocks, never raises). The task claims
the row with a lease (a conditional update of ``claimed_at``), sends, and marks it sent only
after the send succeeded; a failed send gives the claim back with a later ``next_attempt_at``.
Beat's ``outbox_sweep`` queues rows that were never queued (broker down), whose worker died
(lease expired) or whose next try is due. So each mail goes out at least once, and the claim
keeps two workers from sending the same row. Every attempt is logged in SentMail (to, subject,
when, what for, sent or failed) so staff can see what the portal told whom.
"""

import datetime as dt
import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.html import strip_tags

from kyodo.models import DocumentStatus, OutboxMail, SentMail

logger = logging.getLogger(__name__)


def absolute_url(path: str) -> str:
    """A link for an e-mail: services have no request, so the site's address is a setting
    (in development, the address of the request being answered: kyodo.site)."""
    from kyodo.site import site_url

    return f"{site_url()}{path}"


def recipient_language(user=None) -> str:
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def render_mail(template: str, context: dict, language: str) -> tuple[str, str, str]:
    context = {**context, "LANGUAGE_CODE": language}
    with translation.override(language):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    subject = " ".join(subject.split())  # a header must be one line
    return subject, text, html


def after_commit(function) -> None:
    """Run ``function`` once the enclosing transaction commits, or now outside one.

    This is ``transaction.on_commit``, except that the transaction a test case wraps around
    each test (marked ``_from_testcase`` by Django, which its ``durable`` check reads the same
    way) counts as no transaction: code that runs outside any transaction in production (an
    allauth mail, a beat sweep) then behaves in a test as it does in production."""
    connection = transaction.get_connection()
    if any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks):
        transaction.on_commit(function, robust=True)
    else:
        function()


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=settings.KYODO_OUTBOX_LEASE_SECONDS)


def mail_enqueue(
    *,
    to: str,
    template: str,
    context: dict | None = None,
    purpose: str,
    language: str | None = None,
    user=None,
    attachment=None,
    publish: bool = True,
    headers: dict[str, str] | None = None,
) -> OutboxMail:
    """Put a mail in the outbox: render ``template`` in the recipient's language now and send
    it after the commit.

    ``purpose`` says what the mail is for (e.g. ``account.email_confirmation``);
    ``attachment`` is a GeneratedDocument sent with the mail once it is rendered. Call it inside
    the transaction of the change the mail reports: a rollback takes the mail with it.
    ``publish=False`` leaves the sending to the caller (a sweep that sends its rows itself with
    ``outbox_send``) or to the outbox sweep. ``headers``: extra headers of this mail (a
    newsletter's List-Unsubscribe), kept on the row and set by build_message. Side effects: an
    OutboxMail row; after the commit, the send task (in-process in eager mode)."""
    language = language or recipient_language(user)
    from kyodo.selectors import center_profile

    context = {"user": user, "center": center_profile(), **(context or {})}
    subject, text, html = render_mail(template, context, language)
    return _enqueue(
        to=to,
        subject=subject,
        text=text,
        html=html,
        purpose=purpose,
        language=language,
        attachment=attachment,
        publish=publish,
        headers=headers,
    )


def message_enqueue(message, *, purpose: str, language: str) -> list[OutboxMail]:
    """Put a message built elsewhere (allauth's) in the outbox, one row per recipient."""
    html = next(
        (
            content
            for content, mimetype in getattr(message, "alternatives", [])
            if mimetype == "text/html"
        ),
        "",
    )
    text = message.body
    if getattr(message, "content_subtype", "plain") == "html":  # an HTML-only message
        html, text = message.body, strip_tags(message.body)
    return [
        _enqueue(
            to=address,
            subject=str(message.subject),
            text=text,
            html=html,
            purpose=purpose,
            language=language,
        )
        for address in message.to
    ]


def _enqueue(
    *, to, subject, text, html, purpose, language, attachment=None, publish=True, headers=None
):
    row = OutboxMail.objects.create(
        to=to[:254],
        subject=" ".join(str(subject).split())[:300],
        text_body=text,
        html_body=html,
        purpose=purpose[:100],
        language=language,
        attachment=attachment,
        headers=headers or {},
        # Published right after the commit; a failed publish clears it for the sweep.
        queued_at=timezone.now() if publish else None,
    )
    if publish:
        after_commit(lambda: outbox_publish(row.pk))
    return row


def outbox_publish(outbox_id: int) -> bool:
    """Queue the send task of one row; on failure leave it for the sweep (queued_at cleared)."""
    from kyodo.celery import publish
    from kyodo.tasks import task_send_mail

    if publish(task_send_mail, outbox_id=outbox_id):
        return True
    OutboxMail.objects.filter(pk=outbox_id, status=OutboxMail.Status.PENDING).update(queued_at=None)
    return False


def _claim(outbox_id: int, now: dt.datetime) -> bool:
    """Take the row for this worker until ``now + lease``: pending, and claimed by nobody or
    by a worker whose lease has expired (killed mid-send)."""
    return bool(
        OutboxMail.objects.filter(pk=outbox_id, status=OutboxMail.Status.PENDING)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease()))
        .update(claimed_at=now, attempts=F("attempts") + 1)
    )


def _retry_delay(attempts: int) -> dt.timedelta:
    return dt.timedelta(minutes=min(2**attempts, 360))


def _attachment_of(row: OutboxMail) -> tuple[list, bool]:
    """(attachments, ready): the row's document as an attachment, rendered here if still
    pending. Not ready while another worker holds the document's lease."""
    document = row.attachment
    if document is None:
        return [], True
    if document.status == DocumentStatus.PENDING:
        from kyodo.services import document_render

        document = document_render(document=document)
    if document.status == DocumentStatus.PENDING:
        return [], False
    if document.status != DocumentStatus.READY or not document.file:
        # Rendering failed (staff see it in the admin): the mail goes without it, and its link
        # serves the document once staff have made it again.
        logger.error(
            "Document %s of mail %s is %s; sent without it", document.pk, row.pk, document.status
        )
        return [], True
    with document.file.open("rb") as handle:
        return [(document.filename, handle.read(), "application/pdf")], True


def build_message(row: OutboxMail, attachments=()) -> EmailMultiAlternatives:
    """The one place where an outgoing message is built (headers, encoding, parts)."""
    message = EmailMultiAlternatives(
        row.subject,
        row.text_body,
        settings.DEFAULT_FROM_EMAIL,
        [row.to],
        headers=dict(row.headers or {}),
    )
    if row.html_body:
        message.attach_alternative(row.html_body, "text/html")
    for filename, content, mimetype in attachments:
        message.attach(filename, content, mimetype)
    return message


def outbox_send(*, outbox_id: int) -> str:
    """Claim the row, send it, mark it sent. Returns what happened: ``sent``, ``failed`` (tried
    again later), ``waiting`` (its document is being rendered elsewhere) or ``skipped`` (sent
    already, or claimed by a live worker)."""
    now = timezone.now()
    if not _claim(outbox_id, now):
        return "skipped"
    row = OutboxMail.objects.select_related("attachment").get(pk=outbox_id)
    attachments, ready = _attachment_of(row)
    if not ready:
        # Give the claim back without counting a try; the sweep looks again in a little
        # while (not a countdown here: in eager mode that would run again at once).
        OutboxMail.objects.filter(pk=row.pk, claimed_at=now).update(
            claimed_at=None,
            attempts=F("attempts") - 1,
            queued_at=None,
            next_attempt_at=now + dt.timedelta(seconds=15),
        )
        return "waiting"
    message = build_message(row, attachments)
    try:
        message.send()
    except Exception as exc:
        logger.exception("Sending %s to %s failed (try %s)", row.purpose, row.to, row.attempts)
        _log(row, SentMail.Status.FAILED, error=str(exc))
        gave_up = row.attempts >= settings.KYODO_OUTBOX_MAX_ATTEMPTS
        OutboxMail.objects.filter(pk=row.pk, claimed_at=now).update(
            status=OutboxMail.Status.FAILED if gave_up else OutboxMail.Status.PENDING,
            claimed_at=None,
            queued_at=None,
            next_attempt_at=now + _retry_delay(row.attempts),
            last_error=f"{type(exc).__name__}: {exc}",
        )
        return "failed"
    OutboxMail.objects.filter(pk=row.pk, status=OutboxMail.Status.PENDING).update(
        status=OutboxMail.Status.SENT, sent_at=timezone.now(), claimed_at=None, last_error=""
    )
    _log(row, SentMail.Status.SENT)
    return "sent"


def _log(row: OutboxMail, status: str, *, error: str = "") -> SentMail:
    return SentMail.objects.create(
        to=row.to,
        subject=row.subject,
        purpose=row.purpose,
        language=row.language,
        status=status,
        error=error,
    )


def outbox_due(now: dt.datetime | None = None):
    """Pending rows the sweep must queue: never queued or queued longer than a lease ago
    (the broker was down, the message was lost), not held by a live worker, and due."""
    now = now or timezone.now()
    return (
        OutboxMail.objects.filter(status=OutboxMail.Status.PENDING)
        .filter(Q(queued_at__isnull=True) | Q(queued_at__lt=now - lease()))
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease()))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )


def outbox_sweep(*, now: dt.datetime | None = None) -> int:
    """Queue the send task of every due row; returns how many were queued. Each row is
    marked queued with a conditional update first, so two sweeps at once queue it once."""
    now = now or timezone.now()
    queued = 0
    for pk, queued_at in outbox_due(now).values_list("pk", "queued_at")[:1000]:
        if not OutboxMail.objects.filter(pk=pk, queued_at=queued_at).update(queued_at=now):
            continue
        if outbox_publish(pk):
            queued += 1
    return queued


def outbox_retry(*, outbox_ids) -> int:
    """Put mails the outbox gave up on (or still waiting) back in line, now, with their tries
    counted afresh: staff do this from the admin once the mail server is mended. Returns how
    many rows were queued. Side effects: the send task per row, after the commit."""
    now = timezone.now()
    ids = list(
        OutboxMail.objects.filter(pk__in=outbox_ids)
        .exclude(status=OutboxMail.Status.SENT)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - lease()))
        .values_list("pk", flat=True)
    )
    OutboxMail.objects.filter(pk__in=ids).update(
        status=OutboxMail.Status.PENDING,
        attempts=0,
        next_attempt_at=None,
        claimed_at=None,
        queued_at=now,
    )
    for pk in ids:
        after_commit(lambda pk=pk: outbox_publish(pk))
    return len(ids)


def queue_notice(
    recipients, *, purpose, subject, paragraphs, facts=(), reason="", action_url="", action_label=""
) -> list[OutboxMail]:
    """Put one "notice" mail per recipient (a user, or an e-mail address) in the outbox, sent
    after the commit, so nothing is sent for a change that is rolled back.

    Texts are lazy so that each is rendered in the recipient's language. A failed send is
    logged in SentMail and tried again by the outbox: the change it reports stands."""
    rows = []
    for recipient in recipients:
        user = recipient if hasattr(recipient, "email") else None
        address = user.email if user else recipient
        if not address:
            continue
        context = {
            "subject": subject,
            "paragraphs": paragraphs,
            "facts": list(facts),
            "reason": reason,
            "action_url": action_url,
            "action_label": action_label,
        }
        rows.append(
            mail_enqueue(to=address, template="notice", user=user, context=context, purpose=purpose)
        )
    return rows
