"""概算払: a granted group asks for part of its granted amount before the 額の確定, where the
programme allows it; staff record the payment. Each happens once, guarded in the database (a
one-to-one row for the request, a conditional update for the payment)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.mail import queue_notice
from kyodo.money import yen
from organizations.selectors import managers_of
from subsidies import rules
from subsidies.enums import ApplicationStatus
from subsidies.models import AdvancePayment, Application, ApplicationEvent, Decision
from subsidies.services import SubsidyError, _application_url, _facts


@transaction.atomic
def advance_request(*, application: Application, by, amount: int) -> AdvancePayment:
    """The group asks for an advance of at most its granted amount, once.
    Side effects: the AdvancePayment row, an ApplicationEvent (a note: the status stays)."""
    if not rules.can_act_for_application(by, application):
        raise SubsidyError(_("Only the managers of the organization can do this."))
    application.refresh_from_db()
    if application.status != ApplicationStatus.GRANTED:
        raise SubsidyError(_("An advance can be asked for only once the subsidy is granted."))
    if not application.programme.advance_payment_allowed:
        raise SubsidyError(_("This programme pays no advance."))
    decision = Decision.objects.get(application=application)
    if amount is None or amount <= 0:
        raise SubsidyError(_("Give the amount of the advance."))
    if amount > decision.amount:
        raise SubsidyError(
            _("The advance cannot be more than the granted %(amount)s.")
            % {"amount": yen(decision.amount)}
        )
    try:
        with transaction.atomic():
            advance = AdvancePayment.objects.create(
                application=application, amount=amount, requested_by=by
            )
    except IntegrityError:
        raise SubsidyError(_("An advance has already been asked for.")) from None
    ApplicationEvent.objects.create(
        application=application,
        old_status=application.status,
        new_status=application.status,
        changed_by=by,
        reason=_("Advance payment asked for: %(amount)s") % {"amount": yen(amount)},
    )
    return advance


@transaction.atomic
def advance_record_payment(*, advance: AdvancePayment, by, paid_on: dt.date) -> AdvancePayment:
    """Staff record the day the advance was paid, once.
    Side effects: the payment fields (claimed with a conditional update), a mail to the
    organization's managers."""
    if not rules.can_manage_subsidies(by):
        raise SubsidyError(_("Only center staff can do this."))
    if paid_on is None or paid_on > timezone.localdate():
        raise SubsidyError(_("Give the day the advance was paid (not a future day)."))
    now = timezone.now()
    claimed = AdvancePayment.objects.filter(pk=advance.pk, paid_on__isnull=True).update(
        paid_on=paid_on, recorded_by=by, recorded_at=now
    )
    if claimed != 1:
        raise SubsidyError(_("The payment of this advance has already been recorded."))
    advance.paid_on, advance.recorded_by, advance.recorded_at = paid_on, by, now
    application = advance.application
    queue_notice(
        managers_of(application.organization),
        purpose="subsidies.advance_paid",
        subject=gettext_lazy("The advance of your subsidy has been paid"),
        paragraphs=[
            gettext_lazy(
                "The advance payment you asked for has been paid. The final amount is fixed"
                " after your activity report; an advance above it is returned."
            )
        ],
        facts=[
            *_facts(application),
            (gettext_lazy("Advance"), yen(advance.amount)),
            (gettext_lazy("Paid on"), paid_on.isoformat()),
        ],
        action_url=_application_url(application),
        action_label=gettext_lazy("See the application"),
    )
    return advance
