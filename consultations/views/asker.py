"""The asker's side: the online request form and the asker's own cases.

An asker sees only their own cases and, of each, only the entries staff shared with them
(and their own messages): never internal memos or unshared entries. Anyone else — other
members of the same organization, ward officials, even center staff, who have their own
pages — gets 404 here.
"""

import logging

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from consultations import rules, selectors, services
from consultations.enums import CaseStatus
from consultations.forms_ask import AskerMessageForm, AskForm
from kyodo.exceptions import DomainError
from organizations.acting import acting_organization

logger = logging.getLogger(__name__)

# The number of the request just sent, for the thanks page: kept in the session rather than
# in the URL, so that a visitor's case number never shows up in logs or browser history.
LAST_CASE_KEY = "consultations_last_case"
RATE_GROUP = "consultations.ask"
# Requests accepted from one address (a case opened) before it must wait. Only accepted ones
# count, and signed-in members are not limited: a shared office or library network asks
# from one address, and a mistyped form must not use up its turns.
RATE_LIMITS = ("5/h", "20/d")


def _used_up(request) -> bool:
    for rate in RATE_LIMITS:
        usage = get_usage(request, group=RATE_GROUP, key="ip", rate=rate, method="POST")
        if usage is not None and usage["count"] >= usage["limit"]:
            return True
    return False


def _count_accepted(request) -> None:
    for rate in RATE_LIMITS:
        get_usage(request, group=RATE_GROUP, key="ip", rate=rate, method="POST", increment=True)


def ask(request):
    user = request.user if request.user.is_authenticated else None
    form = AskForm(
        request.POST or None,
        user=user,
        acting=acting_organization(request) if user else None,
    )
    if request.method == "POST":
        if user is None and _used_up(request):
            logger.info("Online consultation request refused by the rate limit")
            return render(
                request,
                "consultations/ask.html",
                {"form": form, "limited": True},
                status=429,
            )
        if form.is_spam():
            # Look like a success so that the robot has nothing to learn; create nothing.
            logger.info("Online consultation request dropped: the honeypot was filled")
            request.session.pop(LAST_CASE_KEY, None)
            return redirect("consultations:thanks")
        if form.is_valid():
            try:
                case = services.case_request_online(**form.service_kwargs())
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                if user is None:
                    _count_accepted(request)
                request.session[LAST_CASE_KEY] = case.number
                return redirect("consultations:thanks")
    return render(request, "consultations/ask.html", {"form": form, "limited": False})


def thanks(request):
    return render(
        request,
        "consultations/ask_thanks.html",
        {"number": request.session.pop(LAST_CASE_KEY, None)},
    )


@login_required
def my_cases(request):
    page = Paginator(selectors.cases_of_asker(request.user), 20).get_page(request.GET.get("page"))
    return render(request, "consultations/my_cases.html", {"page": page, "cases": page.object_list})


@login_required
def my_case(request, pk):
    case = get_object_or_404(
        selectors.cases_of_asker(request.user).select_related("organization"), pk=pk
    )
    # The selector already filters by asker; the predicate states the rule where it is used.
    if not rules.is_asker_of(request.user, case) or case.anonymized_at is not None:
        raise Http404
    form = AskerMessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.asker_message_add(
                case=case, user=request.user, message=form.cleaned_data["message"]
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your message was sent to the center."))
            return redirect("consultations:my_case", pk=case.pk)
    return render(
        request,
        "consultations/my_case.html",
        {
            "case": case,
            "categories": [category.display_name for category in case.categories.all()],
            "entries": selectors.shared_entries(case),
            "form": form,
            "is_closed": case.status == CaseStatus.CLOSED,
        },
    )
