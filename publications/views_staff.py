"""Center staff's page of 情報: the grant listings groups suggested, to publish or decline."""

from django import forms
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kyodo.actions import run_service, visible_only_to
from publications import selectors, services
from publications.enums import GrantStatus
from publications.models import GrantListing
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
