from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.internal.ratelimit import get_ip
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from kyodo.mail import mail_enqueue, message_enqueue, recipient_language
from kyodo.site import current_site


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request, **credentials):
        """allauth counts failed log-ins per account ("key" of ACCOUNT_RATE_LIMITS
        "login_failed"), so anyone who knows an address could keep its owner locked out. Here
        the key is the account *and* the client address (as allauth's per-address limits see
        it: behind KYODO_TRUSTED_PROXY_COUNT proxies, IPv6 by /64): wrong passwords from one
        address lock that address out of that account, and the owner elsewhere still logs in.
        The per-address limit holds against one address trying many accounts; staff and ward
        officials have a second factor besides."""
        account = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{account}:{get_ip(request)}"

    def send_mail(self, template_prefix, email, context):
        """allauth's mails, in the recipient's language, through the outbox like every other
        mail (kyodo.mail): sent by a worker, tried again if the mail server is down."""
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = recipient_language(user) if user else translation.get_language()
        # allauth's own send_mail puts the site in the context; without it the greeting read
        # 「こんにちは、 です!」. The center's name, and the portal's host (kyodo.site).
        context = {"current_site": current_site(), **context}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        message_enqueue(
            message, purpose=f"account.{template_prefix.rsplit('/', 1)[-1]}", language=language
        )

    def confirm_email(self, request, email_address):
        """Confirming the first address of a new account also sends the welcome mail with the
        next steps (once: later addresses of the same user get no welcome)."""
        first_confirmation = not email_address.user.emailaddress_set.filter(verified=True).exists()
        confirmed = super().confirm_email(request, email_address)
        if confirmed and first_confirmation:
            user = email_address.user
            mypage_url = request.build_absolute_uri(reverse("accounts:mypage"))
            mail_enqueue(
                to=email_address.email,
                template="welcome",
                user=user,
                context={"mypage_url": mypage_url},
                purpose="account.welcome",
            )
        return confirmed
