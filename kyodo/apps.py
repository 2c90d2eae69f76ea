from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KyodoConfig(AppConfig):
    name = "kyodo"
    verbose_name = _("Center")

    def ready(self):
        from kyodo.history import label_history_fields

        label_history_fields()
