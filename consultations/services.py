"""Writes of the consultations app. Status moves go through kyodo.workflow (history row);
mails are queued on commit; reminders are claimed with a conditional update."""

import datetime as dt
import logging
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from consultations.enums import CASE_TRANSITIONS, CaseStatus, Channel, EntryKind, PartyRole
from consultations.models import (
    Attachment,
    Case,
    CaseEvent,
    ConsultationSettings,
    Entry,
    FollowUp,
    NoteAccess,
    Outcome,
    Party,
    RetentionRun,
)
from consultations.rules import can_handle_cases
from kyodo.dates import fiscal_year
from kyodo.exceptions import DomainError
from kyodo.mail import absolute_url, mail_enqueue, outbox_send
from kyodo.selectors import center_profile
from kyodo.text import stored_text
from kyodo.workflow import transition

logger = logging.getLogger(__name__)


def _notice(
    *, to, user=None, purpose, subject, paragraphs, action_url="", action_label="", facts=()
):
    context = {
        "subject": subject,
        "paragraphs": paragraphs,
        "facts": list(facts),
        "action_url": action_url,
        "action_label": action_label,
    }
    mail_enqueue(to=to, template="notice", user=user, context=context, purpose=purpose)


def _next_number(opened_on: dt.date) -> str:
    prefix = f"{fiscal_year(opened_on)}-"
    last = (
        Case.objects.filter(number__startswith=prefix)
        .order_by("-number")
        .values_list("number", flat=True)
        .first()
    )
    sequence = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{prefix}{sequence:04d}"


def _asker_key(*, asker=None, organization=None, email="") -> str:
    """The key of an asker seen before (same account, organization or e-mail), else a new one.
    It identifies nobody by itself, and survives anonymisation for the statistics."""
    same = Q(pk__in=[])
    if asker is not None:
        same |= Q(asker=asker)
    if organization is not None:
        same |= Q(organization=organization)
    if email:
        same |= Q(asker_email__iexact=email)
    known = Case.objects.filter(same).exclude(asker_key="").values_list("asker_key", flat=True)
    return known.first() or secrets.token_hex(16)


def _create_case(**fields) -> Case:
    """Number cases per 年度 (2026-0001 …); the unique constraint settles a race."""
    fields["asker_key"] = _asker_key(
        asker=fields.get("asker"),
        organization=fields.get("organization"),
        email=fields.get("asker_email", ""),
    )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Case.objects.create(number=_next_number(fields["opened_on"]), **fields)
        except IntegrityError:
            continue
    raise DomainError(_("No case number could be given. Try again."))


@transaction.atomic
def case_create(
    *,
    by,
    title: str,
    request: str,
    channel: str,
    categories=(),
    assigned_to=None,
    organization=None,
    asker=None,
    asker_name="",
    asker_email="",
    asker_phone="",
    is_sensitive=False,
    opened_on=None,
) -> Case:
    """Staff record a consultation (受付). Side effects: the case, its asker party, history."""
    case = _create_case(
        title=title,
        request=request,
        channel=channel,
        assigned_to=assigned_to or by,
        organization=organization,
        organization_type=organization.org_type if organization else "",
        asker=asker,
        asker_name=asker_name,
        asker_email=asker_email,
        asker_phone=asker_phone,
        is_sensitive=is_sensitive,
        opened_on=opened_on or timezone.localdate(),
        created_by=by,
    )
    case.categories.set(categories)
    if organization is not None:
        Party.objects.create(
            case=case,
            role=PartyRole.ASKER,
            kind="organization",
            organization=organization,
            name=organization.name,
        )
    elif asker_name or asker is not None:
        Party.objects.create(
            case=case,
            role=PartyRole.ASKER,
            kind="person",
            name=asker_name or str(asker),
            contact=asker_email or asker_phone,
        )
    CaseEvent.objects.create(case=case, new_status=CaseStatus.RECEIVED, changed_by=by)
    return case


@transaction.atomic
def case_request_online(
    *,
    user=None,
    name="",
    email="",
    phone="",
    organization=None,
    categories=(),
    request: str,
    preferred_contact="",
    preferred_times="",
) -> Case:
    """A member or a visitor asks online: a case in 受付, an acknowledgement to the asker and
    a notice to the center. The asker consented to the stated purpose (checked by the form)."""
    # A neutral title: the request's own words may hold sensitive details, and the title is
    # what lists show. Staff rename the case once they have read it.
    names = "、".join(c.name for c in categories)
    title = stored_text(gettext_lazy("Online request (%(categories)s)"), categories=names)[:200]
    case = _create_case(
        title=title,
        request=request,
        channel=Channel.ONLINE,
        asker=user,
        asker_name=name or (str(user) if user else ""),
        asker_email=email or (user.email if user else ""),
        asker_phone=phone,
        organization=organization,
        organization_type=organization.org_type if organization else "",
        preferred_contact=preferred_contact,
        preferred_times=preferred_times,
        consented_at=timezone.now(),
        opened_on=timezone.localdate(),
    )
    case.categories.set(categories)
    Party.objects.create(
        case=case,
        role=PartyRole.ASKER,
        kind="organization" if organization else "person",
        organization=organization,
        name=organization.name if organization else case.asker_name,
        contact=case.asker_email or phone,
    )
    CaseEvent.objects.create(case=case, new_status=CaseStatus.RECEIVED, changed_by=user)
    _notice(
        to=case.asker_email,
        user=user,
        purpose="consultations.request_received",
        subject=gettext_lazy("We received your consultation request"),
        paragraphs=[
            gettext_lazy(
                "Thank you for contacting the center. A member of staff will "
                "get in touch with you soon."
            )
        ],
        facts=[(gettext_lazy("Case number"), case.number)],
        action_url=absolute_url(reverse("consultations:my_case", args=[case.pk])) if user else "",
        action_label=gettext_lazy("See your consultation") if user else "",
    )
    _notice(
        to=center_profile().email,
        purpose="consultations.new_online_request",
        subject=gettext_lazy("A new online consultation request"),
        paragraphs=[gettext_lazy("Someone asked for a consultation online.")],
        facts=[(gettext_lazy("Case number"), case.number)],
        action_url=absolute_url(reverse("consultations:case_detail", args=[case.pk])),
        action_label=gettext_lazy("Open the case"),
    )
    return case


@transaction.atomic
def case_update(*, case: Case, by, data: dict, categories=None) -> Case:
    """Edit the case's details (not its status). Side effects: a history row."""
    for field, value in data.items():
        setattr(case, field, value)
    if "organization" in data:
        case.organization_type = case.organization.org_type if case.organization else ""
    case.save()
    if categories is not None:
        case.categories.set(categories)
    return case


@transaction.atomic
def case_move(*, case: Case, to: str, by, reason: str = "") -> Case:
    """Change the status: 受付 → 対応中 → 紹介・連携中 → 完了, 保留, reopening. Closing sets the
    date it closed; reopening clears it. Side effects: a CaseEvent."""
    extra = {}
    if to == CaseStatus.IN_PROGRESS and case.assigned_to_id is None and can_handle_cases(by):
        extra["assigned_to"] = by  # whoever picks an unassigned case up is in charge of it
    if to == CaseStatus.CLOSED:
        extra["closed_on"] = timezone.localdate()
    elif case.status == CaseStatus.CLOSED:
        extra["closed_on"] = None
    return transition(
        instance=case,
        to=to,
        transitions=CASE_TRANSITIONS,
        history_model=CaseEvent,
        history_fk="case",
        by=by,
        reason=reason,
        extra_fields=extra,
    )


@transaction.atomic
def entry_add(
    *,
    case: Case,
    by,
    kind: str,
    notes: str,
    occurred_at=None,
    duration_minutes=None,
    shared_with_asker=False,
    attachments=(),
) -> Entry:
    """Add to the timeline. Internal memos are never shared. A shared entry is mailed to the
    asker (with a link to their page when they have an account)."""
    if kind == EntryKind.MEMO and shared_with_asker:
        raise DomainError(_("An internal memo cannot be shared with the asker."))
    if kind == EntryKind.ASKER_MESSAGE:
        raise DomainError(_("Staff cannot write in the asker's name."))
    entry = Entry.objects.create(
        case=case,
        kind=kind,
        notes=notes,
        occurred_at=occurred_at or timezone.now(),
        duration_minutes=duration_minutes,
        staff=by,
        created_by=by,
        shared_with_asker=shared_with_asker,
    )
    for upload in attachments:
        attachment_add(case=case, by=by, upload=upload, entry=entry)
    if case.status == CaseStatus.RECEIVED:
        case_move(case=case, to=CaseStatus.IN_PROGRESS, by=by)
    asker_address = case.asker_email or (case.asker.email if case.asker_id else "")
    if shared_with_asker and asker_address:
        _notice(
            to=asker_address,
            user=case.asker,
            purpose="consultations.reply",
            subject=gettext_lazy("A reply to your consultation"),
            paragraphs=[gettext_lazy("The center replied to your consultation."), notes]
            if not case.asker_id
            else [gettext_lazy("The center replied to your consultation. Read it on your page.")],
            facts=[(gettext_lazy("Case number"), case.number)],
            action_url=absolute_url(reverse("consultations:my_case", args=[case.pk]))
            if case.asker_id
            else "",
            action_label=gettext_lazy("Read the reply") if case.asker_id else "",
        )
    return entry


@transaction.atomic
def asker_message_add(*, case: Case, user, message: str) -> Entry:
    """The asker writes back on their page; the staff in charge (or the center) is told."""
    if case.asker_id != user.pk:
        raise DomainError(_("Only the person who asked can write here."))
    if case.status == CaseStatus.CLOSED:
        case_move(
            case=case,
            to=CaseStatus.IN_PROGRESS,
            by=user,
            reason=stored_text(gettext_lazy("The asker wrote again.")),
        )
    entry = Entry.objects.create(
        case=case,
        kind=EntryKind.ASKER_MESSAGE,
        notes=message,
        shared_with_asker=True,
        created_by=user,
    )
    _notice(
        to=case.assigned_to.email if case.assigned_to else center_profile().email,
        user=case.assigned_to,
        purpose="consultations.asker_message",
        subject=gettext_lazy("The asker wrote about a consultation"),
        paragraphs=[gettext_lazy("A new message arrived on a consultation case.")],
        facts=[(gettext_lazy("Case number"), case.number)],
        action_url=absolute_url(reverse("consultations:case_detail", args=[case.pk])),
        action_label=gettext_lazy("Open the case"),
    )
    return entry


@transaction.atomic
def attachment_add(*, case: Case, by, upload, entry=None) -> Attachment:
    attachment = Attachment(
        case=case, entry=entry, original_name=upload.name[:200], size=upload.size, uploaded_by=by
    )
    attachment.file.save(upload.name, upload, save=False)
    attachment.save()
    return attachment


@transaction.atomic
def party_add(*, case: Case, role: str, kind: str, organization=None, name="", contact="") -> Party:
    if not (organization or name):
        raise DomainError(_("Give the party's name or choose a registered organization."))
    return Party.objects.create(
        case=case,
        role=role,
        kind=kind,
        organization=organization,
        name=name or (organization.name if organization else ""),
        contact=contact,
    )


@transaction.atomic
def outcome_add(
    *, case: Case, kind: str, organization=None, related_case=None, reference="", note=""
) -> Outcome:
    if related_case is not None and related_case.pk == case.pk:
        raise DomainError(_("A case cannot follow from itself."))
    return Outcome.objects.create(
        case=case,
        kind=kind,
        organization=organization,
        related_case=related_case,
        reference=reference,
        note=note,
    )


@transaction.atomic
def followup_add(*, case: Case, by, description: str, due_on: dt.date, assignee) -> FollowUp:
    return FollowUp.objects.create(
        case=case, description=description, due_on=due_on, assignee=assignee, created_by=by
    )


@transaction.atomic
def followup_done(*, followup: FollowUp, by) -> FollowUp:
    FollowUp.objects.filter(pk=followup.pk, done_at__isnull=True).update(done_at=timezone.now())
    followup.refresh_from_db()
    return followup


def followup_reminders_send(*, today: dt.date | None = None) -> int:
    """Mail each assignee on the due day of an open follow-up, once: the row is claimed with a
    conditional update in the transaction that puts the mail in the outbox, so a second sweep
    (or a parallel one) sends nothing, and a failed send stays in the outbox to be tried again
    (kyodo.mail). The sweep sends its rows itself: it runs in a worker already."""
    today = today or timezone.localdate()
    sent = 0
    due = FollowUp.objects.filter(
        due_on__lte=today, done_at__isnull=True, reminded_at__isnull=True
    ).select_related("case", "assignee")
    for followup in due:
        with transaction.atomic():
            claimed = FollowUp.objects.filter(pk=followup.pk, reminded_at__isnull=True).update(
                reminded_at=timezone.now()
            )
            if not claimed:
                continue
            row = mail_enqueue(
                to=followup.assignee.email,
                template="notice",
                user=followup.assignee,
                purpose="consultations.followup_due",
                context={
                    "subject": gettext_lazy("A follow-up is due today"),
                    # A mail is no place for a 要配慮 case's details (list_description).
                    "paragraphs": [followup.list_description],
                    "facts": [
                        (gettext_lazy("Case number"), followup.case.number),
                        (gettext_lazy("Due on"), f"{followup.due_on:%Y-%m-%d}"),
                    ],
                    "action_url": absolute_url(
                        reverse("consultations:case_detail", args=[followup.case_id])
                    ),
                    "action_label": gettext_lazy("Open the case"),
                },
                publish=False,
            )
        outbox_send(outbox_id=row.pk)
        sent += 1
    return sent


def notes_read(*, case: Case, user, reason: str = "") -> NoteAccess:
    """Record that ``user`` reads the case's notes. A sensitive case needs a reason."""
    if case.is_sensitive and not reason.strip():
        raise DomainError(
            _(
                "This case holds sensitive personal information: give the reason "
                "you need to read its notes."
            )
        )
    return NoteAccess.objects.create(case=case, user=user, reason=reason.strip())


READING_VALID_FOR = dt.timedelta(minutes=15)


def attachment_read(*, attachment, user) -> NoteAccess:
    """Record the download of an attachment. For a sensitive case the reader must have given
    a reason for reading its notes in the last quarter of an hour (the file is part of them)."""
    case = attachment.case
    recent = NoteAccess.objects.filter(
        case=case,
        user=user,
        is_download=False,
        accessed_at__gte=timezone.now() - READING_VALID_FOR,
    ).exclude(reason="")
    if case.is_sensitive and not recent.exists():
        raise DomainError(
            _(
                "This case holds sensitive personal information: give the reason "
                "on the case's page before you open its files."
            )
        )
    return NoteAccess.objects.create(
        case=case,
        user=user,
        is_download=True,
        reason=stored_text(
            gettext_lazy("Downloaded the attachment %(name)s"), name=attachment.original_name
        ),
    )


def _asker_addresses(cases) -> dict[int, set[str]]:
    """The e-mail addresses each case reached its asker at: the one given, the account's, and
    a party's contact that is an address."""
    from django.contrib.auth import get_user_model

    account_emails = dict(
        get_user_model()
        .objects.filter(pk__in=[c.asker_id for c in cases if c.asker_id])
        .values_list("pk", "email")
    )
    addresses = {
        case.pk: {case.asker_email, account_emails.get(case.asker_id, "")} for case in cases
    }
    for case_id, contact in Party.objects.filter(case__in=cases).values_list("case", "contact"):
        addresses[case_id].add(contact)
    return {
        case_id: {a.strip().lower() for a in found if "@" in (a or "")}
        for case_id, found in addresses.items()
    }


def sent_mail_forget(*, cases) -> int:
    """Delete the mail log rows (kyodo's SentMail) and the outbox rows (OutboxMail: the whole
    rendered mail) of what this pillar mailed to the cases' askers while each case ran (from its
    creation to the end of the day it closed): an address with a date next to a case's dates
    says who asked, and the outbox keeps the text besides. Mails to staff and to the center name
    nobody who asked and stay. Returns the number of rows deleted."""
    from kyodo.models import OutboxMail, SentMail

    tokyo = timezone.get_current_timezone()
    addresses = _asker_addresses(cases)
    logged, queued = Q(pk__in=[]), Q(pk__in=[])
    for case in cases:
        if not addresses.get(case.pk):
            continue
        last_day = case.closed_on or timezone.localdate()
        until = dt.datetime.combine(last_day + dt.timedelta(days=1), dt.time.min, tzinfo=tokyo)
        to = Q(pk__in=[])
        for address in addresses[case.pk]:
            to |= Q(to__iexact=address)
        logged |= to & Q(sent_at__gte=case.created_at, sent_at__lt=until)
        queued |= to & Q(created_at__gte=case.created_at, created_at__lt=until)
    deleted = 0
    for model, matches in ((SentMail, logged), (OutboxMail, queued)):
        rows = model.objects.filter(matches, purpose__startswith="consultations.")
        deleted += rows.delete()[0]
    return deleted


def _admin_log_forget(cases) -> None:
    """The admin's log names a changed case (its title) and what changed in it (parties' names,
    follow-ups): only the case number is left."""
    from django.contrib.admin.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    content_type = ContentType.objects.get_for_model(Case)
    for case in cases:
        LogEntry.objects.filter(content_type=content_type, object_id=str(case.pk)).update(
            object_repr=case.number, change_message=""
        )


def retention_cutoff(today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    years = ConsultationSettings.current().retention_years
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


@transaction.atomic
def cases_anonymize(*, by, case_ids=None, today: dt.date | None = None) -> RetentionRun:
    """Remove the personal content of cases closed before the retention cutoff, keeping only
    what the statistics count (dates, channel, categories, type of organization, outcomes'
    kinds). Side effects: parties, entries, attachments (files too), follow-ups and readings
    (downloads too) deleted; earlier versions in the history deleted; the askers' mails in the
    mail log deleted (sent_mail_forget); the admin's log of the cases reduced to their numbers;
    a RetentionRun recording who did it and which cases. README "Personal data" lists them."""
    cutoff = retention_cutoff(today)
    cases = Case.objects.select_for_update().filter(
        status=CaseStatus.CLOSED, closed_on__lt=cutoff, anonymized_at__isnull=True
    )
    if case_ids is not None:
        cases = cases.filter(pk__in=case_ids)
    cases = list(cases)
    numbers = [c.number for c in cases]
    # Copies outside the case's own rows first, while the parties still say who asked.
    sent_mail_forget(cases=cases)
    _admin_log_forget(cases)
    files = list(Attachment.objects.filter(case__in=cases).values_list("file", flat=True))
    Party.objects.filter(case__in=cases).delete()
    Attachment.objects.filter(case__in=cases).delete()
    Entry.objects.filter(case__in=cases).delete()
    FollowUp.objects.filter(case__in=cases).delete()
    NoteAccess.objects.filter(case__in=cases).delete()
    Outcome.objects.filter(case__in=cases).update(
        note="", reference="", organization=None, related_case=None
    )
    CaseEvent.objects.filter(case__in=cases).update(reason="")
    # simple_history keeps earlier versions of these rows with their content: they go too,
    # and the save below leaves one anonymised version.
    Case.history.filter(id__in=[c.pk for c in cases]).delete()
    for case in cases:
        case.title = stored_text(gettext_lazy("(anonymised)"))
        case.request = ""
        case.asker = None
        case.asker_name = case.asker_email = case.asker_phone = ""
        case.organization = None
        case.preferred_times = ""
        case.anonymized_at = timezone.now()
        case.save()
    run = RetentionRun.objects.create(run_by=by, cutoff=cutoff, case_numbers=numbers)

    def _delete_files():
        from django.core.files.storage import default_storage

        for name in files:
            default_storage.delete(name)

    transaction.on_commit(_delete_files)
    return run
