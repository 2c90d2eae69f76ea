"""Reads of 社会貢献活動事業補助金, with the permission filter built in: an application is found
only for members of its organization and staff (anyone else gets 404)."""

from django.db.models import Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.rules import is_center_staff
from subsidies.models import Application, ApplicationAttachment, BudgetLine, Programme


def published_programmes():
    return Programme.objects.filter(is_published=True).prefetch_related("categories", "forms")


def published_programme(pk) -> Programme:
    return get_object_or_404(published_programmes(), pk=pk)


def programmes_open_for_applications(today=None):
    today = today or timezone.localdate()
    return Programme.objects.filter(
        is_published=True, applications_open_on__lte=today, application_deadline__gte=today
    ).order_by("application_deadline", "pk")


def applications_visible_to(user):
    """The applications of the user's organizations; every one for staff."""
    applications = Application.objects.select_related("programme", "organization")
    if is_center_staff(user):
        return applications
    if not getattr(user, "is_authenticated", False):
        return applications.none()
    return applications.filter(organization__memberships__user=user)


def application_for_member(user, pk) -> Application:
    application = applications_visible_to(user).filter(pk=pk).first()
    if application is None:
        raise Http404
    return application


def applications_of_user(user):
    """The applications of every organization the user belongs to, newest first (one
    membership each: no duplicates from the join)."""
    if not getattr(user, "is_authenticated", False):
        return Application.objects.none()
    return (
        Application.objects.filter(organization__memberships__user=user)
        .select_related("programme", "organization")
        .order_by("-programme__fiscal_year", "-pk")
    )


def applications_of_organization(organization):
    return (
        Application.objects.filter(organization=organization)
        .select_related("programme")
        .order_by("-programme__fiscal_year", "-pk")
    )


def budget_lines(application):
    return BudgetLine.objects.filter(application=application).select_related("category")


def current_attachments(application):
    return ApplicationAttachment.objects.filter(application=application, removed_at__isnull=True)


def attachment_of(application, pk) -> ApplicationAttachment:
    """A file of the application: a current one, or one a submitted version lists."""
    return get_object_or_404(ApplicationAttachment, application=application, pk=pk)


def application_with_lines(pk):
    return (
        Application.objects.filter(pk=pk)
        .select_related("programme", "organization")
        .prefetch_related(
            Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("category"))
        )
        .first()
    )


def cases_to_link(user, organization):
    """The consultation cases the user asked for the organization: what the applicant may link
    as the 事前相談 (never another person's case)."""
    from consultations.models import Case

    if not getattr(user, "is_authenticated", False):
        return Case.objects.none()
    return Case.objects.filter(Q(asker=user), Q(organization=organization)).order_by(
        "-opened_on", "-pk"
    )
