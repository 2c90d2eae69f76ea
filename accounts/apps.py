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
