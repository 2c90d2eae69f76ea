"""What the center's own floor adds to the staff home: work that failed and waits for a person
(a mail the outbox gave up on, a document that could not be made)."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kyodo.staff_home import StaffHomeProvider, WorkLine, register_staff_home

# Failures older than this are history, not today's work.
RECENT_DAYS = 30


def _failures(request):
    import datetime as dt

    from django.db.models import Count, Q

    from accounts.rules import can_use_backoffice
    from kyodo.models import DocumentStatus, GeneratedDocument, OutboxMail

    if not can_use_backoffice(request.user):
        return None
    since = timezone.now() - dt.timedelta(days=RECENT_DAYS)
    mails = OutboxMail.objects.filter(created_at__gte=since).aggregate(
        failed=Count("pk", filter=Q(status=OutboxMail.Status.FAILED))
    )["failed"]
    documents = GeneratedDocument.objects.filter(created_at__gte=since).aggregate(
        failed=Count("pk", filter=Q(status=DocumentStatus.FAILED))
    )["failed"]
    return [
        WorkLine(
            _("Mails that could not be sent"),
            mails,
            reverse("admin:kyodo_outboxmail_changelist") + "?status__exact=failed",
            urgent=bool(mails),
        ),
        WorkLine(
            _("Documents that could not be made"),
            documents,
            reverse("admin:kyodo_generateddocument_changelist") + "?status__exact=failed",
            urgent=bool(documents),
        ),
    ]


register_staff_home(
    StaffHomeProvider(key="failures", title=_("Failed work"), lines=_failures, order=900)
)
