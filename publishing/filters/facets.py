"""The facet index: which listing rows each option matches, as bit sets, in memory.

Counting every option of every filter in SQL reads every published row and tests
each against every option (about 100 conditions), so it grows with the catalogue.
Here the listing's filter columns are read once per catalogue state (the token in
publishing/catalogue_state.py, which every publication, archiving and taxonomy
edit replaces) into one Python integer per option, bit i standing for the i-th
row. A count is then a few ANDs and a `bit_count()` of integers a few hundred
bytes long: microseconds, at any catalogue size we expect.

Nothing rendered is kept, and every request counts afresh for its own filters;
only the listing's columns are kept, and only until the catalogue changes.
Each filter says which rows its value matches (`ConditionFilter.bits`), beside
the SQL condition the page's rows use, so the two cannot mean different things.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import QuerySet, Window
from django.db.models.functions import RowNumber

from publishing import catalogue_state
from publishing.filters.sorts import ORDERS
from publishing.models import Listing

# The array columns a term filter can read (publishing/filters/filterset.py): every
# array of slugs the listing has.
TERM_COLUMNS = tuple(
    field.name
    for field in Listing._meta.concrete_fields
    if isinstance(field, ArrayField) and isinstance(field.base_field, models.SlugField)
)
FLAG_COLUMNS = ("uk_tested", "available_in_uk")
RANK_COLUMNS = ("evidence_rank", "cost_rank")


def bits_of(positions: Iterable[int], size: int) -> int:
    """The set of row positions as an integer (bit i is row i)."""
    buffer = bytearray((size + 7) // 8)
    for position in positions:
        buffer[position >> 3] |= 1 << (position & 7)
    return int.from_bytes(buffer, "little")


@dataclass
class FacetIndex:
    """Every listing row's filter columns, as one bit set per value."""

    size: int
    ids: list[int]  # row position -> intervention id
    positions: dict[int, int]  # intervention id -> row position
    orders: dict[str, list[int]]  # sort -> every row position, in that order
    current: int  # rows not archived
    terms: dict[str, dict[str, int]]  # column -> slug -> rows listing it
    flags: dict[str, int]  # column -> rows where it is true
    ranks: dict[str, dict[int, int]]  # column -> rank -> rows with that rank
    ages: list[tuple[int, int]]  # each row's (min, max) age in months
    _memo: dict = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @classmethod
    def load(cls) -> "FacetIndex":
        """One query: the filter columns of every listing row, archived or not, and
        its place in each sort."""
        columns = ("intervention_id", "archived_at", "min_age_months", "max_age_months")
        columns += RANK_COLUMNS + FLAG_COLUMNS + TERM_COLUMNS
        places = {
            f"place_by_{sort}": Window(RowNumber(), order_by=list(order))
            for sort, order in ORDERS.items()
        }
        rows = list(Listing.objects.order_by().annotate(**places).values_list(*columns, *places))
        size = len(rows)
        orders = {sort: [0] * size for sort in ORDERS}
        for position, row in enumerate(rows):
            for sort, place in zip(ORDERS, row[len(columns) :], strict=True):
                orders[sort][place - 1] = position
        terms: dict[str, dict[str, list[int]]] = {column: {} for column in TERM_COLUMNS}
        ranks: dict[str, dict[int, list[int]]] = {column: {} for column in RANK_COLUMNS}
        flags: dict[str, list[int]] = {column: [] for column in FLAG_COLUMNS}
        current, ages, positions = [], [], {}
        for position, row in enumerate(rows):
            values = dict(zip(columns, row[: len(columns)], strict=True))
            positions[values["intervention_id"]] = position
            if values["archived_at"] is None:
                current.append(position)
            ages.append((values["min_age_months"], values["max_age_months"]))
            for column in RANK_COLUMNS:
                if values[column] is not None:
                    ranks[column].setdefault(values[column], []).append(position)
            for column in FLAG_COLUMNS:
                if values[column]:
                    flags[column].append(position)
            for column in TERM_COLUMNS:
                for slug in set(values[column]):
                    terms[column].setdefault(slug, []).append(position)
        return cls(
            size=size,
            ids=[row[0] for row in rows],
            positions=positions,
            orders=orders,
            current=bits_of(current, size),
            terms={c: {s: bits_of(p, size) for s, p in by.items()} for c, by in terms.items()},
            flags={column: bits_of(found, size) for column, found in flags.items()},
            ranks={c: {r: bits_of(p, size) for r, p in by.items()} for c, by in ranks.items()},
            ages=ages,
        )

    @property
    def everything(self) -> int:
        return (1 << self.size) - 1

    def _remember(self, key: tuple, make) -> int:
        with self._lock:
            if key not in self._memo:
                self._memo[key] = make()
            return self._memo[key]

    def term(self, column: str, slug: str) -> int:
        return self.terms[column].get(slug, 0)

    def flag(self, column: str) -> int:
        return self.flags[column]

    def rank(self, column: str, rank: int, at_least: bool) -> int:
        """Rows rated at least (or at most) `rank`; unrated rows never match."""

        def make() -> int:
            found = 0
            for value, rows in self.ranks[column].items():
                if (value >= rank) if at_least else (value <= rank):
                    found |= rows
            return found

        return self._remember(("rank", column, rank, at_least), make)

    def age(self, min_months: int, max_months: int) -> int:
        """Rows whose age range overlaps min_months..max_months."""

        def make() -> int:
            return bits_of(
                (
                    position
                    for position, (low, high) in enumerate(self.ages)
                    if low <= max_months and high >= min_months
                ),
                self.size,
            )

        return self._remember(("age", min_months, max_months), make)

    def in_order(self, order: list[int], rows: int, start: int, stop: int) -> list[int]:
        """The ids of the rows in a bit set from the start-th to before the stop-th
        (counting from 0) in an order of row positions: one page of results."""
        mask = rows.to_bytes((self.size + 7) // 8, "little")
        picked, seen = [], 0
        for position in order:
            if mask[position >> 3] >> (position & 7) & 1:
                if seen >= start:
                    picked.append(self.ids[position])
                seen += 1
                if seen >= stop:
                    break
        return picked

    def order_of(self, ids: Iterable[int]) -> list[int]:
        """The row positions of these interventions, in the order given."""
        positions = self.positions
        return [positions[pk] for pk in ids if pk in positions]

    def rows(self, ids: Iterable[int]) -> int:
        """The rows of these interventions."""
        return bits_of(self.order_of(ids), self.size)


def index() -> FacetIndex:
    """The facet index for the catalogue as it is now: read again (one query) after
    each change to it, once per process."""
    return catalogue_state.kept("facet index", FacetIndex.load)


class InOrder:
    """The results (a bit set of rows) in an order of row positions (a sort's, from the
    index, or a search's ranking), as a paginator slices them: a page's rows are picked
    in memory and fetched by id in one query, however large the catalogue."""

    def __init__(self, queryset: QuerySet, facet_index: FacetIndex, order: list[int], rows: int):
        self.queryset, self.index, self.order, self.rows = queryset, facet_index, order, rows

    def __len__(self) -> int:
        return self.rows.bit_count()

    def __getitem__(self, window: slice) -> list:
        wanted = self.index.in_order(self.order, self.rows, window.start or 0, window.stop)
        found = self.queryset.in_bulk(wanted)
        # A row archived or replaced since the index was read is left out, not an error.
        return [found[pk] for pk in wanted if pk in found]
