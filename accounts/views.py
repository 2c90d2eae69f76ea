from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from accounts.forms import ProfileForm
from accounts.mypage import sections_for
from accounts.roles import Role
from accounts.rules import holds_role, must_use_mfa, rights_apply
from accounts.services import user_update_profile


@login_required
def mypage(request):
    user = request.user
    authenticator_types = set(
        Authenticator.objects.filter(user=user).values_list("type", flat=True)
    )
    # The roles the person holds, also while they wait for two-factor log-in (the page says
    # so): it is their own page.
    shown = (Role.CENTER_STAFF, Role.CENTER_MANAGER, Role.WARD_OFFICIAL, Role.COUNCIL_MEMBER)
    center = (Role.CENTER_STAFF, Role.CENTER_MANAGER)
    roles = [
        role.label
        for role in shown
        if holds_role(user, role) or (user.is_superuser and role in center)
    ]
    return render(
        request,
        "accounts/mypage.html",
        {
            "roles": roles,
            "has_totp": Authenticator.Type.TOTP in authenticator_types,
            "has_recovery_codes": Authenticator.Type.RECOVERY_CODES in authenticator_types,
            "mfa_required": must_use_mfa(user),
            "rights_pending": not rights_apply(user),
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
