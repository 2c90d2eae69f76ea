"""Send a templated e-mail in the recipient's language and record it.

Templates live under templates/emails/ as a triple: ``<name>_subject.txt``,
``<name>_body.txt`` and ``<name>_body.html``. Every mail is logged in SentMail (to, subject,
when, what for), successful or not, so staff can see what the portal told whom.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation

from kyodo.models import SentMail

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


def send_mail(
    *,
    to: str,
    template: str,
    context: dict | None = None,
    purpose: str,
    language: str | None = None,
    user=None,
    attachments: list[tuple[str, bytes, str]] | None = None,
    fail_silently: bool = False,
) -> SentMail:
    """Render ``template`` in the recipient's language and send it to ``to``.

    ``purpose`` says what the mail is for (e.g. ``account.email_confirmation``).
    Side effects: one e-mail, one SentMail row (status failed with the error when sending
    fails; the error is raised again unless ``fail_silently``).
    """
    language = language or recipient_language(user)
    from kyodo.selectors import center_profile

    context = {"user": user, "center": center_profile(), **(context or {})}
    subject, text, html = render_mail(template, context, language)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    for filename, content, mimetype in attachments or []:
        message.attach(filename, content, mimetype)
    return deliver(message, purpose=purpose, language=language, fail_silently=fail_silently)


def deliver(message, *, purpose: str, language: str, fail_silently: bool = False) -> SentMail:
    """Send a built message and record it; used by send_mail and by allauth's adapter."""
    to = ", ".join(message.to)[:254]
    subject = str(message.subject)[:300]
    try:
        message.send()
    except Exception as exc:
        logger.exception("Sending %s to %s failed", purpose, to)
        record = SentMail.objects.create(
            to=to,
            subject=subject,
            purpose=purpose,
            language=language,
            status=SentMail.Status.FAILED,
            error=str(exc),
        )
        if not fail_silently:
            raise
        return record
    return SentMail.objects.create(
        to=to, subject=subject, purpose=purpose, language=language, status=SentMail.Status.SENT
    )


def queue_notice(
    recipients, *, purpose, subject, paragraphs, facts=(), reason="", action_url="", action_label=""
) -> None:
    """Queue one "notice" mail per recipient (a user, or an e-mail address) for after the
    commit, so nothing is sent for a change that is rolled back.

    Texts are lazy so that each is rendered in the recipient's language. A failed send is
    logged in SentMail and not raised: the change it reports stands."""
    from django.db import transaction

    for recipient in recipients:
        user = recipient if hasattr(recipient, "email") else None
        address = user.email if user else recipient
        context = {
            "subject": subject,
            "paragraphs": paragraphs,
            "facts": list(facts),
            "reason": reason,
            "action_url": action_url,
            "action_label": action_label,
        }

        def _send(address=address, user=user, context=context):
            send_mail(
                to=address,
                template="notice",
                user=user,
                context=context,
                purpose=purpose,
                fail_silently=True,
            )

        transaction.on_commit(_send)
