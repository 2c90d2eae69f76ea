from allauth.account.adapter import DefaultAccountAdapter
from django.db import transaction
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from kyodo.mail import deliver, recipient_language, send_mail
from kyodo.site import current_site


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's mails, in the recipient's language and recorded like every other mail."""
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = recipient_language(user) if user else translation.get_language()
        # allauth's own send_mail puts the site in the context; without it the greeting read
        # 「こんにちは、 です!」. The center's name, and the portal's host (kyodo.site).
        context = {"current_site": current_site(), **context}
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        deliver(message, purpose=f"account.{template_prefix.rsplit('/', 1)[-1]}", language=language)

    def confirm_email(self, request, email_address):
        """Confirming the first address of a new account also sends the welcome mail with the
        next steps (once: later addresses of the same user get no welcome)."""
        first_confirmation = not email_address.user.emailaddress_set.filter(verified=True).exists()
        confirmed = super().confirm_email(request, email_address)
        if confirmed and first_confirmation:
            user = email_address.user
            mypage_url = request.build_absolute_uri(reverse("accounts:mypage"))
            transaction.on_commit(
                lambda: send_mail(
                    to=email_address.email,
                    template="welcome",
                    user=user,
                    context={"mypage_url": mypage_url},
                    purpose="account.welcome",
                    fail_silently=True,
                )
            )
        return confirmed
