from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone

from kyodo.demo import HeldMailBackend, seeders
from kyodo.mail import outbox_send
from kyodo.models import OutboxMail

HELD_MAIL = {"default": {"BACKEND": "kyodo.demo.HeldMailBackend"}}


class Command(BaseCommand):
    help = "Load realistic demo data (idempotent) and print the demo log-ins."

    def add_arguments(self, parser):
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print log-ins.")

    def handle(self, *args, quiet_logins=False, **options):
        if getattr(settings, "PRODUCTION", False):
            raise CommandError("seed_demo refuses to run with DJANGO_ENV=production.")
        logins = []
        HeldMailBackend.held = 0
        started = timezone.now()
        # The mails the services send while seeding go to demo addresses: counted, not sent.
        with override_settings(MAILERS=HELD_MAIL):
            for _order, name, seeder in seeders():
                with transaction.atomic():
                    logins.extend(seeder(self.stdout) or [])
                self.stdout.write(f"seeded: {name}")
            # Whatever the outbox still holds from the seeding (its send waits for a commit
            # that has not come, or for a worker) is "sent" here, held: no demo mail ever
            # reaches a real mail server or the console later. The claim sends each once.
            pending = OutboxMail.objects.filter(
                status=OutboxMail.Status.PENDING, created_at__gte=started
            ).values_list("pk", flat=True)
            for outbox_id in list(pending):
                outbox_send(outbox_id=outbox_id)
        self.stdout.write(f"demo mails (not sent): {HeldMailBackend.held}")
        if not quiet_logins:
            self.stdout.write(
                self.style.SUCCESS(f"\nDemo log-ins ({settings.KYODO_SITE_URL}/accounts/login/):")
            )
            # One line per person: a later pillar may describe an account an earlier one
            # made (e.g. the ward official who also scores proposals); its words win.
            described = {}
            for role, email, password in logins:
                described[email] = (role, password)
            for email, (role, password) in described.items():
                self.stdout.write(f"  {role}: {email} / {password}")
            self.stdout.write(
                "Two-factor log-in is not required in this demo (KYODO_REQUIRE_MFA_FOR_STAFF is "
                "off unless DJANGO_ENV=production)."
            )
