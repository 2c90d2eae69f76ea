"""Japanese labels for the columns django-simple-history adds to every historical model.

simple-history builds ``history_date``, ``history_user`` … without a verbose name and offers no
option for most of them, so the admin (history pages, filters, any form over a historical
model) would show the English field names on Japanese pages. They are labelled once here, for
every historical model, when the app registry is ready.
"""

from django.apps import apps
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HISTORY_FIELD_LABELS = {
    # The copy of the original row's primary key (no longer a key in the history table).
    "id": _("ID"),
    "history_id": _("history number"),
    "history_date": _("changed at"),
    "history_change_reason": _("reason for the change"),
    "history_type": _("type of change"),
    "history_user": _("changed by"),
    "history_relation": _("changed record"),
    # The historical rows of a many-to-many relation (simple-history's m2m_fields).
    "history": _("history entry"),
    "m2m_history_id": _("history number"),
}


def label_history_fields() -> None:
    for model in apps.get_models():
        if not model.__name__.startswith("Historical"):
            continue
        meta = model._meta
        for field in meta.get_fields():
            if not getattr(field, "concrete", False):
                continue
            label = HISTORY_FIELD_LABELS.get(field.name)
            if label is not None:
                field.verbose_name = label
            elif isinstance(field, models.ForeignKey) and not isinstance(
                field.verbose_name, Promise
            ):
                # The rows of an auto-created many-to-many table: name the two sides.
                field.verbose_name = field.related_model._meta.verbose_name
        if not isinstance(meta.verbose_name, Promise):
            meta.verbose_name = _("history of linked records")
            meta.verbose_name_plural = _("history of linked records")
