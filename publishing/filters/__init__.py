"""The list of interventions: its filters, facet counts, tags and links.

The list reads the published listing (publishing/models.py), one row per
published intervention. Each module has one job:

- options.py: what each filter offers, from the taxonomies and scales (one query);
- conditions.py and filterset.py: the filters (django-filter), each a condition;
- facets.py: which rows each option matches, as bit sets kept until the catalogue changes;
- counts.py: every option's count, from those bit sets;
- links.py: every link on the page, from the state we used;
- active.py: the chosen filters as removable tags, and what to relax;
- state.py: the entry point, `list_state(query)`, and `find(query)` for downloads.
"""

from publishing.filters.filterset import (
    LISTING_SEARCH_FIELDS,
    OUTCOME_MEANINGS,
    SORTS,
    InterventionFilter,
)
from publishing.filters.options import Options
from publishing.filters.state import PAGE_SIZE, ListState, find, list_state

__all__ = [
    "LISTING_SEARCH_FIELDS",
    "OUTCOME_MEANINGS",
    "PAGE_SIZE",
    "SORTS",
    "InterventionFilter",
    "ListState",
    "Options",
    "find",
    "list_state",
]
