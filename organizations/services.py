"""Writes of the organizations app: registration, renewal, changes, members, documents.

Every status move goes through kyodo.workflow.transition and leaves an OrganizationEvent;
mails are put in the outbox (kyodo.mail) in the same transaction, so nothing is sent for a
rolled-back change and nothing is lost for a committed one.
"""

import datetime as dt
import logging
import secrets

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from kyodo.dates import fiscal_year, fiscal_year_range
from kyodo.exceptions import DomainError
from kyodo.mail import absolute_url, mail_enqueue, outbox_send, queue_notice
from kyodo.selectors import center_profile
from kyodo.text import search_key, stored_text
from kyodo.workflow import transition
from organizations.enums import (
    APPLICATION_TRANSITIONS,
    APPROVAL_FIELDS,
    OPEN_APPLICATION_STATUSES,
    REGISTRATION_TRANSITIONS,
    ApplicationKind,
    ApplicationStatus,
    ChangeStatus,
    DocumentKind,
    EventAction,
    EventKind,
    MemberRole,
    RegistrationStatus,
)
from organizations.models import (
    Application,
    Invitation,
    Membership,
    Organization,
    OrganizationDocument,
    OrganizationEvent,
    ProfileChange,
    RegistrationRules,
    RenewalReminder,
)
from organizations.selectors import managers_of

logger = logging.getLogger(__name__)


# --- notifications ---------------------------------------------------------------------------


def _notify(recipients, **kwargs):
    """Queue one notice per recipient after the commit (kyodo.mail.queue_notice)."""
    queue_notice(recipients, **kwargs)


def _notify_managers(organization, **kwargs):
    _notify(managers_of(organization), **kwargs)


def _notify_staff(**kwargs):
    _notify([center_profile().email], **kwargs)


def _organization_url(organization):
    return absolute_url(reverse("organizations:detail", args=[organization.pk]))


def _event(organization, *, kind, action, by=None, reason="", application=None, new_status=""):
    return OrganizationEvent.objects.create(
        organization=organization,
        application=application,
        kind=kind,
        action=action,
        changed_by=by,
        reason=reason,
        new_status=new_status,
    )


def _move_organization(organization, to, *, by=None, reason="", extra_fields=None):
    return transition(
        instance=organization,
        to=to,
        transitions=REGISTRATION_TRANSITIONS,
        history_model=OrganizationEvent,
        history_fk="organization",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
        history_fields={"kind": EventKind.REGISTRATION},
    )


def _move_application(application, to, *, by=None, reason="", extra_fields=None):
    return transition(
        instance=application,
        to=to,
        transitions=APPLICATION_TRANSITIONS,
        history_model=OrganizationEvent,
        history_fk="application",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
        history_fields={"kind": EventKind.APPLICATION, "organization": application.organization},
    )


# --- registration ----------------------------------------------------------------------------


class RegistrationRuleError(DomainError):
    pass


def min_members_message(minimum: int) -> str:
    return ngettext(
        "A registered organization needs at least %(n)d member.",
        "A registered organization needs at least %(n)d members.",
        minimum,
    ) % {"n": minimum}


def check_registration_rules(
    *, member_count: int, has_rules_document: bool, active_in_ward: bool
) -> list[str]:
    """The reasons the rules refuse an application (empty when it may be submitted)."""
    rules = RegistrationRules.current()
    problems = []
    if member_count < rules.min_members:
        problems.append(min_members_message(rules.min_members))
    if rules.rules_document_required and not has_rules_document:
        problems.append(_("Attach the organization's rules or articles of association."))
    if rules.ward_activity_required and not active_in_ward:
        problems.append(_("Registration is for organizations active in Chuo City."))
    return problems


def _save_profile(organization, data, activity_fields):
    for field, value in data.items():
        setattr(organization, field, value)
    organization.search_key = search_key(f"{organization.name}{organization.name_kana}")
    organization.full_clean(exclude=["contact_person"])
    organization.save()
    if activity_fields is not None:
        organization.activity_fields.set(activity_fields)


@transaction.atomic
def organization_apply(
    *, user, data: dict, activity_fields, documents=(), note: str = "", active_in_ward: bool = True
) -> Organization:
    """A signed-in user applies to register a new organization (利用団体登録申請).

    ``documents`` is a list of (DocumentKind, uploaded file). Side effects: the organization
    (申請中), the user as its 代表管理者 and contact person, the documents, a new-registration
    Application, timeline events, a receipt to the applicant and a notice to the center.
    """
    problems = check_registration_rules(
        member_count=data.get("member_count") or 0,
        has_rules_document=any(kind == DocumentKind.RULES for kind, _f in documents),
        active_in_ward=active_in_ward,
    )
    if problems:
        raise RegistrationRuleError(" ".join(str(p) for p in problems))
    organization = Organization(contact_person=user)
    _save_profile(organization, data, activity_fields)
    Membership.objects.create(organization=organization, user=user, role=MemberRole.OWNER)
    for kind, upload in documents:
        document_add(organization=organization, by=user, kind=kind, upload=upload, record=False)
    application = Application.objects.create(
        organization=organization,
        kind=ApplicationKind.NEW,
        note=note,
        submitted_by=user,
        fiscal_year=fiscal_year(timezone.localdate()),
    )
    _event(
        organization,
        kind=EventKind.APPLICATION,
        by=user,
        application=application,
        action=EventAction.APPLIED_FOR_REGISTRATION,
        new_status=ApplicationStatus.SUBMITTED,
    )
    _notify(
        [user],
        purpose="organizations.application_received",
        subject=gettext_lazy("We received your registration application"),
        paragraphs=[
            gettext_lazy(
                "Thank you for applying to register your organization. The center reviews "
                "applications in turn and will write to you with the result."
            )
        ],
        facts=[(gettext_lazy("Organization"), organization.name)],
        action_url=_organization_url(organization),
        action_label=gettext_lazy("See your application"),
    )
    _notify_staff(
        purpose="organizations.application_to_review",
        subject=gettext_lazy("A new registration application"),
        paragraphs=[gettext_lazy("An organization applied for registration.")],
        facts=[(gettext_lazy("Organization"), organization.name)],
        action_url=absolute_url(reverse("organizations:review_list")),
        action_label=gettext_lazy("Review applications"),
    )
    return organization


def _next_registration_number(year: int) -> str:
    """2026-0001, 2026-0002 …: one more than the highest of the year (a deleted organization
    leaves a gap, never a number given twice — the unique constraint settles a race)."""
    prefix = f"{year}-"
    highest = (
        Organization.objects.filter(registration_number__startswith=prefix)
        .order_by("-registration_number")
        .values_list("registration_number", flat=True)
        .first()
    )
    sequence = int(highest.rsplit("-", 1)[1]) + 1 if highest else 1
    return f"{prefix}{sequence:04d}"


@transaction.atomic
def application_approve(*, application: Application, by) -> Application:
    """承認. A new organization becomes 登録済 with a 登録番号, valid to the end of the 年度;
    a renewal extends the validity to the end of the 年度 applied for (and lifts 期限切れ).
    Side effects: events, the registration certificate (PDF, queued), a mail to the managers.
    """
    organization = Organization.objects.select_for_update().get(pk=application.organization_id)
    application.organization = organization
    _move_application(
        application,
        ApplicationStatus.APPROVED,
        by=by,
        extra_fields={"decided_at": timezone.now(), "decided_by": by},
    )
    _start, end = fiscal_year_range(application.fiscal_year)
    if organization.status == RegistrationStatus.APPLYING:
        for _attempt in range(3):
            number = _next_registration_number(fiscal_year(timezone.localdate()))
            try:
                with transaction.atomic():
                    _move_organization(
                        organization,
                        RegistrationStatus.REGISTERED,
                        by=by,
                        extra_fields={
                            "registration_number": number,
                            "registered_on": timezone.localdate(),
                            "valid_until": end,
                        },
                    )
                break
            except IntegrityError:  # another approval took the number at the same moment
                continue
        else:
            raise DomainError(_("No registration number could be given. Try again."))
    elif organization.status == RegistrationStatus.EXPIRED:
        _move_organization(
            organization,
            RegistrationStatus.REGISTERED,
            by=by,
            reason=stored_text(gettext_lazy("Renewal approved")),
            extra_fields={"valid_until": end},
        )
    else:
        Organization.objects.filter(pk=organization.pk).update(valid_until=end)
        organization.valid_until = end
        _event(
            organization,
            kind=EventKind.REGISTRATION,
            by=by,
            action=EventAction.REGISTRATION_RENEWED,
        )
    from organizations.certificates import certificate_issue

    certificate_issue(organization=organization, by=by)
    _notify_managers(
        organization,
        purpose="organizations.application_approved",
        subject=gettext_lazy("Your organization is registered"),
        paragraphs=[
            gettext_lazy(
                "The center approved your application. Your registration certificate "
                "can be downloaded from your organization's page."
            )
        ],
        facts=[
            (gettext_lazy("Registration number"), organization.registration_number),
            (gettext_lazy("Valid until"), f"{organization.valid_until:%Y-%m-%d}"),
        ],
        action_url=_organization_url(organization),
        action_label=gettext_lazy("Your organization's page"),
    )
    return application


def _require_reason(reason: str, message=None):
    if not reason or not reason.strip():
        raise DomainError(message or _("Give a reason; the applicant reads it."))


@transaction.atomic
def application_return(*, application: Application, by, reason: str) -> Application:
    """差し戻し: the applicant sees the reason, edits and submits again. Mails the managers."""
    _require_reason(reason)
    _move_application(
        application,
        ApplicationStatus.RETURNED,
        by=by,
        reason=reason,
        extra_fields={"reason": reason},
    )
    _notify_managers(
        application.organization,
        purpose="organizations.application_returned",
        subject=gettext_lazy("Your application needs changes"),
        paragraphs=[
            gettext_lazy(
                "The center returned your application. Please correct it as "
                "described below and submit it again."
            )
        ],
        reason=reason,
        action_url=_organization_url(application.organization),
        action_label=gettext_lazy("Correct the application"),
    )
    return application


@transaction.atomic
def application_resubmit(*, application: Application, by, note: str = "") -> Application:
    """The applicant answers a 差し戻し. Side effects: an event, a notice to the center."""
    _move_application(
        application,
        ApplicationStatus.SUBMITTED,
        by=by,
        reason=note,
        extra_fields={"submitted_at": timezone.now()},
    )
    _notify_staff(
        purpose="organizations.application_to_review",
        subject=gettext_lazy("A returned application was submitted again"),
        paragraphs=[gettext_lazy("An organization answered a return.")],
        facts=[(gettext_lazy("Organization"), application.organization.name)],
        action_url=absolute_url(reverse("organizations:review_list")),
        action_label=gettext_lazy("Review applications"),
    )
    return application


@transaction.atomic
def application_reject(*, application: Application, by, reason: str) -> Application:
    """却下 with a reason. A new organization becomes 却下; a renewal leaves it as it was."""
    _require_reason(reason)
    _move_application(
        application,
        ApplicationStatus.REJECTED,
        by=by,
        reason=reason,
        extra_fields={"reason": reason, "decided_at": timezone.now(), "decided_by": by},
    )
    organization = application.organization
    if application.kind == ApplicationKind.NEW:
        _move_organization(organization, RegistrationStatus.REJECTED, by=by, reason=reason)
    _notify_managers(
        organization,
        purpose="organizations.application_rejected",
        subject=gettext_lazy("Your application was not accepted"),
        paragraphs=[
            gettext_lazy(
                "The center could not accept your application for the reason below. "
                "Contact the center if you have questions."
            )
        ],
        reason=reason,
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by) -> Application:
    _move_application(application, ApplicationStatus.WITHDRAWN, by=by)
    if application.kind == ApplicationKind.NEW:
        _move_organization(
            application.organization,
            RegistrationStatus.REJECTED,
            by=by,
            reason=stored_text(gettext_lazy("Application withdrawn")),
        )
    return application


def renewal_window_opens(organization) -> dt.date | None:
    if organization.valid_until is None:
        return None
    rules = RegistrationRules.current()
    return organization.valid_until - dt.timedelta(days=rules.renewal_opens_days)


@transaction.atomic
def renewal_apply(*, organization: Organization, by, note: str = "") -> Application:
    """更新申請. Open from ``renewal_opens_days`` before expiry, and after expiry.
    Side effects: a renewal Application, an event, a notice to the center."""
    today = timezone.localdate()
    if organization.status == RegistrationStatus.EXPIRED:
        year = fiscal_year(today)
    elif organization.status == RegistrationStatus.REGISTERED:
        opens = renewal_window_opens(organization)
        if opens is None or today < opens:
            raise DomainError(_("Renewal opens on %(date)s.") % {"date": f"{opens:%Y-%m-%d}"})
        year = fiscal_year(organization.valid_until) + 1
    else:
        raise DomainError(_("Only a registered or expired organization can renew."))
    if organization.applications.filter(status__in=OPEN_APPLICATION_STATUSES).exists():
        raise DomainError(_("An application is already being reviewed."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                organization=organization,
                kind=ApplicationKind.RENEWAL,
                fiscal_year=year,
                note=note,
                submitted_by=by,
            )
    except IntegrityError:  # a double submit: the other one was first
        raise DomainError(_("An application is already being reviewed.")) from None
    _event(
        organization,
        kind=EventKind.APPLICATION,
        by=by,
        application=application,
        action=EventAction.APPLIED_FOR_RENEWAL,
        new_status=ApplicationStatus.SUBMITTED,
    )
    _notify_staff(
        purpose="organizations.application_to_review",
        subject=gettext_lazy("A renewal application"),
        paragraphs=[gettext_lazy("An organization applied to renew its registration.")],
        facts=[(gettext_lazy("Organization"), organization.name)],
        action_url=absolute_url(reverse("organizations:review_list")),
        action_label=gettext_lazy("Review applications"),
    )
    return application


@transaction.atomic
def organization_suspend(*, organization: Organization, by, reason: str) -> Organization:
    """停止 (e.g. after repeated no-shows): it can no longer book or apply. Mails managers."""
    _require_reason(reason, _("Give the reason for the suspension; the organization reads it."))
    _move_organization(organization, RegistrationStatus.SUSPENDED, by=by, reason=reason)
    _notify_managers(
        organization,
        purpose="organizations.suspended",
        subject=gettext_lazy("Your organization's registration is suspended"),
        paragraphs=[
            gettext_lazy(
                "While the registration is suspended the organization cannot book "
                "rooms or apply. Contact the center to discuss it."
            )
        ],
        reason=reason,
    )
    return organization


@transaction.atomic
def organization_reinstate(*, organization: Organization, by, reason: str = "") -> Organization:
    """Lift a suspension. An expired registration comes back only through a renewal."""
    if organization.status != RegistrationStatus.SUSPENDED:
        raise DomainError(_("Only a suspended registration can be reinstated."))
    _move_organization(organization, RegistrationStatus.REGISTERED, by=by, reason=reason)
    _notify_managers(
        organization,
        purpose="organizations.reinstated",
        subject=gettext_lazy("Your organization's registration is active again"),
        paragraphs=[gettext_lazy("The suspension was lifted.")],
        reason=reason,
    )
    return organization


def registrations_expire(*, today: dt.date | None = None) -> int:
    """The daily sweep: registrations past their validity become 期限切れ (each on its own,
    so one failure does not hold the others back). Returns how many expired."""
    today = today or timezone.localdate()
    expired = 0
    candidates = Organization.objects.filter(
        status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.SUSPENDED],
        valid_until__lt=today,
    )
    for organization in candidates:
        try:
            with transaction.atomic():
                _move_organization(
                    organization,
                    RegistrationStatus.EXPIRED,
                    reason=stored_text(gettext_lazy("The registration's validity ended.")),
                )
            expired += 1
        except DomainError:
            logger.info("Organization %s changed while expiring; skipped", organization.pk)
    return expired


def renewal_reminders_send(*, today: dt.date | None = None) -> int:
    """Mail the managers a month and a week (settings) before expiry, each reminder once.

    Only the nearest due offset is sent (an organization first seen 5 days before expiry gets
    the one-week reminder, not both). Each recipient's reminder is claimed as a RenewalReminder
    row in the transaction that puts the mail in the outbox (unique per organization, expiry,
    offset and address), so a second sweep or two beats at once send nothing twice; a failed
    send stays in the outbox and is tried again there. Returns how many mails were queued.
    """
    today = today or timezone.localdate()
    rules = RegistrationRules.current()
    offsets = sorted({rules.first_reminder_days, rules.second_reminder_days})
    sent = 0
    due = Organization.objects.filter(
        status=RegistrationStatus.REGISTERED,
        valid_until__gte=today,
        valid_until__lte=today + dt.timedelta(days=offsets[-1]),
    ).exclude(
        applications__status__in=OPEN_APPLICATION_STATUSES,
        applications__kind=ApplicationKind.RENEWAL,
    )
    for organization in due:
        days_left = (organization.valid_until - today).days
        offset = next(d for d in offsets if days_left <= d)
        mailed = 0
        rows = []
        for user in managers_of(organization):
            try:
                # The claim and the mail in one transaction: a failed send stays in the outbox
                # and is tried again there (kyodo.mail), never reminded twice.
                with transaction.atomic():
                    RenewalReminder.objects.create(
                        organization=organization,
                        valid_until=organization.valid_until,
                        days_before=offset,
                        email=user.email,
                    )
                    rows.append(
                        mail_enqueue(
                            to=user.email,
                            template="notice",
                            user=user,
                            purpose="organizations.renewal_reminder",
                            context={
                                "subject": gettext_lazy("Time to renew your registration"),
                                "paragraphs": [
                                    gettext_lazy(
                                        "Your organization's registration ends soon. Apply for "
                                        "renewal from your organization's page to keep booking "
                                        "and applying."
                                    )
                                ],
                                "facts": [
                                    (gettext_lazy("Organization"), organization.name),
                                    (
                                        gettext_lazy("Valid until"),
                                        f"{organization.valid_until:%Y-%m-%d}",
                                    ),
                                ],
                                "action_url": _organization_url(organization),
                                "action_label": gettext_lazy("Apply for renewal"),
                            },
                            publish=False,
                        )
                    )
            except IntegrityError:
                continue  # this person was reminded already
        for row in rows:
            outbox_send(outbox_id=row.pk)
        mailed = len(rows)
        if mailed:
            _event(
                organization,
                kind=EventKind.REGISTRATION,
                action=EventAction.REMINDER_SENT,
                reason=str(offset),
            )
            sent += mailed
    return sent


# --- profile and 変更届 ------------------------------------------------------------------------


@transaction.atomic
def profile_update(
    *, organization: Organization, by, data: dict, activity_fields=None
) -> ProfileChange | None:
    """Save the profile. Contact details change at once; name, type, representative and
    corporate number wait for staff approval as a ProfileChange (returned, or None).
    Side effects: an event; a notice to the center when approval is needed."""
    locked = Organization.objects.select_for_update().get(pk=organization.pk)
    needs_approval = {
        field: data[field]
        for field in APPROVAL_FIELDS
        if field in data and data[field] != getattr(locked, field)
    }
    immediate = {k: v for k, v in data.items() if k not in needs_approval}
    if immediate or activity_fields is not None:
        _save_profile(locked, immediate, activity_fields)
        _event(locked, kind=EventKind.CHANGE, by=by, action=EventAction.DETAILS_UPDATED)
    change = None
    if needs_approval:
        if locked.status == RegistrationStatus.APPLYING:
            # Not registered yet: the review of the application covers these fields.
            _save_profile(locked, needs_approval, None)
        else:
            if ProfileChange.objects.filter(
                organization=locked, status=ChangeStatus.PENDING
            ).exists():
                raise DomainError(_("A change of details is already waiting for approval."))
            change = ProfileChange.objects.create(
                organization=locked,
                changes={k: str(v) for k, v in needs_approval.items()},
                previous={k: str(getattr(locked, k)) for k in needs_approval},
                requested_by=by,
            )
            _event(locked, kind=EventKind.CHANGE, by=by, action=EventAction.CHANGE_SUBMITTED)
            _notify_staff(
                purpose="organizations.change_to_review",
                subject=gettext_lazy("A change of details to approve"),
                paragraphs=[
                    gettext_lazy("An organization asked to change details that need approval.")
                ],
                facts=[(gettext_lazy("Organization"), locked.name)],
                action_url=absolute_url(reverse("organizations:review_list")),
                action_label=pgettext_lazy("registration", "Review"),
            )
    organization.refresh_from_db()
    return change


@transaction.atomic
def profile_change_decide(
    *, change: ProfileChange, by, approve: bool, reason: str = ""
) -> ProfileChange:
    """Approve (the values are applied) or reject (with a reason) a pending 変更届."""
    if not approve:
        _require_reason(reason)
    updated = ProfileChange.objects.filter(pk=change.pk, status=ChangeStatus.PENDING).update(
        status=ChangeStatus.APPROVED if approve else ChangeStatus.REJECTED,
        decided_by=by,
        decided_at=timezone.now(),
        reason=reason,
    )
    if updated != 1:
        raise DomainError(_("This change was already decided."))
    change.refresh_from_db()
    organization = Organization.objects.select_for_update().get(pk=change.organization_id)
    if approve:
        values = dict(change.changes)
        _save_profile(organization, values, None)
    _event(
        organization,
        kind=EventKind.CHANGE,
        by=by,
        reason=reason,
        action=(EventAction.CHANGE_APPROVED if approve else EventAction.CHANGE_NOT_APPROVED),
    )
    _notify_managers(
        organization,
        purpose="organizations.change_decided",
        subject=(
            gettext_lazy("Your change of details was approved")
            if approve
            else gettext_lazy("Your change of details was not approved")
        ),
        paragraphs=[gettext_lazy("The center has decided on your change of details.")],
        reason=reason,
        action_url=_organization_url(organization),
        action_label=gettext_lazy("Your organization's page"),
    )
    return change


# --- documents -------------------------------------------------------------------------------


@transaction.atomic
def document_add(*, organization, by, kind, upload, record=True) -> OrganizationDocument:
    """Store an uploaded document (validated by the form with kyodo.uploads)."""
    document = OrganizationDocument(
        organization=organization,
        kind=kind,
        uploaded_by=by,
        original_name=upload.name[:200],
        size=upload.size,
    )
    document.file.save(upload.name, upload, save=False)
    document.save()
    if record:
        _event(
            organization,
            kind=EventKind.DOCUMENT,
            by=by,
            action=EventAction.DOCUMENT_UPLOADED,
            reason=document.original_name,
        )
    return document


@transaction.atomic
def document_delete(*, document: OrganizationDocument, by) -> None:
    name = document.original_name
    organization = document.organization
    storage, path = document.file.storage, document.file.name
    document.delete()
    transaction.on_commit(lambda: storage.delete(path))
    _event(
        organization,
        kind=EventKind.DOCUMENT,
        by=by,
        action=EventAction.DOCUMENT_REMOVED,
        reason=name,
    )


# --- members ---------------------------------------------------------------------------------


@transaction.atomic
def member_invite(*, organization, by, email: str, role: str) -> Invitation:
    """Invite someone by e-mail; the link works once, until it expires or is revoked, also for
    someone who signs up first. Side effects: the invitation, an event, the mail."""
    email = email.strip().lower()
    if role == MemberRole.OWNER:
        raise DomainError(_("The representative role is handed over, not given by invitation."))
    if organization.memberships.filter(user__email__iexact=email).exists():
        raise DomainError(_("This person is already a member."))
    if any(i.is_open for i in organization.invitations.filter(email__iexact=email)):
        raise DomainError(_("This person already has an open invitation."))
    rules = RegistrationRules.current()
    invitation = Invitation.objects.create(
        organization=organization,
        email=email,
        role=role,
        invited_by=by,
        token=secrets.token_urlsafe(32),
        expires_at=timezone.now() + dt.timedelta(days=rules.invitation_valid_days),
    )
    _event(
        organization, kind=EventKind.MEMBER, by=by, reason=email, action=EventAction.MEMBER_INVITED
    )
    _notify(
        [email],
        purpose="organizations.invitation",
        subject=gettext_lazy("You are invited to join an organization"),
        paragraphs=[
            gettext_lazy(
                "You are invited to join this organization on the Kyodo Station Chuo portal. "
                "Open the link to accept; if you have no account yet, sign up with this e-mail "
                "address first."
            )
        ],
        facts=[
            (gettext_lazy("Organization"), organization.name),
            (gettext_lazy("Invited by"), str(by)),
            (
                gettext_lazy("Valid until"),
                f"{timezone.localtime(invitation.expires_at):%Y-%m-%d %H:%M}",
            ),
        ],
        action_url=absolute_url(reverse("organizations:invitation", args=[invitation.token])),
        action_label=gettext_lazy("Accept the invitation"),
    )
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> Invitation:
    updated = Invitation.objects.filter(
        pk=invitation.pk, accepted_at__isnull=True, revoked_at__isnull=True
    ).update(revoked_at=timezone.now())
    if updated != 1:
        raise DomainError(_("This invitation was already used or revoked."))
    invitation.refresh_from_db()
    _event(
        invitation.organization,
        kind=EventKind.MEMBER,
        by=by,
        reason=invitation.email,
        action=EventAction.INVITATION_REVOKED,
    )
    return invitation


def _verified_emails(user) -> set[str]:
    from allauth.account.models import EmailAddress

    return {
        e.lower()
        for e in EmailAddress.objects.filter(user=user, verified=True).values_list(
            "email", flat=True
        )
    }


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user) -> Membership:
    """The invited person joins with the invited role. Only a verified address of the user that
    matches the invitation accepts it, so a forwarded link does not let someone else in."""
    if not invitation.is_open:
        raise DomainError(_("This invitation has expired or was revoked."))
    if invitation.email.lower() not in _verified_emails(user):
        raise DomainError(
            _("This invitation was sent to %(email)s. Log in with that address to accept it.")
            % {"email": invitation.email}
        )
    claimed = Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if claimed != 1:
        raise DomainError(_("This invitation was already used."))
    membership, created = Membership.objects.get_or_create(
        organization=invitation.organization, user=user, defaults={"role": invitation.role}
    )
    if created:
        _event(
            invitation.organization,
            kind=EventKind.MEMBER,
            by=user,
            reason=user.email,
            action=EventAction.MEMBER_JOINED,
        )
    return membership


@transaction.atomic
def member_change_role(*, membership: Membership, by, role: str) -> Membership:
    if role == MemberRole.OWNER or membership.role == MemberRole.OWNER:
        raise DomainError(_("Use the hand-over to change the representative."))
    Membership.objects.filter(pk=membership.pk).update(role=role)
    membership.role = role
    _event(
        membership.organization,
        kind=EventKind.MEMBER,
        by=by,
        reason=membership.user.email,
        action=EventAction.MEMBER_ROLE_CHANGED,
    )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, by) -> None:
    """A manager removes a member, or a member leaves (by == the member). The 代表管理者
    cannot leave without handing the role over first."""
    if membership.role == MemberRole.OWNER:
        raise DomainError(
            _(
                "The representative manager cannot leave. Hand the role over to another member "
                "first."
            )
        )
    organization = membership.organization
    email = membership.user.email
    leaving = by is not None and by.pk == membership.user_id
    membership.delete()
    Organization.objects.filter(pk=organization.pk, contact_person_id=membership.user_id).update(
        contact_person=None
    )
    _event(
        organization,
        kind=EventKind.MEMBER,
        by=by,
        reason=email,
        action=EventAction.MEMBER_LEFT if leaving else EventAction.MEMBER_REMOVED,
    )


@transaction.atomic
def ownership_transfer(*, organization, by, to: Membership) -> Membership:
    """Hand the 代表管理者 role to another member; the old owner becomes a 管理者."""
    if to.organization_id != organization.pk:
        raise DomainError(_("The new representative must be a member."))
    if to.role == MemberRole.OWNER:
        raise DomainError(_("This member is already the representative manager."))
    current = organization.memberships.select_for_update().filter(role=MemberRole.OWNER).first()
    if current is not None:
        Membership.objects.filter(pk=current.pk).update(role=MemberRole.MANAGER)
    Membership.objects.filter(pk=to.pk).update(role=MemberRole.OWNER)
    to.role = MemberRole.OWNER
    _event(
        organization,
        kind=EventKind.MEMBER,
        by=by,
        reason=to.user.email,
        action=EventAction.OWNER_HANDED_OVER,
    )
    return to


@transaction.atomic
def contact_person_set(*, organization, by, membership: Membership) -> Organization:
    if membership.organization_id != organization.pk:
        raise DomainError(_("The contact person must be a member."))
    Organization.objects.filter(pk=organization.pk).update(contact_person=membership.user)
    organization.contact_person = membership.user
    _event(
        organization,
        kind=EventKind.MEMBER,
        by=by,
        reason=membership.user.email,
        action=EventAction.CONTACT_PERSON_CHANGED,
    )
    return organization


@transaction.atomic
def publication_update(
    *, organization, by, is_listed: bool, public_fields: list[str]
) -> Organization:
    """Whether and what the public directory shows. Side effects: an event."""
    from organizations.enums import PUBLISHABLE_FIELDS

    chosen = [f for f in PUBLISHABLE_FIELDS if f in set(public_fields)]
    Organization.objects.filter(pk=organization.pk).update(
        is_listed=is_listed, public_fields=chosen
    )
    organization.is_listed, organization.public_fields = is_listed, chosen
    _event(
        organization, kind=EventKind.CHANGE, by=by, action=EventAction.DIRECTORY_SETTINGS_CHANGED
    )
    return organization


# --- staff: renewal reminder on demand (admin action) ----------------------------------------


@transaction.atomic
def renewal_reminder_send_now(*, organization: Organization, by) -> int:
    """Staff remind an organization to renew now, outside the sweep's schedule.

    Side effects: the renewal reminder to each 代表管理者/管理者 (after the commit) and a
    REMINDER_SENT event. Claims no RenewalReminder row, so the scheduled reminders still go
    out. Returns how many people are mailed.
    """
    if organization.valid_until is None or organization.status not in (
        RegistrationStatus.REGISTERED,
        RegistrationStatus.EXPIRED,
    ):
        raise DomainError(_("Only a registered or expired organization can renew."))
    managers = managers_of(organization)
    if not managers:
        raise DomainError(_("The organization has no manager to write to."))
    _notify(
        managers,
        purpose="organizations.renewal_reminder",
        subject=gettext_lazy("Time to renew your registration"),
        paragraphs=[
            gettext_lazy(
                "Your organization's registration ends soon. Apply for renewal "
                "from your organization's page to keep booking and applying."
            )
        ],
        facts=[
            (gettext_lazy("Organization"), organization.name),
            (gettext_lazy("Valid until"), f"{organization.valid_until:%Y-%m-%d}"),
        ],
        action_url=_organization_url(organization),
        action_label=gettext_lazy("Apply for renewal"),
    )
    _event(organization, kind=EventKind.REGISTRATION, by=by, action=EventAction.REMINDER_SENT)
    return len(managers)
