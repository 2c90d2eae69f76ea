"""A ReviewKit names one pillar's concrete review models and the few things that differ
between pillars; the shared services and reads take it as their first argument."""

from dataclasses import dataclass, field

from django.db import models
from django.utils.translation import gettext_lazy as _

from kyodo.exceptions import DomainError


class ReviewError(DomainError):
    """The default error of the shared review services (a pillar may name its own)."""


@dataclass(frozen=True)
class ReviewTexts:
    """The messages that name the thing reviewed; a pillar words them for its subject."""

    not_assigned: str = _("You are not assigned to review this.")
    applicant_member: str = _(
        "You are a member of the applying organization and are excluded from its review."
    )
    released: str = _("The decisions have been released.")
    no_criteria: str = _("There are no criteria yet.")
    not_in_review: str = _("This is not in review.")
    only_panel_recorded: str = _("Only the reviewers and the chair can be recorded.")
    new_version: str = _("A new version was submitted.")


@dataclass(frozen=True)
class ReviewKit:
    """One pillar's review: its concrete models and the names the services need.

    ``subject_field`` is the name of the subject's foreign key on the Review and the
    ConflictDeclaration (and of the container's on the subject, the Stage and the Criterion:
    ``container_field``). The subject has an ``organization`` (the applicant: its members are
    excluded from its review). ``is_assigned(assignment, subject)`` says whether an
    assignment covers the subject now (which subjects a stage holds is the pillar's rule);
    ``subject_in_review(subject)`` whether staff may still record a conflict on it;
    ``review_fields(subject)`` extra values stored on a review when it is saved (the version
    scored)."""

    subject_model: type[models.Model]
    criterion_model: type[models.Model]
    stage_model: type[models.Model]
    stage_event_model: type[models.Model]
    assignment_model: type[models.Model]
    declaration_model: type[models.Model]
    review_model: type[models.Model]
    review_event_model: type[models.Model]
    score_model: type[models.Model]
    subject_field: str
    container_field: str
    is_assigned: object
    subject_in_review: object
    assignment_all_field: str = "all_subjects"
    assignment_subjects_field: str = "subjects"
    organization_field: str = "organization"
    review_fields: object = None
    error: type[DomainError] = ReviewError
    texts: ReviewTexts = field(default_factory=ReviewTexts)

    def container_of(self, obj):
        """The call or programme of a stage, criterion or subject."""
        return getattr(obj, self.container_field)

    def container_id_of(self, obj) -> int:
        return getattr(obj, f"{self.container_field}_id")

    def organization_id_of(self, subject) -> int:
        return getattr(subject, f"{self.organization_field}_id")

    def criteria(self, container):
        return self.criterion_model.objects.filter(**{self.container_field: container})

    def fail(self, message) -> DomainError:
        return self.error(str(message))
