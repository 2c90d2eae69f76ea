from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KyodoConfig(AppConfig):
    name = "kyodo"
    verbose_name = _("Center")

    def ready(self):
        from django.urls import register_converter

        from kyodo.bounds import RecordIdConverter

        # Before any urls.py is read (they are read on the first request): every app's URLs
        # take record numbers as <id:pk>.
        register_converter(RecordIdConverter, "id")

        from kyodo.mail_encoding import use_readable_text_parts

        use_readable_text_parts()

        from kyodo.history import label_history_fields

        label_history_fields()

        from kyodo import (
            registrations,  # noqa: F401 -- the staff home's own lines
            signals,
        )

        signals.connect()  # the cached calendar goes stale when staff change it
