"""The list's results as a file a commissioner can open in a spreadsheet: CSV or JSON.

One row per intervention, with the columns a business case needs, from the
published listing. The rows come from the list's own filters and sort
(views.intervention_download).
"""

import csv
import itertools
import json
from collections.abc import Iterable, Iterator
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, StreamingHttpResponse
from django.utils import timezone

from interventions.formatting import age_range_in_words, yes_no
from publishing.models import Listing

COLUMNS = {
    "name": "Name",
    "link": "Link",
    "ages": "Ages",
    "min_age_months": "Youngest age (months)",
    "max_age_months": "Oldest age (months)",
    "outcomes": "Outcomes it aims to improve",
    "evidence_level": "Evidence level",
    "evidence_label": "Evidence level meaning",
    "cost_rating": "Cost rating",
    "cost_label": "Cost rating meaning",
    "unit_cost": "Unit cost (£)",
    "unit_cost_per": "Unit cost is for each",
    "price_year": "Price year",
    "uk_tested": "Tested in the UK",
    "available_in_uk": "Available in the UK",
    "need_levels": "Levels of need",
    "evidence_last_reviewed": "Evidence last reviewed",
}

# Rows fetched from the database at a time, and characters sent at a time.
CHUNK = 500
PIECE = 64 * 1024

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def row(listing: Listing, link: str) -> dict[str, Any]:
    """One intervention's values, typed (numbers stay numbers; JSON keeps them so)."""
    reviewed = listing.evidence_last_reviewed
    return {
        "name": listing.name,
        "link": link,
        "ages": age_range_in_words(listing.min_age_months, listing.max_age_months),
        "min_age_months": listing.min_age_months,
        "max_age_months": listing.max_age_months,
        "outcomes": list(listing.outcome_names),
        "evidence_level": listing.evidence_code or None,
        "evidence_label": listing.evidence_label or None,
        "cost_rating": listing.cost_code or None,
        "cost_label": listing.cost_label or None,
        "unit_cost": str(listing.unit_cost) if listing.unit_cost is not None else None,
        "unit_cost_per": listing.cost_per or None,
        "price_year": listing.price_year,
        "uk_tested": listing.uk_tested,
        "available_in_uk": listing.available_in_uk,
        "need_levels": list(listing.need_level_names),
        "evidence_last_reviewed": reviewed.isoformat() if reviewed else None,
    }


def safe_cell(value: Any) -> Any:
    """A CSV cell: lists joined, yes/no in words, and text that a spreadsheet
    would run as a formula made plain text with a leading apostrophe."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


class _Line:
    """A file-like target for csv.writer that hands back each line it is given."""

    def write(self, line: str) -> str:
        return line


def as_csv(rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    """The CSV file, a line at a time."""
    writer = csv.writer(_Line())
    yield writer.writerow(COLUMNS.values())
    for values in rows:
        yield writer.writerow(safe_cell(values[key]) for key in COLUMNS)


def as_json(rows: Iterable[dict[str, Any]], source: str) -> Iterator[str]:
    """The JSON document, an intervention at a time; the count comes last, once known."""
    yield "{\n" + f'  "source": {json.dumps(source, ensure_ascii=False)},\n  "interventions": ['
    count = 0
    for values in rows:
        item = json.dumps(values, ensure_ascii=False, indent=2).replace("\n", "\n    ")
        yield ("," if count else "") + "\n    " + item
        count += 1
    yield ("\n  " if count else "") + f'],\n  "count": {count}\n' + "}\n"


def _rows(listings: QuerySet, request: HttpRequest) -> Iterator[dict[str, Any]]:
    """Each listing's row, read from the database in chunks: memory stays the same
    whatever the number of results."""
    site = request.build_absolute_uri("/").rstrip("/")
    for listing in listings.iterator(chunk_size=CHUNK):
        yield row(listing, site + listing.get_absolute_url())


def _in_pieces(texts: Iterator[str]) -> Iterator[bytes]:
    """The text in pieces of about PIECE characters: one write (and one gzip flush)
    per piece rather than per row. The first piece leaves at once."""
    pending: list[str] = []
    size = 0
    for number, text in enumerate(texts):
        pending.append(text)
        size += len(text)
        if number == 0 or size >= PIECE:
            yield "".join(pending).encode("utf-8")
            pending, size = [], 0
    if pending:
        yield "".join(pending).encode("utf-8")


def response(file_format: str, listings: QuerySet, request: HttpRequest):
    """The file, streamed: the first bytes leave before the last row is read."""
    filename = f"interventions-{timezone.localdate().isoformat()}.{file_format}"
    rows = _rows(listings, request)
    if file_format == "csv":
        # A byte-order mark, so spreadsheet programs read the £ sign as UTF-8.
        body = itertools.chain(["\ufeff"], as_csv(rows))
        content_type = "text/csv; charset=utf-8"
    else:
        body = as_json(rows, request.build_absolute_uri())
        content_type = "application/json"
    reply = StreamingHttpResponse(_in_pieces(body), content_type=content_type)
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply
