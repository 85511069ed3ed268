"""Keyword search over the published listing, with the words people use.

Each listing row stores a search vector (a generated column, see models.py)
over its names, summary, and `search_text`: the description and the names of
its outcomes, their domains and its topics, copied from the version's
snapshot when it is published (publishing/derived.py).

People search in their own words: US spellings ("behavior"), other names for
the same need ("conduct problems") and acronyms ("ADHD"). Curators keep groups
of words that mean the same (SearchSynonym, in the admin); a search for any
member of a group also finds the others. PostgreSQL's synonym dictionaries
would need files on the database server, which a hosted database does not
allow, so the query is widened here instead: each variant of the text, with one
member of a group swapped for another, is searched, and any match counts.
"""

import re
from collections.abc import Iterable

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet

from interventions.models import SEARCH_CONFIG
from publishing.catalogue_state import kept

MAX_QUERY_LENGTH = 200
# A search with many synonyms widens quickly: this many variants are plenty.
MAX_VARIANTS = 24


class SearchText(str):
    """The cleaned search text, carrying the variants its synonyms give."""

    variants: tuple[str, ...] = ()


def _pattern(phrase: str) -> re.Pattern[str]:
    return re.compile(rf"(?<!\w){re.escape(phrase)}(?!\w)", re.IGNORECASE)


def variants(text: str, groups: Iterable[Iterable[str]]) -> list[str]:
    """The text, then each variant with one phrase of a synonym group swapped for another."""
    found = [text]
    for group in groups:
        members = [member.strip() for member in group if member.strip()]
        for current in list(found):
            for member in members:
                if not _pattern(member).search(current):
                    continue
                for other in members:
                    if other.lower() == member.lower():
                        continue
                    swapped = _pattern(member).sub(other, current)
                    if swapped not in found:
                        found.append(swapped)
                    if len(found) >= MAX_VARIANTS:
                        return found
    return found


def with_synonyms(text: str) -> SearchText:
    """The search text with its variants, from the synonym groups (read once per
    process and catalogue state: an edit to them changes the state)."""
    searched = SearchText(text)
    groups = kept("synonym groups", _synonym_groups) if text else []
    searched.variants = tuple(variants(text, groups))
    return searched


def _synonym_groups() -> list[list[str]]:
    from publishing.models import SearchSynonym

    return list(SearchSynonym.objects.values_list("words", flat=True))


def clean_query(raw: str) -> str:
    """What to search for: PostgreSQL refuses NUL characters, and no one types 200 characters."""
    return " ".join(raw.replace("\x00", "").split())[:MAX_QUERY_LENGTH]


def search_query(text: str) -> SearchQuery:
    """Any of the text's variants, each in web-search syntax: "quoted phrases", or,
    -word. It never raises a syntax error."""
    query = None
    for variant in getattr(text, "variants", None) or (text,):
        one = SearchQuery(variant, search_type="websearch", config=SEARCH_CONFIG)
        query = one if query is None else query | one
    return query


def matches(text: str) -> Q:
    return Q(search_vector=search_query(text))


# Best match first; then as the other sorts (publishing/filters/sorts.py), by name and id.
BEST_MATCH = ("-search_rank", "name", "pk")


def with_rank(rows: QuerySet, text: str) -> QuerySet:
    """Annotate `search_rank`: name and other names count most, then summary, then the rest."""
    return rows.annotate(search_rank=SearchRank(F("search_vector"), search_query(text)))


def matching_ids(rows: QuerySet, text: str, ranked: bool) -> list[int]:
    """The ids of the rows the text matches, best match first when `ranked`: the list's
    one search query, which gives its facet counts and, ranked, its pages' order."""
    found = rows.filter(matches(text))
    if not ranked:
        return list(found.order_by().values_list("pk", flat=True))
    return list(with_rank(found, text).order_by(*BEST_MATCH).values_list("pk", flat=True))
