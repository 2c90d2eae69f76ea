from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from accounts.rules import has_mfa, must_use_mfa

# Pages behind which staff and ward officials must have two-factor log-in. Later apps add
# their review prefixes through KYODO_MFA_PROTECTED_PREFIXES.
DEFAULT_PROTECTED_PREFIXES = ("/admin/", "/staff/", "/review/")


class RequireMFAMiddleware:
    """Sends staff and ward officials without two-factor log-in to set it up first, when
    KYODO_REQUIRE_MFA_FOR_STAFF is on. Only the protected pages are guarded, so the user can
    still reach the set-up page, マイページ and log-out."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if getattr(settings, "KYODO_REQUIRE_MFA_FOR_STAFF", False) and self._protected(request):
            user = request.user
            if must_use_mfa(user) and not has_mfa(user):
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
