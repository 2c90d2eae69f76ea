from allauth.account.adapter import DefaultAccountAdapter
from django.utils import translation

from accounts.models import User
from kyodo.mail import deliver, recipient_language


class AccountAdapter(DefaultAccountAdapter):
    def send_mail(self, template_prefix, email, context):
        """allauth's mails, in the recipient's language and recorded like every other mail."""
        user = context.get("user") or User.objects.filter(email__iexact=email).first()
        language = recipient_language(user) if user else translation.get_language()
        with translation.override(language):
            message = self.render_mail(template_prefix, email, context)
        deliver(message, purpose=f"account.{template_prefix.rsplit('/', 1)[-1]}", language=language)
