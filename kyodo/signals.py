"""Cached public values made stale when the rows they come from change (kyodo.cache)."""

from django.db.models.signals import post_delete, post_save

from kyodo.cache import bump_public


def _bump_calendar(**kwargs):
    from kyodo.selectors import CALENDAR

    bump_public(CALENDAR)


def connect() -> None:
    from kyodo.models import AnnualClosure, Closure, HolidayRule, OpeningHours

    for model in (AnnualClosure, Closure, HolidayRule, OpeningHours):
        post_save.connect(_bump_calendar, sender=model, dispatch_uid=f"calendar-{model.__name__}")
        post_delete.connect(
            _bump_calendar, sender=model, dispatch_uid=f"calendar-del-{model.__name__}"
        )
