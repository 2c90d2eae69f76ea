from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from accounts.mfa import bind_session_state
from accounts.rules import has_mfa, rights_apply

# Pages a person whose rights wait for two-factor log-in is sent from to set it up (or to
# confirm it), rather than meeting the 404 an ordinary member gets there. Later apps add
# their review prefixes through KYODO_MFA_PROTECTED_PREFIXES.
DEFAULT_PROTECTED_PREFIXES = ("/admin/", "/staff/", "/review/")


class RequireMFAMiddleware:
    """Tells the permission predicates whether this session passed a second factor (the
    requirement itself is in accounts.rules.rights_apply and holds on every page); and when
    KYODO_REQUIRE_MFA_FOR_STAFF is on, sends a person who must use it from the staff, review
    and admin pages to set it up, or to confirm it if it is set up but this session did not
    use it. Every other page answers them as it answers an ordinary member."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        bind_session_state(request)
        if getattr(settings, "KYODO_REQUIRE_MFA_FOR_STAFF", False) and self._protected(request):
            user = request.user
            if user.is_authenticated and not rights_apply(user):
                if has_mfa(user):
                    messages.warning(
                        request,
                        _(
                            "Confirm your two-factor authentication before you use staff or "
                            "review pages."
                        ),
                    )
                    query = urlencode({"next": request.get_full_path()})
                    return redirect(f"{reverse('mfa_reauthenticate')}?{query}")
                messages.warning(
                    request,
                    _("Set up two-factor authentication before you use staff or review pages."),
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _protected(request) -> bool:
        prefixes = getattr(settings, "KYODO_MFA_PROTECTED_PREFIXES", DEFAULT_PROTECTED_PREFIXES)
        return request.path.startswith(tuple(prefixes))
