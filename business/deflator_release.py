"""Reading an HM Treasury "GDP deflators at market prices, and money GDP" table.

GOV.UK publishes each release as a spreadsheet and a CSV with the same table:
a title, notes on where outturn and forecasts come from, two rows of headings,
then one row a year. The financial-year block comes first, headed
"Financial year" and "<base year> = 100" (for example "2016-17 = 100"); a
calendar-year block sits to its right. We read the financial-year block only,
because a unit cost's price year is a financial year (2024 means 2024 to 2025).

A year whose index cell is empty, "-" or "Not set" (how the GOV.UK preview shows an
empty cell) has no published index: it is left out, never worked out from the
per cent change column.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

BASE_HEADING = re.compile(r"^\s*(\d{4})-(\d{2})\s*=\s*100\s*$")
FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})-(\d{2})\b")
NO_FIGURE = {"", "-", "not set", "n/a", ".."}


class NotADeflatorTable(ValueError):
    """The file is not in the shape of the Treasury's table, said in words."""


@dataclass(frozen=True)
class DeflatorTable:
    base_year: int  # the financial year that starts in it: 2016 for "2016-17 = 100"
    indexes: dict[int, Decimal]  # financial year (by its first year) to index
    without_index: list[str] = field(default_factory=list)  # year labels with no figure

    @property
    def base_label(self) -> str:
        return financial_year_label(self.base_year)


def financial_year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def _financial_year(text: str) -> int | None:
    match = FINANCIAL_YEAR.match(text)
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    return first if (first + 1) % 100 == second else None


def _index(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "")
    if cleaned.lower() in NO_FIGURE:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() and value > 0 else None


def read_rows(rows: Iterable[list[str]]) -> DeflatorTable:
    """The financial-year deflator series in a release's rows of cells."""
    base_year = index_column = None
    indexes: dict[int, Decimal] = {}
    without_index: list[str] = []
    for row in rows:
        if index_column is None:
            for column, cell in enumerate(row):
                match = BASE_HEADING.match(cell)
                if match and _financial_year(cell) is not None:
                    if column == 0 or row[column - 1].strip().lower() != "financial year":
                        raise NotADeflatorTable(
                            f'The heading "{cell.strip()}" should follow a "Financial year" '
                            "heading, as in the Treasury's table."
                        )
                    base_year, index_column = int(match.group(1)), column
                    break
            continue
        if len(row) <= index_column:
            continue
        year = _financial_year(row[index_column - 1])
        if year is None:
            continue
        if year in indexes:
            raise NotADeflatorTable(f"{financial_year_label(year)} appears twice.")
        value = _index(row[index_column])
        if value is None:
            without_index.append(financial_year_label(year))
        else:
            indexes[year] = value
    if index_column is None:
        raise NotADeflatorTable(
            'We could not find the financial-year heading, like "2024-25 = 100". '
            "Use the CSV of a GDP deflators release from GOV.UK."
        )
    if not indexes:
        raise NotADeflatorTable("The table has no financial year with an index.")
    return DeflatorTable(base_year, indexes, without_index)


def read_csv(data: bytes) -> DeflatorTable:
    """A release's CSV, as downloaded from GOV.UK (UTF-8, or Windows-1252 for "£")."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252")
    return read_rows(csv.reader(io.StringIO(text)))
