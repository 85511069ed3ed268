"""Keyword search: the query, and keeping the text it searches current.

Each intervention stores a search vector (a generated column, see models.py)
over its names, summary, description and `search_text`: the names of its
outcomes, their domains and its topics. A generated column cannot read other
tables, so `search_text` is a copy, refreshed here whenever a link or a name
changes. The catalogue import refreshes it once at its end (it writes links
directly, without signals).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver

from interventions.models import SEARCH_CONFIG, Intervention, Outcome, OutcomeDomain, Topic

MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    """What to search for: PostgreSQL refuses NUL characters, and no one types 200 characters."""
    return " ".join(raw.replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def search_query(text: str) -> SearchQuery:
    # Web-search syntax: "quoted phrases", or, -word. It never raises a syntax error.
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def matches(text: str) -> Q:
    return Q(search_vector=search_query(text))


def with_rank(interventions: QuerySet, text: str) -> QuerySet:
    """Annotate `search_rank`: name and other names count most, then summary, then the rest."""
    return interventions.annotate(search_rank=SearchRank(F("search_vector"), search_query(text)))


# --- Keeping search_text current ----------------------------------------------------


@receiver(m2m_changed, sender=Intervention.target_outcomes.through)
@receiver(m2m_changed, sender=Intervention.topics.through)
def links_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if not reverse:
        changed = Intervention.objects.filter(pk=instance.pk)
    elif pk_set is not None:
        changed = Intervention.objects.filter(pk__in=pk_set)
    else:  # a term's links were cleared; which interventions had them is gone
        changed = Intervention.objects.all()
    changed.refresh_search_text()


@receiver(post_save, sender=Outcome)
@receiver(post_save, sender=OutcomeDomain)
@receiver(post_save, sender=Topic)
def term_saved(sender, instance, created, raw, **kwargs) -> None:
    if created or raw:  # a new term has no links yet; a raw load refreshes at its end
        return
    link = {Outcome: "target_outcomes", OutcomeDomain: "target_outcomes__domain"}.get(
        sender, "topics"
    )
    Intervention.objects.filter(**{link: instance}).refresh_search_text()


@receiver(post_delete, sender=Outcome)
@receiver(post_delete, sender=Topic)
def term_deleted(sender, instance, **kwargs) -> None:
    # Its links are deleted with it, so which interventions had it is gone.
    Intervention.objects.refresh_search_text()
