from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewingConfig(AppConfig):
    """The review machinery pillars share (criteria, stages, assignments, conflict
    declarations, reviews, scores, aggregation). It owns no tables: each pillar subclasses its
    abstract models and hands its concrete models to the services as a ReviewKit."""

    name = "reviewing"
    verbose_name = _("Review and scoring")
