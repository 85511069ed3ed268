"""Subscriptions and the record of what each has been sent.

A Delivery row for each (subscription, version) sent, unique together, is what
stops the sender from sending the same change twice, whatever happens to a run.
"""

from django.db import models

from publishing.models import Version


class Subscription(models.Model):
    class Kind(models.TextChoices):
        INTERVENTION = "intervention", "One intervention"
        AREA = "area", "An outcome area"
        TOPIC = "topic", "A topic"
        SEARCH = "search", "A search"

    class Frequency(models.TextChoices):
        IMMEDIATELY = "immediately", "As soon as it changes"
        DAILY = "daily", "Once a day at most"
        WEEKLY = "weekly", "Once a week at most"

    email = models.EmailField(db_index=True)
    kind = models.CharField(max_length=20, choices=Kind)
    # A listing slug, a domain or topic slug, or the search's query string.
    target = models.CharField(max_length=1000)
    label = models.CharField(max_length=500, help_text="What it follows, in words.")
    frequency = models.CharField(max_length=20, choices=Frequency, default=Frequency.IMMEDIATELY)
    created_at = models.DateTimeField(auto_now_add=True)
    # Nothing is sent before the address is confirmed; only changes after it count.
    confirmed_at = models.DateTimeField(null=True, blank=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["email", "created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["email", "kind", "target"], name="alerts_one_subscription_per_thing"
            )
        ]

    def __str__(self) -> str:
        return self.label


class Delivery(models.Model):
    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    version = models.ForeignKey(Version, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subscription", "version"], name="alerts_each_version_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subscription_id}: {self.version_id}"
