"""Center staff's pages of 情報: the grant listings groups suggested (publish or decline), and
the newsletter (preview, test, send, progress)."""

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kyodo.actions import run_service, visible_only_to
from kyodo.exports import csv_download
from publications import newsletter, selectors, services
from publications.enums import GrantStatus, IssueStatus, Topic
from publications.forms import IssueTestForm
from publications.models import GrantListing, Issue, Subscriber
from publications.rules import can_manage_publications

staff_required = visible_only_to(can_manage_publications)

ACTIONS = {"publish": GrantStatus.PUBLISHED, "decline": GrantStatus.REJECTED}


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (for the record)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


@staff_required
def grant_suggestions(request):
    listings = list(selectors.grant_suggestions())
    for listing in listings:
        listing.decline_form = DeclineForm(prefix=f"decline-{listing.pk}")
    return render(request, "publications/staff_grant_suggestions.html", {"listings": listings})


@staff_required
@require_POST
def grant_action(request, pk, action):
    if action not in ACTIONS:
        return redirect("publications_staff:grant_suggestions")
    listing = get_object_or_404(GrantListing, pk=pk)
    form = DeclineForm(request.POST, prefix=f"decline-{listing.pk}")
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    run_service(
        request,
        lambda: services.grant_set_status(
            listing=listing, to=ACTIONS[action], by=request.user, reason=reason
        ),
        success=_("Published.") if action == "publish" else _("Declined."),
    )
    return redirect("publications_staff:grant_suggestions")


# --- the newsletter ---------------------------------------------------------------------------


@staff_required
def newsletter_home(request):
    issues = list(Issue.objects.defer("body").order_by("-number")[:50])
    progress = newsletter.progress_of(issues)
    for issue in issues:
        issue.progress = progress.get(issue.pk)
    return render(
        request,
        "publications/staff_newsletter.html",
        {"issues": issues, "subscribers": selectors.subscriber_counts()},
    )


@staff_required
def newsletter_issue(request, pk):
    issue = get_object_or_404(Issue, pk=pk)
    return render(
        request,
        "publications/staff_newsletter_issue.html",
        {
            "issue": issue,
            "progress": newsletter.issue_progress(issue),
            "test_form": IssueTestForm(initial={"to": request.user.email}),
            "recipients": len(newsletter.recipients_of(issue)),
            "is_draft": issue.status == IssueStatus.DRAFT,
        },
    )


@staff_required
@require_POST
def newsletter_test(request, pk):
    issue = get_object_or_404(Issue, pk=pk)
    form = IssueTestForm(request.POST)
    if form.is_valid():
        newsletter.issue_send_test(issue=issue, to=form.cleaned_data["to"])
        messages.success(request, _("The test mail is on its way."))
    else:
        messages.error(request, _("Enter a valid e-mail address."))
    return redirect("publications_staff:newsletter_issue", pk=issue.pk)


@staff_required
@require_POST
def newsletter_send(request, pk):
    issue = get_object_or_404(Issue, pk=pk)
    run_service(
        request,
        lambda: newsletter.issue_send(issue=issue, by=request.user),
        success=_("Sending has started."),
    )
    return redirect("publications_staff:newsletter_issue", pk=issue.pk)


@staff_required
def newsletter_subscribers_csv(request):
    """Every subscription (address, status, topics, dates) for Excel."""
    response, write = csv_download("newsletter-subscribers.csv")
    write([_("E-mail"), _("Status"), _("Topics"), _("Confirmed at"), _("Unsubscribed at")])
    labels = dict(Topic.choices)
    for subscriber in Subscriber.objects.order_by("email").iterator():
        write(
            [
                subscriber.email,
                subscriber.get_status_display(),
                " / ".join(str(labels.get(t, t)) for t in subscriber.topics or []),
                subscriber.confirmed_at and localtime(subscriber.confirmed_at).isoformat(),
                subscriber.unsubscribed_at and localtime(subscriber.unsubscribed_at).isoformat(),
            ]
        )
    return response
