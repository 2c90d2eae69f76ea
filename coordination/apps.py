from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoordinationConfig(AppConfig):
    name = "coordination"
    verbose_name = _("Collaboration coordination")

    def ready(self):
        from coordination import registrations  # noqa: F401 -- fills the registries
