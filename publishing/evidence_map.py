"""The evidence gap map: how many interventions were found to improve each outcome area,
for each age band (and each level of need), and how strong their evidence is.

Every cell is the list's own filters (publishing/filters.py) applied together, so a
cell's number is the number its link shows. All cells are counted in one query.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.http import QueryDict

from publishing import filters
from publishing.models import Listing

# "Strong" in the map: at least this level on the evidence scale (level 4: it works in
# the long term, with an independent replication).
STRONG_LEVEL = "4"


@dataclass
class Cell:
    count: int
    strong: int
    link: str
    row: str
    column: str

    @property
    def is_gap(self) -> bool:
        return self.count == 0


@dataclass
class Row:
    slug: str
    name: str
    cells: list[Cell] = field(default_factory=list)


@dataclass
class Grid:
    title: str
    column_label: str
    columns: list[tuple[str, str]]  # (slug, name)
    rows: list[Row]

    @property
    def most(self) -> int:
        return max((cell.count for row in self.rows for cell in row.cells), default=0)

    @property
    def gaps(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells if cell.is_gap]


def _link(params: dict[str, str]) -> str:
    query = QueryDict(mutable=True)
    query.update(params)
    return f"?{query.urlencode()}"


def build() -> tuple[Grid, Grid]:
    """Outcome areas against age bands, and against levels of need."""
    filterset, _ = filters.find(QueryDict())
    options = filterset.options
    domains = [(d.slug, d.name) for d in options.domains()]
    axes = [
        ("age", "Age", [(band.slug, band.name) for band in options.age_bands]),
        ("need", "Level of need", [(level.slug, level.name) for level in options.need_levels]),
    ]
    strong_rank = next(
        (level.rank for level in options.evidence_options() if level.code == STRONG_LEVEL), None
    )
    counts: dict[str, Count] = {}
    for key, _, columns in axes:
        for domain, _ in domains:
            for column, _ in columns:
                where = filterset.filters["domain"].condition([domain]) & filterset.filters[
                    key
                ].condition([column])
                counts[f"{key}|{domain}|{column}"] = Count("pk", filter=where)
                strong = where & Q(evidence_rank__gte=strong_rank)
                counts[f"{key}|{domain}|{column}|strong"] = Count("pk", filter=strong)
    numbers = Listing.objects.current().aggregate(**counts) if counts else {}
    grids = []
    for key, label, columns in axes:
        rows = []
        for domain, name in domains:
            row = Row(domain, name)
            for column, column_name in columns:
                row.cells.append(
                    Cell(
                        count=numbers[f"{key}|{domain}|{column}"],
                        strong=numbers[f"{key}|{domain}|{column}|strong"],
                        link=_link({"domain": domain, key: column}),
                        row=name,
                        column=column_name,
                    )
                )
            rows.append(row)
        title = f"Outcome areas by {label.lower()}"
        grids.append(Grid(title, label, columns, rows))
    return grids[0], grids[1]
