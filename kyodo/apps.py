from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KyodoConfig(AppConfig):
    name = "kyodo"
    verbose_name = _("Center")

    def ready(self):
        from kyodo.mail_encoding import use_readable_text_parts

        use_readable_text_parts()
