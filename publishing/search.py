"""Keyword search over the published listing.

Each listing row stores a search vector (a generated column, see models.py)
over its names, summary, and `search_text`: the description and the names of
its outcomes, their domains and its topics, copied from the version's
snapshot when it is published (publishing/listing.py).
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet

from interventions.models import SEARCH_CONFIG

MAX_QUERY_LENGTH = 200


def clean_query(raw: str) -> str:
    """What to search for: PostgreSQL refuses NUL characters, and no one types 200 characters."""
    return " ".join(raw.replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def search_query(text: str) -> SearchQuery:
    # Web-search syntax: "quoted phrases", or, -word. It never raises a syntax error.
    return SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)


def matches(text: str) -> Q:
    return Q(search_vector=search_query(text))


def with_rank(rows: QuerySet, text: str) -> QuerySet:
    """Annotate `search_rank`: name and other names count most, then summary, then the rest."""
    return rows.annotate(search_rank=SearchRank(F("search_vector"), search_query(text)))
