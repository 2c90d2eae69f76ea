"""Public pages of 情報: news, the closure calendar, grant listings; a group's suggestion."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from kyodo.dates import center_days
from kyodo.exceptions import DomainError
from organizations.selectors import valid_organizations
from publications import newsletter, selectors, services
from publications.enums import NewsCategory
from publications.forms import GrantFilterForm, GrantSuggestForm, NewsFilterForm, SubscribeForm
from publications.rules import can_manage_publications, can_suggest_grant

PAGE_SIZE = 20
CLOSURE_CALENDAR_DAYS = 92


def _page(request, items):
    return Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))


def news_list(request):
    form = NewsFilterForm(request.GET)
    form.is_valid()  # an unknown category is shown as an error; the list is then unfiltered
    category = form.cleaned_data.get("category") or ""
    page = _page(request, selectors.news_list(category=category))
    return render(
        request,
        "publications/news_list.html",
        {"form": form, "page_obj": page, "category": category},
    )


def news_detail(request, pk):
    item = get_object_or_404(selectors.news_visible_to(request.user), pk=pk)
    now = timezone.now()
    return render(
        request,
        "publications/news_detail.html",
        {
            "item": item,
            "is_closure": item.category == NewsCategory.CLOSURE,
            "not_public": not item.publish_at
            or item.publish_at > now
            or (item.expires_at and item.expires_at <= now),
        },
    )


def closure_calendar(request):
    """The days the center is closed in the next three months: every Monday, 年末年始, holidays
    it closes on and ad-hoc closures (kyodo.dates, from the data staff keep in the admin)."""
    today = timezone.localdate()
    days = center_days(today, today + dt.timedelta(days=CLOSURE_CALENDAR_DAYS - 1))
    return render(
        request,
        "publications/closure_calendar.html",
        {"closed": [day for day in days if not day.is_open], "days": CLOSURE_CALENDAR_DAYS},
    )


def grant_list(request):
    form = GrantFilterForm(request.GET)
    form.is_valid()
    filters = form.cleaned_data
    listings = selectors.grants_open(field=filters.get("field"), amount=filters.get("amount"))
    page = _page(request, listings)
    return render(
        request,
        "publications/grant_list.html",
        {
            "form": form,
            "page_obj": page,
            "listings": selectors.mark_closing_soon(page.object_list),
            "is_filtered": bool(filters.get("field") or filters.get("amount")),
            "closing_soon_days": selectors.CLOSING_SOON_DAYS,
            "can_suggest": can_suggest_grant(request.user),
        },
    )


def grant_archive(request):
    page = _page(request, selectors.grants_archive())
    return render(
        request,
        "publications/grant_archive.html",
        {"page_obj": page, "listings": page.object_list},
    )


def grant_detail(request, pk):
    listing = get_object_or_404(selectors.grants_visible_to(request.user), pk=pk)
    selectors.mark_closing_soon([listing])
    return render(
        request,
        "publications/grant_detail.html",
        {
            "listing": listing,
            "closing_soon_days": selectors.CLOSING_SOON_DAYS,
            "is_staff_view": can_manage_publications(request.user),
        },
    )


@login_required
def grant_suggest(request):
    if not can_suggest_grant(request.user):
        raise PermissionDenied(_("Only members of a registered group may suggest a listing."))
    organizations = valid_organizations().filter(memberships__user=request.user).distinct()
    form = GrantSuggestForm(request.POST or None, organizations=organizations)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_suggest(
                data=form.listing_data(),
                fields=form.cleaned_data["activity_fields"],
                organization=form.cleaned_data["organization"],
                by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Thank you. The center checks the listing before it is published."),
            )
            return redirect("publications:grant_list")
    return render(request, "publications/grant_suggest.html", {"form": form})


# --- the newsletter ---------------------------------------------------------------------------


def subscribe(request):
    """The subscription form, with the purpose stated (the footer's form lands here with the
    address filled in); the address gets a confirmation link."""
    if request.method == "POST":
        form = SubscribeForm(request.POST)
        if form.is_valid():
            try:
                newsletter.subscribe_request(
                    email=form.cleaned_data["email"],
                    topics=form.cleaned_data["topics"],
                    language=get_language(),
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                return render(request, "publications/subscribe_sent.html")
    else:
        form = SubscribeForm(initial={"email": request.GET.get("email", "")[:254]})
    return render(
        request,
        "publications/subscribe.html",
        {"form": form, "forget_days": settings.KYODO_NEWSLETTER_FORGET_DAYS},
    )


def subscribe_confirm(request, token):
    """GET shows the button (a link scanner confirms nothing); POST confirms."""
    if request.method != "POST":
        return render(request, "publications/subscribe_confirm.html", {"token": token})
    try:
        newsletter.subscribe_confirm(token=token)
    except DomainError as error:
        return render(
            request, "publications/subscribe_confirm.html", {"error": error.message}, status=400
        )
    return render(request, "publications/subscribe_confirm.html", {"confirmed": True})


@csrf_exempt  # RFC 8058: the mail provider POSTs "List-Unsubscribe=One-Click", with no token
def unsubscribe(request, token):
    """One-click unsubscribe: POST unsubscribes without log-in; GET only shows the button."""
    subscriber = newsletter.subscriber_from_unsubscribe_token(token)
    if subscriber is None:
        raise Http404
    if request.method == "POST":
        newsletter.unsubscribe(subscriber=subscriber)
        return render(request, "publications/unsubscribe.html", {"done": True})
    return render(request, "publications/unsubscribe.html", {"subscriber": subscriber})


def newsletter_archive(request):
    page = _page(request, selectors.issues_sent())
    return render(request, "publications/newsletter_archive.html", {"page_obj": page})


def newsletter_issue(request, number):
    issue = get_object_or_404(selectors.issues_visible_to(request.user), number=number)
    return render(request, "publications/newsletter_issue.html", {"issue": issue})
