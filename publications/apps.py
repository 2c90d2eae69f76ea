from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicationsConfig(AppConfig):
    name = "publications"
    verbose_name = _("Information")

    def ready(self):
        from publications import (
            blocks,  # noqa: F401 -- the newsletter's own blocks
            registrations,  # noqa: F401 -- fills the registries
        )
