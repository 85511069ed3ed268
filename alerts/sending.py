"""Send what is due, safely from cron as often as wanted.

Each subscription is handled in its own transaction: lock its row (a second run
at the same time skips it), record a Delivery for each version (unique per
subscription and version), send, then commit. If sending fails, nothing is
recorded and the next run tries again; a version with a Delivery row is never
sent again. Only major versions alert, and only those published after the
address was confirmed.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from alerts import emails, targets
from alerts.models import Delivery, Subscription
from publishing.models import Version

logger = logging.getLogger(__name__)
WAIT = {
    Subscription.Frequency.IMMEDIATELY: timedelta(0),
    Subscription.Frequency.DAILY: timedelta(days=1),
    Subscription.Frequency.WEEKLY: timedelta(days=7),
}


def due_versions(subscription: Subscription) -> list[Version]:
    return list(
        Version.objects.filter(
            change=Version.Change.MAJOR,
            published_at__gt=subscription.confirmed_at,
            intervention__listing__in=targets.listings_for(subscription).values("pk"),
        )
        .exclude(pk__in=Delivery.objects.filter(subscription=subscription).values("version"))
        .select_related("intervention__listing")
        .defer("content")
        .order_by("published_at", "pk")
    )


def is_due(subscription: Subscription, now) -> bool:
    last = subscription.last_sent_at
    return last is None or now - last >= WAIT[subscription.frequency]


def send_one(pk: int, base: str, now=None) -> int:
    """Send one subscription's alert if due. Returns how many versions it reported."""
    now = now or timezone.now()
    with transaction.atomic():
        subscription = (
            Subscription.objects.select_for_update(skip_locked=True)
            .filter(pk=pk, confirmed_at__isnull=False)
            .first()
        )
        if subscription is None or not is_due(subscription, now):
            return 0
        versions = due_versions(subscription)
        if not versions:
            return 0
        Delivery.objects.bulk_create(
            [Delivery(subscription=subscription, version=v) for v in versions]
        )
        emails.alert(subscription, versions, base).send()
        subscription.last_sent_at = now
        subscription.save(update_fields=["last_sent_at"])
        return len(versions)


def send_due(base: str, now=None) -> tuple[int, int, int]:
    """(emails sent, versions reported, failures) for every confirmed subscription.
    One that fails (the mail server refused it) is left for the next run."""
    sent = reported = failed = 0
    ids = Subscription.objects.filter(confirmed_at__isnull=False).values_list("pk", flat=True)
    for pk in list(ids):
        try:
            count = send_one(pk, base, now)
        except OSError:  # smtplib's errors are OSErrors, as are refused connections
            logger.exception("Could not send the alert for subscription %s; will retry.", pk)
            failed += 1
            continue
        sent += bool(count)
        reported += count
    return sent, reported, failed


def forget_unconfirmed(now=None) -> int:
    """Delete addresses never confirmed: we keep them only to send the confirmation."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=emails.tokens.CONFIRM_DAYS)
    deleted, _ = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=cutoff
    ).delete()
    return deleted
