from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FacilitiesConfig(AppConfig):
    name = "facilities"
    verbose_name = _("Facilities")

    def ready(self):
        from facilities import (
            documents,  # noqa: F401
            registrations,  # noqa: F401 -- fills the registries
        )
