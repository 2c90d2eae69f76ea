"""Staff decide on the submitted applications (交付 with the amount and conditions, 不交付 with
the reasons) and release them in one batch, once: the applications take their outcome, each
group gets its 交付決定通知書 (PDF, 和暦, 金○○○,○○○円) by mail through the outbox.

Once-only, guarded in the database: the release claims the programme with a conditional
update (a second release, concurrent or later, changes and sends nothing); each decision's
letter and mails are claimed the same way (Decision.letter, Decision.notified_at)."""

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.documents import register_document_kind
from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, mail_enqueue
from kyodo.models import GeneratedDocument
from kyodo.money import yen
from subsidies import rules
from subsidies.enums import ApplicationStatus, Outcome
from subsidies.models import Application, Decision, Programme
from subsidies.money import OverCap, check_within_cap, kin
from subsidies.services import SubsidyError, _move

LETTER_KIND = "subsidy_decision_letter"


def _require_staff(by) -> None:
    if not rules.can_manage_subsidies(by):
        raise SubsidyError(_("Only center staff can do this."))


@transaction.atomic
def decision_save(
    *, application: Application, by, outcome: str, amount=None, conditions="", reasons=""
) -> Decision:
    """Prepare (or change) the decision on a submitted application before the release.

    交付: an amount from the unit up to the requested amount (never above the cap), a multiple
    of the programme's rounding unit. 不交付: the reasons, which the group reads.
    Side effects: the Decision row (simple-history keeps its versions)."""
    _require_staff(by)
    programme = application.programme
    Programme.objects.select_for_update().filter(pk=programme.pk).first()
    programme.refresh_from_db()
    application.refresh_from_db()
    if programme.decisions_released:
        raise SubsidyError(_("The decisions of this programme have been released."))
    if application.status != ApplicationStatus.SUBMITTED:
        raise SubsidyError(_("Only a submitted application can be decided."))
    conditions, reasons = (conditions or "").strip(), (reasons or "").strip()
    if outcome == Outcome.GRANTED:
        if amount is None or amount <= 0:
            raise SubsidyError(_("Give the amount to grant."))
        try:
            check_within_cap(amount, programme.terms)
        except OverCap:
            raise SubsidyError(
                _("The amount is above the programme's maximum of %(cap)s.")
                % {"cap": yen(programme.cap)}
            ) from None
        if amount > (application.requested_amount or 0):
            raise SubsidyError(
                _("The amount cannot be more than the requested %(amount)s.")
                % {"amount": yen(application.requested_amount)}
            )
        if amount % programme.rounding_unit:
            raise SubsidyError(
                _("The amount must be a multiple of %(unit)s.")
                % {"unit": yen(programme.rounding_unit)}
            )
        reasons = ""
    elif outcome == Outcome.NOT_GRANTED:
        if not reasons:
            raise SubsidyError(_("Give the reasons for not granting the subsidy."))
        amount, conditions = None, ""
    else:
        raise SubsidyError(_("Choose the decision."))
    decision, _created = Decision.objects.update_or_create(
        application=application,
        defaults={
            "outcome": outcome,
            "amount": amount,
            "conditions": conditions,
            "reasons": reasons,
            "decided_by": by,
        },
    )
    return decision


def undecided(programme: Programme):
    """The submitted applications of the programme without a decision yet."""
    return Application.objects.filter(
        programme=programme, status=ApplicationStatus.SUBMITTED, decision__isnull=True
    )


@transaction.atomic
def decisions_release(*, programme: Programme, by) -> int:
    """Release every decision of the programme, once. Refused while a submitted application
    has no decision. Returns the number of decisions released.

    Side effects: the programme's released_at (the claim), each application's status with an
    ApplicationEvent, each decision's released_at, its letter (a GeneratedDocument rendered by a
    task after the commit) and one outbox mail per manager of the organization, with the
    letter attached."""
    _require_staff(by)
    if undecided(programme).exists():
        raise SubsidyError(_("Decide on every submitted application before the release."))
    now = timezone.now()
    claimed = Programme.objects.filter(pk=programme.pk, decisions_released_at__isnull=True).update(
        decisions_released_at=now, decisions_released_by=by
    )
    if claimed != 1:
        raise SubsidyError(_("The decisions of this programme have been released."))
    programme.decisions_released_at, programme.decisions_released_by = now, by
    decisions = list(
        Decision.objects.filter(
            application__programme=programme,
            application__status=ApplicationStatus.SUBMITTED,
            released_at__isnull=True,
        ).select_related("application__organization", "application__programme")
    )
    for decision in decisions:
        application = decision.application
        to = (
            ApplicationStatus.GRANTED
            if decision.outcome == Outcome.GRANTED
            else ApplicationStatus.NOT_GRANTED
        )
        _move(application, to, by=by)
        Decision.objects.filter(pk=decision.pk).update(released_at=now)
        decision.released_at = now
        decision_notify(decision=decision)
    return len(decisions)


def letter_issue(*, decision: Decision) -> GeneratedDocument:
    """Ask for the decision's letter unless it has one (claimed: one letter per decision)."""
    from kyodo.services import document_request

    if decision.letter_id:
        return decision.letter
    application = decision.application
    document = document_request(
        kind=LETTER_KIND,
        template_name="pdf/subsidy_decision_letter.html",
        filename=f"subsidy-decision-{application.programme.fiscal_year}-"
        f"{application.number or 0:03d}.pdf",
        language="ja",
    )
    claimed = Decision.objects.filter(pk=decision.pk, letter__isnull=True).update(letter=document)
    if claimed != 1:
        document.delete()
        decision.refresh_from_db(fields=["letter"])
        return decision.letter
    decision.letter = document
    return document


def letter_context(document) -> dict:
    from kyodo.selectors import center_profile

    decision = Decision.objects.select_related(
        "application__programme", "application__organization", "application__submitted_version"
    ).get(letter=document)
    application = decision.application
    return {
        "decision": decision,
        "application": application,
        "programme": application.programme,
        "organization": application.organization,
        "center": center_profile(),
        "amount_text": kin(decision.amount) if decision.amount else "",
        "requested_text": kin(application.requested_amount or 0),
        "issued_on": timezone.localdate(decision.released_at or timezone.now()),
    }


register_document_kind(LETTER_KIND, letter_context)


def decision_notify(*, decision: Decision) -> int:
    """The released decision's mail, with its letter, for the organization's managers; once.
    Returns the number of mails queued."""
    from organizations.selectors import managers_of

    if decision.released_at is None:
        return 0
    claimed = Decision.objects.filter(pk=decision.pk, notified_at__isnull=True).update(
        notified_at=timezone.now()
    )
    if claimed != 1:
        return 0
    letter = letter_issue(decision=decision)
    application = decision.application
    facts = [
        (gettext_lazy("Programme"), localized_lazy(application.programme)),
        (gettext_lazy("Application"), f"{application.reference} {application.title}"),
        (gettext_lazy("Decision"), decision.get_outcome_display()),
    ]
    if decision.amount:
        facts.append((gettext_lazy("Granted amount"), yen(decision.amount)))
    queued = 0
    for user in managers_of(application.organization):
        mail_enqueue(
            to=user.email,
            template="notice",
            user=user,
            context={
                "subject": gettext_lazy("Decision on your subsidy application"),
                "paragraphs": [
                    gettext_lazy(
                        "The decision on your subsidy application has been made. The decision"
                        " letter is attached."
                    )
                ],
                "facts": facts,
                "reason": decision.reasons or decision.conditions,
                "action_url": absolute_url(reverse("subsidies:detail", args=[application.pk])),
                "action_label": gettext_lazy("See the application"),
            },
            purpose="subsidies.decision",
            attachment=letter,
        )
        queued += 1
    return queued
