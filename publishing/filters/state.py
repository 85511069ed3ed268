"""The list's one entry point: a query string in, the page's whole state out."""

import re
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.http import QueryDict

from publishing import catalogue_state
from publishing.filters import active, counts, facets
from publishing.filters.filterset import InterventionFilter
from publishing.filters.links import Links
from publishing.filters.options import Options

PAGE_SIZE = 20
PAGE_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only: int() accepts others


def find(data: QueryDict, options: Options | None = None) -> tuple[InterventionFilter, list[str]]:
    """The filter set for a query string, and what we could not use in it, in plain words.

    A value we do not recognise leaves its filter out, and the form shows the
    state we used, so what is ticked is always what is applied.
    """
    options = options or Options.load()
    filterset = InterventionFilter(data, options)
    if filterset.is_valid():
        filterset.offer_sorts()
        return filterset, []
    problems = [str(error) for errors in filterset.errors.values() for error in errors]
    usable = data.copy()
    for name in filterset.errors:
        usable.pop(name, None)
    filterset = InterventionFilter(usable, options)
    filterset.is_valid()
    filterset.offer_sorts()
    return filterset, problems


@dataclass
class ListState:
    """Everything the list page shows."""

    filterset: InterventionFilter
    counts: counts.Counts
    page: Page
    links: Links
    tags: list[active.TagGroup]
    relaxations: list[active.Relaxation]
    messages: list[str]

    @property
    def form(self):
        return self.filterset.form

    @property
    def query(self) -> str:
        return self.filterset.chosen.get("q", "")

    @property
    def page_numbers(self) -> list[int]:
        """The page numbers the pagination may show: the first, the last and those within
        two of this one (components/pagination.html decides which become links), so it
        does not walk every page of a large catalogue."""
        last, here = self.page.paginator.num_pages, self.page.number
        near = {1, last, *range(here - 2, here + 3)}
        return sorted(number for number in near if 1 <= number <= last)

    @property
    def tag_count(self) -> int:
        """How many filters are chosen, for the phone's "Show filters" button."""
        return sum(len(group.tags) for group in self.tags)


def page_number(raw: str | None) -> int | None:
    """The page number asked for, or None when it is not a whole number of 1 or more."""
    if raw is None:
        return 1
    raw = raw.strip()
    if not PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
        return None
    return int(raw)


def _results(filterset: InterventionFilter, found: counts.Counts) -> facets.InOrder:
    """The results in their sort, the search's ranking (best match) or the facet
    index's order: the page's one query fetches its rows by id."""
    index = found.index  # the one the counts used, though a publication came since
    sort = filterset.sort_key()
    order = found.ranked if sort == "relevance" else index.orders[sort]
    return facets.InOrder(filterset.queryset, index, order, found.rows)


def _page(filterset: InterventionFilter, found: counts.Counts, raw: str | None, messages):
    paginator = Paginator(_results(filterset, found), PAGE_SIZE)
    # The facet index has counted the results already: no count query.
    paginator.count = found.total
    asked = page_number(raw)
    if asked is None:
        messages.append("That page number is not valid, so the first page is shown.")
        asked = 1
    elif asked > paginator.num_pages:
        messages.append(
            f"There is no page {asked}. "
            f"The last page is {paginator.num_pages}, and it is shown here."
        )
        asked = paginator.num_pages
    return paginator.page(asked)


def list_state(data: QueryDict) -> ListState:
    """The list for a query string: one query (the page's rows), and for a search two
    more (its synonyms, the rows it matches). The filters' options and the facet
    index are read once after each change to the catalogue, and kept until the next."""
    options = catalogue_state.kept("filter options", Options.load)
    filterset, messages = find(data, options)
    found = counts.count_options(filterset)
    counts.show_counts(filterset, found)
    links = Links(filterset)
    return ListState(
        filterset=filterset,
        counts=found,
        page=_page(filterset, found, data.get("page"), messages),
        links=links,
        tags=active.tags(filterset, links),
        relaxations=active.relaxations(filterset, found, links) if not found.total else [],
        messages=messages,
    )
