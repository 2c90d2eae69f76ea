from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from accounts.mypage import sections_for
from accounts.rules import (
    is_center_manager,
    is_center_staff,
    is_council_member,
    is_ward_official,
    must_use_mfa,
)
from accounts.services import user_update_profile


@login_required
def mypage(request):
    user = request.user
    authenticator_types = set(
        Authenticator.objects.filter(user=user).values_list("type", flat=True)
    )
    roles = [
        label
        for label, holds in (
            (_("Center staff"), is_center_staff(user)),
            (_("Center manager"), is_center_manager(user)),
            (_("Ward official"), is_ward_official(user)),
            (_("Council member"), is_council_member(user)),
        )
        if holds
    ]
    return render(
        request,
        "accounts/mypage.html",
        {
            "roles": roles,
            "has_totp": Authenticator.Type.TOTP in authenticator_types,
            "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in authenticator_types,
            "mfa_required": must_use_mfa(user),
            "sections": sections_for(request),
        },
    )


@login_required
def profile_edit(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(user=request.user, data=form.cleaned_data)
        messages.success(request, _("Your profile was saved."))
        return redirect("accounts:mypage")
    return render(request, "accounts/profile_form.html", {"form": form})
