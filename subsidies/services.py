"""Writes of 社会貢献活動事業補助金: the organization's application from draft to submission or
withdrawal. Every rule is checked here again (the views only show them): the managers act,
the programme is open (Tokyo time), the organization is eligible, the submitted version is
frozen."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kyodo.dates import fiscal_year_range
from kyodo.exceptions import DomainError
from kyodo.localized import localized_lazy
from kyodo.mail import absolute_url, queue_notice
from kyodo.money import yen
from kyodo.workflow import transition
from organizations.selectors import managers_of
from subsidies import eligibility, rules
from subsidies.enums import (
    APPLICATION_TRANSITIONS,
    EDITABLE_STATUSES,
    ApplicationStatus,
    Declaration,
)
from subsidies.models import (
    Application,
    ApplicationAttachment,
    ApplicationEvent,
    ApplicationVersion,
    BudgetLine,
    CostCategory,
    Programme,
)
from subsidies.money import Breakdown, CostLine, own_share, requested_amount

MAX_BUDGET_LINES = 60

TEXT_FIELDS = (
    "title",
    "purpose",
    "need",
    "content",
    "schedule",
    "place",
    "starts_on",
    "ends_on",
    "effects",
    "indicators",
    "other_income",
    "responsible_person",
    "contact_person",
    "contact_phone",
    "consultation_case",
)
REQUIRED_FOR_SUBMISSION = (
    "title",
    "purpose",
    "need",
    "content",
    "schedule",
    "place",
    "starts_on",
    "ends_on",
    "effects",
    "indicators",
    "responsible_person",
    "contact_person",
    "contact_phone",
)


class SubsidyError(DomainError):
    pass


def _today(now: dt.datetime | None = None) -> dt.date:
    return timezone.localdate(now or timezone.now())


def is_programme_open(programme: Programme, now: dt.datetime | None = None) -> bool:
    """Open from the first day to the deadline's 23:59:59, Tokyo time."""
    return programme.applications_open_on <= _today(now) <= programme.application_deadline


def is_open_for_changes(application: Application, now=None) -> bool:
    return application.status in EDITABLE_STATUSES and is_programme_open(application.programme, now)


def _require_programme_open(programme: Programme, now=None) -> None:
    today = _today(now)
    if today < programme.applications_open_on:
        raise SubsidyError(
            _("Applications open on %(date)s.") % {"date": programme.applications_open_on}
        )
    if today > programme.application_deadline:
        raise SubsidyError(
            _("The deadline (%(date)s, 23:59 Tokyo time) has passed.")
            % {"date": programme.application_deadline.isoformat()}
        )


def _require_manager(by, application: Application) -> None:
    if not rules.can_act_for_application(by, application):
        raise SubsidyError(_("Only the managers of the organization can do this."))


def _require_editable(application: Application, now=None) -> None:
    if application.status not in EDITABLE_STATUSES:
        raise SubsidyError(
            _("This application is “%(status)s” and can no longer be changed.")
            % {"status": application.get_status_display()}
        )
    _require_programme_open(application.programme, now)


def _require_eligible(organization, programme, now=None) -> None:
    found = eligibility.failures(organization, programme, on=_today(now))
    if found:
        raise SubsidyError(" ".join(failure.message for failure in found))


def _lock(application: Application) -> None:
    Application.objects.select_for_update().filter(pk=application.pk).first()
    application.refresh_from_db()


def _move(application, to, *, by, reason="", extra_fields=None):
    return transition(
        instance=application,
        to=to,
        transitions=APPLICATION_TRANSITIONS,
        history_model=ApplicationEvent,
        history_fk="application",
        by=by,
        reason=reason,
        extra_fields=extra_fields,
    )


def _application_url(application) -> str:
    return absolute_url(reverse("subsidies:detail", args=[application.pk]))


def _facts(application) -> list:
    return [
        (gettext_lazy("Programme"), localized_lazy(application.programme)),
        (gettext_lazy("Application"), f"{application.reference} {application.title}"),
        (gettext_lazy("Organization"), application.organization.name),
    ]


# --- the amounts -----------------------------------------------------------------------------


def cost_lines(lines) -> list[CostLine]:
    """The arithmetic's view of budget lines (their categories fetched with them)."""
    return [
        CostLine(
            quantity=line.quantity,
            unit_price=line.unit_price,
            eligible=line.category.eligible,
            unit_cap=line.category.unit_cap,
        )
        for line in lines
    ]


def amounts(application: Application, lines=None) -> dict:
    """The computed amounts of the application's 収支予算書 and why: the breakdown, the group's
    own share."""
    lines = list(application.budget_lines.all() if lines is None else lines)
    breakdown: Breakdown = requested_amount(
        cost_lines(lines), application.programme.terms, other_income=application.other_income
    )
    return {
        "breakdown": breakdown,
        "own_share": own_share(
            total_cost=breakdown.total_cost,
            subsidy=breakdown.amount,
            other_income=application.other_income,
        ),
    }


# --- drafts ----------------------------------------------------------------------------------


@transaction.atomic
def application_create(
    *, programme: Programme, organization, by, title: str, now=None
) -> Application:
    """Start a draft for an eligible organization while the programme is open.
    Side effects: an ApplicationEvent."""
    from organizations.rules import can_manage_organization

    if not programme.is_published:
        raise SubsidyError(_("This programme is not open for applications."))
    if not can_manage_organization(by, organization):
        raise SubsidyError(_("Only the managers of the organization can do this."))
    _require_programme_open(programme, now)
    _require_eligible(organization, programme, now)
    title = (title or "").strip()
    if not title:
        raise SubsidyError(_("Give the project a title."))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                programme=programme, organization=organization, title=title, created_by=by
            )
    except IntegrityError:
        raise SubsidyError(
            _("The organization already has an application to this programme.")
        ) from None
    ApplicationEvent.objects.create(
        application=application, old_status="", new_status=application.status, changed_by=by
    )
    return application


def _check_period(application: Application, starts_on, ends_on) -> None:
    first, last = fiscal_year_range(application.programme.fiscal_year)
    for day in (starts_on, ends_on):
        if day is not None and not (first <= day <= last):
            raise SubsidyError(
                _("The project must take place within the fiscal year (%(first)s – %(last)s).")
                % {"first": first.isoformat(), "last": last.isoformat()}
            )
    if starts_on and ends_on and starts_on > ends_on:
        raise SubsidyError(_("The project cannot end before it starts."))


@transaction.atomic
def application_update(
    *, application: Application, by, data: dict, budget_lines: list[dict], now=None
) -> Application:
    """Save the draft: its text and its 収支予算書 (replaced whole, in the order given).
    Categories must be the programme's. Side effects: none beyond the rows (simple-history)."""
    _require_manager(by, application)
    _lock(application)
    _require_editable(application, now)
    _check_period(application, data.get("starts_on"), data.get("ends_on"))
    if len(budget_lines) > MAX_BUDGET_LINES:
        raise SubsidyError(_("At most %(n)s budget lines.") % {"n": MAX_BUDGET_LINES})
    allowed = set(
        CostCategory.objects.filter(programme=application.programme).values_list("pk", flat=True)
    )
    for line in budget_lines:
        if line["category"].pk not in allowed:
            raise SubsidyError(_("Choose one of the programme's cost categories."))
    case = data.get("consultation_case")
    if case is not None and case.organization_id != application.organization_id:
        raise SubsidyError(_("Choose one of your organization's consultations."))
    for name in TEXT_FIELDS:
        if name in data:
            value = data[name]
            setattr(application, name, value.strip() if isinstance(value, str) else value)
    if not application.title:
        raise SubsidyError(_("Give the project a title."))
    application.save()
    BudgetLine.objects.filter(application=application).delete()
    BudgetLine.objects.bulk_create(
        BudgetLine(
            application=application,
            category=line["category"],
            item=line["item"].strip(),
            quantity=line["quantity"],
            unit_price=line["unit_price"],
            order=index,
        )
        for index, line in enumerate(budget_lines)
    )
    return application


@transaction.atomic
def attachment_add(*, application: Application, by, title: str, upload, now=None):
    """Attach a file to the draft (the upload limits are the form's, kyodo.uploads)."""
    _require_manager(by, application)
    _lock(application)
    _require_editable(application, now)
    if current_attachment_count(application) >= 20:
        raise SubsidyError(_("At most 20 files can be attached."))
    return ApplicationAttachment.objects.create(
        application=application,
        title=(title or "").strip() or upload.name,
        file=upload,
        uploaded_by=by,
    )


def current_attachment_count(application) -> int:
    return application.attachments.filter(removed_at__isnull=True).count()


@transaction.atomic
def attachment_remove(*, attachment: ApplicationAttachment, by, now=None) -> None:
    """Remove a file from the draft; one a submitted version lists is only marked removed."""
    application = attachment.application
    _require_manager(by, application)
    _lock(application)
    _require_editable(application, now)
    in_a_version = any(
        attachment.pk in [a["id"] for a in version.data.get("attachments", [])]
        for version in application.versions.all()
    )
    if in_a_version:
        ApplicationAttachment.objects.filter(pk=attachment.pk).update(removed_at=timezone.now())
    else:
        attachment.file.delete(save=False)
        attachment.delete()


# --- submission and withdrawal ---------------------------------------------------------------


def missing_for_submission(application: Application, lines=None) -> list[str]:
    """The names of what is still missing before the application can be submitted."""
    missing = [
        str(Application._meta.get_field(name).verbose_name)
        for name in REQUIRED_FOR_SUBMISSION
        if getattr(application, name) in (None, "")
    ]
    lines = list(application.budget_lines.all() if lines is None else lines)
    if not lines:
        missing.append(_("the budget (at least one line)"))
    return missing


def snapshot(application: Application, lines, figures: dict) -> dict:
    """What the submitted version freezes: every field, the budget lines with their category's
    terms as they were, the amounts and the list of files."""
    breakdown = figures["breakdown"]
    return {
        "fields": {
            name: (
                getattr(application, name).isoformat()
                if isinstance(getattr(application, name), dt.date)
                else getattr(application, name)
            )
            for name in TEXT_FIELDS
            if name != "consultation_case"
        },
        "lines": [
            {
                "category": line.category.name,
                "category_en": line.category.name_en,
                "eligible": line.category.eligible,
                "unit_cap": line.category.unit_cap,
                "item": line.item,
                "quantity": line.quantity,
                "unit_price": line.unit_price,
                "total": line.total,
            }
            for line in lines
        ],
        "terms": {
            "rate": [application.programme.rate_numerator, application.programme.rate_denominator],
            "cap": application.programme.cap,
            "unit": application.programme.rounding_unit,
        },
        "amounts": {
            "total_cost": breakdown.total_cost,
            "eligible": breakdown.eligible,
            "by_rate": breakdown.by_rate,
            "requested": breakdown.amount,
            "other_income": application.other_income,
            "own_share": figures["own_share"],
            "limited_by": breakdown.limited_by,
        },
        "declarations": list(application.declarations),
        "attachments": [
            {"id": a.pk, "title": a.title, "name": a.file.name.rsplit("/", 1)[-1]}
            for a in application.attachments.filter(removed_at__isnull=True)
        ],
    }


def _give_number(application: Application) -> None:
    """The next number of the programme; the unique constraint settles a race."""
    for _attempt in range(5):
        latest = Application.objects.filter(programme_id=application.programme_id).aggregate(
            n=Max("number")
        )
        number = (latest["n"] or 0) + 1
        try:
            with transaction.atomic():
                Application.objects.filter(pk=application.pk, number__isnull=True).update(
                    number=number
                )
        except IntegrityError:
            continue
        application.number = number
        return
    raise SubsidyError(_("Please try again."))


@transaction.atomic
def application_submit(
    *, application: Application, by, declarations: list[str], now=None
) -> Application:
    """Submit before the deadline (Tokyo time): an eligible organization, every required field,
    a budget that asks for something, and every condition declared.

    Side effects: a number, an ApplicationVersion (frozen), the declaration stored, the
    requested amount, an ApplicationEvent, a mail to the organization's managers."""
    _require_manager(by, application)
    _lock(application)
    _require_editable(application, now)
    _require_eligible(application.organization, application.programme, now)
    lines = list(application.budget_lines.select_related("category"))
    missing = missing_for_submission(application, lines)
    if missing:
        raise SubsidyError(
            _("Fill in before submitting: %(fields)s.") % {"fields": "、".join(missing)}
        )
    _check_period(application, application.starts_on, application.ends_on)
    undeclared = [label for value, label in Declaration.choices if value not in declarations]
    if undeclared:
        raise SubsidyError(
            _("Declare every condition before submitting: %(conditions)s")
            % {"conditions": " ".join(str(label) for label in undeclared)}
        )
    figures = amounts(application, lines)
    requested = figures["breakdown"].amount
    if requested <= 0:
        raise SubsidyError(
            _("The budget gives no amount to request: add eligible costs to the budget.")
        )
    application.declarations = [value for value, _label in Declaration.choices]
    declared_at = timezone.now()
    if application.number is None:
        _give_number(application)
    version = ApplicationVersion.objects.create(
        application=application,
        number=application.versions.count() + 1,
        data=snapshot(application, lines, figures),
        submitted_by=by,
    )
    _move(
        application,
        ApplicationStatus.SUBMITTED,
        by=by,
        extra_fields={
            "submitted_version": version,
            "requested_amount": requested,
            "declarations": application.declarations,
            "declared_at": declared_at,
        },
    )
    queue_notice(
        managers_of(application.organization),
        purpose="subsidies.submitted",
        subject=gettext_lazy("Your subsidy application has been received"),
        paragraphs=[
            gettext_lazy(
                "We have received your application for the subsidy. The version you submitted"
                " is the one that will be reviewed."
            )
        ],
        facts=[*_facts(application), (gettext_lazy("Requested amount"), yen(requested))],
        action_url=_application_url(application),
        action_label=gettext_lazy("See the application"),
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, by, reason: str = "") -> Application:
    """The organization withdraws its draft or submitted application (before a decision).
    Side effects: an ApplicationEvent; a submitted one tells the managers by mail."""
    _require_manager(by, application)
    _lock(application)
    was_submitted = application.status == ApplicationStatus.SUBMITTED
    _move(application, ApplicationStatus.WITHDRAWN, by=by, reason=(reason or "").strip())
    if was_submitted:
        queue_notice(
            managers_of(application.organization),
            purpose="subsidies.withdrawn",
            subject=gettext_lazy("Your subsidy application was withdrawn"),
            paragraphs=[gettext_lazy("The application was withdrawn and will not be reviewed.")],
            facts=_facts(application),
            reason=(reason or "").strip(),
            action_url=_application_url(application),
            action_label=gettext_lazy("See the application"),
        )
    return application
