"""Targets and results, for any pillar's projects (the shared part of the 協働事業評価).

A pillar attaches a TargetSheet to its own project (year) — the generic ``subject`` — and
uses these functions; who may call them is the calling pillar's rule (its services check
the person, these check the sheet's state):

    sheet = targets.sheet_for(subsidy_project)             # made on first use
    targets.targets_replace(sheet=sheet, rows=[...], beneficiary_unmeasured_reason="")
    targets.targets_confirm(sheet=sheet, by=staff)         # frozen from now on
    targets.results_record(sheet=sheet, results={target_id: (value, note)})
    targets.evidence_add(sheet=sheet, upload=f, by=user)
    targets.target_rows(sheet)                             # with the rate reached, for pages

Nothing here imports a pillar: the subject is a ContentType and an id."""

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from evaluations.arithmetic import rate_reached
from evaluations.enums import TargetKind, TargetSheetStatus
from evaluations.models import ResultEvidence, Target, TargetSheet
from kyodo.exceptions import DomainError
from kyodo.uploads import validate_document


class TargetsError(DomainError):
    pass


def sheet_for(subject, *, create: bool = True) -> TargetSheet | None:
    subject_type = ContentType.objects.get_for_model(subject)
    if not create:
        return TargetSheet.objects.filter(subject_type=subject_type, subject_id=subject.pk).first()
    sheet, _created = TargetSheet.objects.get_or_create(
        subject_type=subject_type, subject_id=subject.pk
    )
    return sheet


def _locked(sheet: TargetSheet) -> TargetSheet:
    return TargetSheet.objects.select_for_update().get(pk=sheet.pk)


@transaction.atomic
def targets_replace(
    *, sheet: TargetSheet, rows: list[dict], beneficiary_unmeasured_reason: str = ""
) -> TargetSheet:
    """Set the targets while they are being agreed. ``rows``: dicts with kind, title,
    indicator, target_value, unit (in order). Refused once the sheet is confirmed."""
    sheet = _locked(sheet)
    if sheet.is_frozen:
        raise TargetsError(_("The targets are confirmed and can no longer be changed."))
    wanted, order = [], {}
    for row in rows:
        title = (row.get("title") or "").strip()
        if not title:
            continue
        kind = row["kind"]
        order[kind] = order.get(kind, 0) + 1
        wanted.append(
            (
                kind,
                order[kind],
                title,
                (row.get("indicator") or "").strip(),
                row.get("target_value"),
                (row.get("unit") or "").strip(),
            )
        )
    current = [
        (t.kind, t.order, t.title, t.indicator, t.target_value, t.unit)
        for t in sheet.targets.order_by("kind", "order", "pk")
    ]
    if sorted(current, key=_key) != sorted(wanted, key=_key):
        # Nothing is written when nothing changed (a form sent back as it was).
        sheet.targets.all().delete()
        for kind, n, title, indicator, value, unit in wanted:
            Target.objects.create(
                sheet=sheet,
                kind=kind,
                order=n,
                title=title,
                indicator=indicator,
                target_value=value,
                unit=unit,
            )
    sheet.beneficiary_unmeasured_reason = (beneficiary_unmeasured_reason or "").strip()
    sheet.save(update_fields=["beneficiary_unmeasured_reason"])
    return sheet


def _key(row):
    kind, order, title, indicator, value, unit = row
    return (
        kind,
        order,
        title,
        indicator,
        "" if value is None else str(Decimal(value).normalize()),
        unit,
    )


def missing_for_confirmation(sheet: TargetSheet) -> list[str]:
    """What the targets still lack before they can be confirmed (empty: complete)."""
    targets = list(sheet.targets.all())
    missing = []
    outcomes = [t for t in targets if t.kind == TargetKind.OUTCOME]
    activities = [t for t in targets if t.kind == TargetKind.ACTIVITY]
    beneficiary = [t for t in targets if t.kind == TargetKind.BENEFICIARY]
    if not outcomes:
        missing.append(_("at least one outcome target"))
    if not activities:
        missing.append(_("at least one activity indicator"))
    if any(t.target_value is None or not t.indicator for t in outcomes + activities):
        missing.append(_("an indicator (or target group) and a target value for each target"))
    if not beneficiary and not sheet.beneficiary_unmeasured_reason:
        missing.append(
            _("a target for the beneficiaries' evaluation, or why it cannot be measured")
        )
    return missing


@transaction.atomic
def targets_confirm(*, sheet: TargetSheet, by) -> TargetSheet:
    """Freeze the targets. Refused while something is missing, and when already confirmed
    (compare-and-set: two confirmations, one wins)."""
    sheet = _locked(sheet)
    missing = missing_for_confirmation(sheet)
    if missing:
        raise TargetsError(_("Still missing: %(list)s.") % {"list": "; ".join(missing)})
    now = timezone.now()
    changed = TargetSheet.objects.filter(pk=sheet.pk, status=TargetSheetStatus.DRAFT).update(
        status=TargetSheetStatus.CONFIRMED, confirmed_at=now, confirmed_by=by
    )
    if changed != 1:
        raise TargetsError(_("The targets are confirmed already."))
    sheet.status, sheet.confirmed_at, sheet.confirmed_by = TargetSheetStatus.CONFIRMED, now, by
    return sheet


@transaction.atomic
def results_record(*, sheet: TargetSheet, results: dict[int, tuple]) -> TargetSheet:
    """Write the results against the confirmed targets: {target id: (value or None, note)}."""
    sheet = _locked(sheet)
    if not sheet.is_frozen:
        raise TargetsError(_("Results are entered against confirmed targets."))
    for target in sheet.targets.all():
        if target.pk in results:
            value, note = results[target.pk]
            target.result_value = value
            target.result_note = (note or "").strip()
            target.save(update_fields=["result_value", "result_note"])
    return sheet


def results_missing(sheet: TargetSheet) -> list[Target]:
    """Targets with neither a result value nor a word about it."""
    return [t for t in sheet.targets.all() if t.result_value is None and not t.result_note]


@transaction.atomic
def evidence_add(*, sheet: TargetSheet, upload, by) -> ResultEvidence:
    if not sheet.is_frozen:
        raise TargetsError(_("Results are entered against confirmed targets."))
    try:
        validate_document(upload)
    except ValidationError as error:
        raise TargetsError(error.messages[0]) from None
    evidence = ResultEvidence(sheet=sheet, name=upload.name[:200], uploaded_by=by)
    evidence.file.save(upload.name, upload, save=False)
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: ResultEvidence) -> None:
    name = evidence.file.name
    storage = evidence.file.storage
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


@dataclass
class TargetRow:
    target: Target
    rate: Decimal | None

    @property
    def kind(self):
        return self.target.kind


def target_rows(targets) -> list[TargetRow]:
    """The targets (prefetched or a list) with the rate reached of each."""
    return [TargetRow(target=t, rate=rate_reached(t.target_value, t.result_value)) for t in targets]
