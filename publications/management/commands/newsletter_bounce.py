"""Record hard bounces of newsletter mails: what a mail provider's bounce webhook or a script
reading the bounce mailbox calls, one address (or several) at a time."""

from django.core.management.base import BaseCommand

from publications.newsletter import bounce_record


class Command(BaseCommand):
    help = "Record a hard bounce for each address; after N the address gets no more newsletters."

    def add_arguments(self, parser):
        parser.add_argument("addresses", nargs="+")
        parser.add_argument("--detail", default="", help="the bounce message, for the mail log")

    def handle(self, *args, addresses, detail, **options):
        for address in addresses:
            subscriber = bounce_record(email=address, detail=detail)
            if subscriber is None:
                self.stdout.write(f"{address}: not subscribed (logged)")
            else:
                self.stdout.write(
                    f"{address}: {subscriber.bounce_count} bounce(s), {subscriber.status}"
                )
