from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Courses and events")

    def ready(self):
        from events import registrations  # noqa: F401 -- fills the registries
