"""The shared part of every status workflow (DESIGN.md, "Workflows").

An app declares ``Status`` (TextChoices) and ``TRANSITIONS = {old: {new, ...}}`` and calls
:func:`transition` from its one status-changing service. This module checks the move, changes
the row with a compare-and-set so two concurrent moves cannot both win, and writes the history
row. Notifications are the caller's: queue them with ``transaction.on_commit``.
"""

from collections.abc import Mapping
from typing import Any

from django.db import models, transaction
from django.utils.translation import gettext as _

from kyodo.exceptions import DomainError


class TransitionNotAllowed(DomainError):
    pass


class ConcurrentChange(DomainError):
    pass


def can_transition(transitions: Mapping[str, set[str]], old: str, new: str) -> bool:
    return new in transitions.get(old, set())


@transaction.atomic
def transition(
    *,
    instance: models.Model,
    to: str,
    transitions: Mapping[str, set[str]],
    history_model: type[models.Model],
    history_fk: str,
    by=None,
    reason: str = "",
    field: str = "status",
    extra_fields: Mapping[str, Any] | None = None,
    history_fields: Mapping[str, Any] | None = None,
) -> models.Model:
    """Move ``instance`` to status ``to``.

    Side effects: updates the row (status and ``extra_fields``), creates one ``history_model``
    row (a kyodo.models.StatusEvent: old_status, new_status, changed_by, reason, plus
    ``history_fields``).
    Raises TransitionNotAllowed for a move not in ``transitions`` and ConcurrentChange when the
    row's status changed since ``instance`` was read.
    """
    old = getattr(instance, field)
    if not can_transition(transitions, old, to):
        choices = type(instance)._meta.get_field(field).flatchoices
        labels = dict(choices)
        raise TransitionNotAllowed(
            _("This cannot go from “%(old)s” to “%(new)s”.")
            % {"old": labels.get(old, old), "new": labels.get(to, to)}
        )
    updates = {field: to, **(extra_fields or {})}
    changed = (
        type(instance)._default_manager.filter(pk=instance.pk, **{field: old}).update(**updates)
    )
    if changed != 1:
        raise ConcurrentChange(
            _("Someone else changed this in the meantime. Reload the page and try again.")
        )
    for name, value in updates.items():
        setattr(instance, name, value)
    history_model._default_manager.create(
        **{history_fk: instance},
        old_status=old,
        new_status=to,
        changed_by=by,
        reason=reason,
        **(history_fields or {}),
    )
    return instance
