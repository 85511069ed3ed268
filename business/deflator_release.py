"""Reading an HM Treasury "GDP deflators at market prices, and money GDP" table.

GOV.UK publishes each release as a spreadsheet and a CSV with the same table:
a title, notes on where outturn and forecasts come from, two rows of headings,
then one row a year. The financial-year block comes first, headed
"Financial year" and "<base year> = 100" (for example "2016-17 = 100"); a
calendar-year block sits to its right. We read the financial-year block only,
because a unit cost's price year is a financial year (2024 means 2024 to 2025).

Recent releases give no index for the forecast years: their index cell is "-"
(or empty, or "Not set", how the GOV.UK preview shows an empty cell), and only
the per cent change beside it is published. A forecast year's index is then the
year before's, grown by that change, the way the Treasury's own guidance moves a
series forward. It is marked as a forecast. A year with neither figure, or whose
year before has no index, is left out. An index cell that holds something else
than a usable number stops the whole file: a past year is never filled in.
"""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

BASE_HEADING = re.compile(r"^\s*(\d{4})-(\d{2})\s*=\s*100\s*$")
FINANCIAL_YEAR = re.compile(r"^\s*(\d{4})-(\d{2})\b")
NO_FIGURE = {"", "-", "not set", "n/a", ".."}
PER_CENT_HEADING = re.compile(r"per\s*cent|%", re.IGNORECASE)
PLACES = Decimal("0.001")  # the Treasury publishes indexes to three places
LARGEST_INDEX = Decimal("99999.999")  # GdpDeflator.index holds 8 digits, 3 after the point


NOT_A_CSV = (
    "We could not read the file as a table of text. "
    "Use the CSV of a GDP deflators release from GOV.UK."
)


class NotADeflatorTable(ValueError):
    """The file is not in the shape of the Treasury's table, said in words."""


@dataclass(frozen=True)
class DeflatorTable:
    base_year: int  # the financial year that starts in it: 2016 for "2016-17 = 100"
    indexes: dict[int, Decimal]  # financial year (by its first year) to index
    without_index: list[str] = field(default_factory=list)  # year labels with no figure
    forecasts: set[int] = field(default_factory=set)  # years grown by a per cent change

    @property
    def base_label(self) -> str:
        return financial_year_label(self.base_year)


def financial_year_label(year: int) -> str:
    return f"{year}-{(year + 1) % 100:02d}"


def financial_year(text: str) -> int | None:
    """The year a label like "2024-25" starts in, or None."""
    match = FINANCIAL_YEAR.match(text)
    if not match:
        return None
    first, second = int(match.group(1)), int(match.group(2))
    return first if (first + 1) % 100 == second else None


def _number(text: str) -> Decimal | None:
    cleaned = text.strip().replace(",", "")
    if cleaned.lower() in NO_FIGURE:
        return None
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _blank(text: str) -> bool:
    return text.strip().lower() in NO_FIGURE


def _index(value: Decimal | None) -> Decimal | None:
    """An index we can keep: above 0 to three places, within the stored field's size."""
    if value is None or not 0 < value <= LARGEST_INDEX:
        return None
    value = value.quantize(PLACES, rounding=ROUND_HALF_UP)
    return value if value > 0 else None


def _grown(previous: Decimal, change_text: str) -> Decimal | None:
    """The year before's index grown by a per cent change, if that leaves an index."""
    change = _number(change_text)
    if change is None or not -100 < change < 1000:
        return None
    return _index(previous * (1 + change / 100))


def read_rows(rows: Iterable[list[str]]) -> DeflatorTable:
    """The financial-year deflator series in a release's rows of cells."""
    base_year = index_column = None
    has_change = False  # whether the column after the index is the per cent change
    indexes: dict[int, Decimal] = {}
    without_index: list[str] = []
    forecasts: set[int] = set()
    for row in rows:
        if index_column is None:
            for column, cell in enumerate(row):
                match = BASE_HEADING.match(cell)
                if match and financial_year(cell) is not None:
                    if column == 0 or row[column - 1].strip().lower() != "financial year":
                        raise NotADeflatorTable(
                            f'The heading "{cell.strip()}" should follow a "Financial year" '
                            "heading, as in the Treasury's table."
                        )
                    base_year, index_column = int(match.group(1)), column
                    has_change = column + 1 < len(row) and bool(
                        PER_CENT_HEADING.search(row[column + 1])
                    )
                    break
            continue
        if len(row) <= index_column:
            continue
        year = financial_year(row[index_column - 1])
        if year is None:
            continue
        if year in indexes or financial_year_label(year) in without_index:
            raise NotADeflatorTable(f"{financial_year_label(year)} appears twice.")
        cell = row[index_column]
        if not _blank(cell):
            value = _index(_number(cell))
            if value is None:
                raise NotADeflatorTable(
                    f'The index for {financial_year_label(year)}, "{cell.strip()[:30]}", '
                    "is not a number above 0 that we can keep."
                )
            indexes[year] = value
            continue
        grown = None
        if has_change and year - 1 in indexes and len(row) > index_column + 1:
            grown = _grown(indexes[year - 1], row[index_column + 1])
        if grown is None:
            without_index.append(financial_year_label(year))
        else:
            indexes[year] = grown
            forecasts.add(year)
    if index_column is None:
        raise NotADeflatorTable(
            'We could not find the financial-year heading, like "2024-25 = 100". '
            "Use the CSV of a GDP deflators release from GOV.UK."
        )
    if not indexes:
        raise NotADeflatorTable("The table has no financial year with an index.")
    return DeflatorTable(base_year, indexes, without_index, forecasts)


def read_csv(data: bytes) -> DeflatorTable:
    """A release's CSV, as downloaded from GOV.UK (UTF-8, or Windows-1252 for "£")."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise NotADeflatorTable(NOT_A_CSV)
    try:
        return read_rows(csv.reader(io.StringIO(text)))
    except csv.Error as error:
        raise NotADeflatorTable(NOT_A_CSV) from error
