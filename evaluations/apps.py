from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationsConfig(AppConfig):
    name = "evaluations"
    verbose_name = _("Project evaluations")

    def ready(self):
        from evaluations import registrations, report  # noqa: F401 -- fills the registries
