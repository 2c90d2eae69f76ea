from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from accounts.roles import grant_staff_permissions

        # Permissions exist only after every app's migrations ran, so the センター職員 group is
        # given them here rather than in the data migration that creates it.
        post_migrate.connect(grant_staff_permissions, dispatch_uid="accounts.staff_permissions")

        from allauth.mfa.signals import authenticator_added
        from django.contrib.auth.signals import user_logged_in

        from accounts.mfa import on_authenticator_added, on_user_logged_in

        # The session's two-factor state, which the permission predicates read (accounts.mfa).
        user_logged_in.connect(on_user_logged_in, dispatch_uid="accounts.mfa_logged_in")
        authenticator_added.connect(on_authenticator_added, dispatch_uid="accounts.mfa_added")
