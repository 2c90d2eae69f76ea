"""Applying for an event, and the applicant's own page (reached by the secret link of the
confirmation mail, or from マイページ): status, cancellation, taking an offered seat."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events import applications, selectors
from events.enums import SEAT_HOLDING, ApplicationStatus
from events.forms import ApplicationForm
from events.models import Application, Event
from events.services import EventError
from kyodo.actions import run_service
from organizations.selectors import valid_organizations_managed_by


def _event_or_404(pk) -> Event:
    try:
        return selectors.event_for_public(pk)
    except Event.DoesNotExist:
        raise Http404 from None


def apply(request, pk):
    event = _event_or_404(pk)
    user = request.user if request.user.is_authenticated else None
    organizations = list(valid_organizations_managed_by(user)) if user else []
    form = ApplicationForm(
        request.POST or None, event=event, user=request.user, organizations=organizations
    )
    is_open = event.applications_are_open()
    if request.method == "POST" and is_open and form.is_valid():
        data = form.cleaned_data
        try:
            application = applications.application_create(
                event=event,
                name=data["name"],
                name_kana=data["name_kana"],
                email=data["email"],
                phone=data["phone"],
                seats=data["seats"],
                user=user,
                organization=data["organization"],
                answers=data["answers"],
            )
        except EventError as error:
            form.add_error(None, error.message)
        else:
            return redirect(application.get_absolute_url())
    return render(
        request,
        "events/apply.html",
        {
            "event": event,
            "form": form,
            "is_open": is_open,
            "seats_left": applications.seats_left(event),
        },
    )


def _application_or_404(token) -> Application:
    try:
        return selectors.application_by_token(token)
    except Application.DoesNotExist:
        raise Http404 from None


def application_detail(request, token):
    application = _application_or_404(token)
    deadline = applications.cancel_deadline(application.event)
    now = timezone.now()
    can_cancel = application.status in (*SEAT_HOLDING, ApplicationStatus.WAITLISTED) and (
        deadline is None or now < deadline
    )
    return render(
        request,
        "events/application_detail.html",
        {
            "application": application,
            "event": application.event,
            "sessions": application.event.all_sessions,
            "answers": application.shown_answers,
            "can_cancel": can_cancel,
            "deadline": deadline,
            "can_accept": application.status == ApplicationStatus.OFFERED
            and application.offer_expires_at
            and now < application.offer_expires_at,
        },
    )


@require_POST
def application_cancel(request, token):
    application = _application_or_404(token)
    run_service(
        request,
        lambda: applications.application_cancel(
            application=application, by=request.user if request.user.is_authenticated else None
        ),
        success=_("Your application is cancelled."),
    )
    return redirect(application.get_absolute_url())


@require_POST
def offer_accept(request, token):
    application = _application_or_404(token)
    run_service(
        request,
        lambda: applications.offer_accept(
            application=application, by=request.user if request.user.is_authenticated else None
        ),
        success=_("The seats are yours: your application is confirmed."),
    )
    return redirect(application.get_absolute_url())
