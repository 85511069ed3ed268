"""Send the email alerts that are due. Safe to run from cron as often as wanted:
a change is never sent twice to the same subscription (alerts/sending.py)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from alerts import sending


class Command(BaseCommand):
    help = "Send due email alerts about major versions, and forget unconfirmed addresses."

    def handle(self, *args, **options) -> None:
        base = settings.SITE_URL
        if not base:
            raise CommandError(
                "Set SITE_URL (such as https://evidence-store.example.org) so links work."
            )
        sent, reported, failed = sending.send_due(base.rstrip("/"))
        forgotten = sending.forget_unconfirmed()
        self.stdout.write(
            f"Sent {sent} emails about {reported} changes; "
            f"forgot {forgotten} unconfirmed subscriptions."
        )
        if failed:
            raise CommandError(f"{failed} alerts could not be sent; the next run retries them.")
