"""What a subscription follows: checking it exists, naming it, and finding which
published interventions it covers now."""

from django.http import QueryDict

from alerts.models import Subscription
from api.listing_search import find
from interventions.models import OutcomeDomain, Topic
from publishing.filters import active
from publishing.models import Listing

Kind = Subscription.Kind
SEARCH_KEYS = {"page", "sort"}  # do not change which interventions a search finds


def clean_search(query: QueryDict) -> QueryDict:
    kept = query.copy()
    for key in [*SEARCH_KEYS, "kind", "target", "csrfmiddlewaretoken", "email", "frequency"]:
        kept.pop(key, None)
    return kept


def label_for(kind: str, target: str) -> str | None:
    """The thing followed, in words; None when it does not exist or cannot be used."""
    if kind == Kind.INTERVENTION:
        row = Listing.objects.current().filter(slug=target).only("name").first()
        return row.name if row else None
    if kind == Kind.AREA:
        area = OutcomeDomain.objects.filter(slug=target).first()
        return f"Outcome area: {area.name}" if area else None
    if kind == Kind.TOPIC:
        topic = Topic.objects.filter(slug=target).first()
        return f"Topic: {topic.name}" if topic else None
    if kind == Kind.SEARCH:
        filterset, problems = find(QueryDict(target))
        if problems:
            return None
        parts = [active.describe(filterset, name) for name in filterset.chosen]
        return "Interventions matching " + "; ".join(parts) if parts else "All interventions"
    return None


def listings_for(subscription: Subscription):
    """The published interventions it covers, as a queryset of listings."""
    kind, target = subscription.kind, subscription.target
    if kind == Kind.INTERVENTION:
        return Listing.objects.filter(slug=target)
    if kind == Kind.AREA:
        return Listing.objects.filter(domains__contains=[target])
    if kind == Kind.TOPIC:
        return Listing.objects.filter(topics__contains=[target])
    filterset, _ = find(QueryDict(target))
    return filterset.qs
