"""The comparison as rows of cells, shared by the comparison page and its download,
so the options appraisal file says exactly what the page says."""

import csv
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.text import Truncator

from business import calculator
from business.costing import Deflators, calculate
from business.forms import CalculatorForm
from interventions import formatting
from publishing.downloads import safe_cell


@dataclass
class Row:
    label: str
    cells: list[str]
    stand_out: set[int] = field(default_factory=set)  # columns that differ in a way that matters
    note: str = ""  # what the highlight means


def _effect(domain) -> tuple[str, float | None]:
    """A domain's overall effect size and interval, and the estimate when it is not chance."""
    headline = domain.headline if domain else None
    if headline is None:
        return ("Not studied with a comparison group", None)
    text = (
        f"{formatting.signed(headline.estimate)} "
        f"(likely between {formatting.signed(headline.ci_lower)} and "
        f"{formatting.signed(headline.ci_upper)})"
    )
    clear = headline.ci_lower > 0 or headline.ci_upper < 0
    return (text, headline.estimate if clear else None)


def _highest(values: list[float | None]) -> set[int]:
    known = [v for v in values if v is not None]
    if len(known) < 1 or len(set(known)) == 1 and len(known) == len(values):
        return set()
    best = max(known)
    return {n for n, v in enumerate(values) if v == best}


def _lowest(values: list[Decimal | None]) -> set[int]:
    known = [v for v in values if v is not None]
    if len(known) < 2 or len(set(known)) == 1:
        return set()
    best = min(known)
    return {n for n, v in enumerate(values) if v == best}


class Comparison:
    def __init__(
        self, items: list, form: CalculatorForm, deflators: Deflators, focus: list[str] = ()
    ):
        self.items = items
        self.focus = list(focus)
        self.form = form
        valid = form.is_bound and form.is_valid()
        self.price_year = (valid and form.cleaned_data.get("price_year")) or deflators.default_year
        self.calculations = (
            [calculate(item.cost, item.evidence, form, deflators) for item in items]
            if valid
            else []
        )
        self.deflators = deflators
        self.forecast_note = (
            deflators.forecast_note(self.price_year, *(i.cost.price_year for i in items if i.cost))
            if self.price_year
            else ""
        )
        self.rows = self._rows()

    @property
    def slugs(self) -> list[str]:
        return [item.listing.slug for item in self.items]

    def _at_common_year(self, amount, from_year) -> Decimal | None:
        """The amount at the comparison's price year; as it is when there is none."""
        if amount is None or self.price_year is None:
            return amount
        try:
            return calculator.convert(amount, from_year, self.price_year, self.deflators.indexes)
        except calculator.MissingPriceYear:
            return None

    @property
    def prices(self) -> str:
        year = self.price_year
        return (
            f"at {formatting.financial_year(year)} prices"
            if year
            else "at each cost's own price year"
        )

    @property
    def price_year_words(self) -> str:
        year = self.price_year
        return formatting.financial_year(year) or "Each cost's own"

    def _own_year(self, cost) -> str:
        """With no common price year (no price indexes), each cost names its own."""
        if self.price_year is not None:
            return ""
        return f" at {formatting.financial_year(cost.price_year)} prices"

    def _total(self, calculation) -> str:
        """A local total, saying so when it is not at the comparison's price year."""
        cost = calculation.cost
        if cost is None:
            return calculation.problem
        total = formatting.money(cost.total)
        if calculation.problem:
            return f"{total}. {calculation.problem}"
        if cost.price_year != self.price_year:
            return f"{total} at {formatting.financial_year(cost.price_year)} prices"
        return total

    def _rows(self) -> list[Row]:
        items = self.items
        rows = [
            Row(
                "Version",
                [
                    f"Version {i.version.number}, published {i.version.published_at:%-d %B %Y}"
                    for i in items
                ],
            ),
            Row("Permanent address", [i.url for i in items]),
            Row(
                "Ages",
                [
                    formatting.age_range_in_words(
                        i.listing.min_age_months, i.listing.max_age_months
                    )
                    for i in items
                ],
            ),
            Row(
                "Level of need",
                [", ".join(t.name for t in i.intervention.need_levels.all()) for i in items],
            ),
        ]
        ranks = [i.evidence_rating.level.rank if i.evidence_rating else None for i in items]
        rows.append(
            Row(
                "Evidence strength",
                [
                    f"{r.level.code}: {r.level.label}" if (r := i.evidence_rating) else "Not rated"
                    for i in items
                ],
                _highest(ranks),
                "Strongest evidence",
            )
        )
        rows.append(
            Row(
                "Why this rating",
                [
                    Truncator(i.evidence_rating.reason).words(40) if i.evidence_rating else ""
                    for i in items
                ],
            )
        )
        rows.append(
            Row(
                "What the evidence strength means",
                [i.evidence_rating.level.plain_meaning if i.evidence_rating else "" for i in items],
            )
        )
        domains: dict[str, str] = {}
        for item in items:
            for domain in item.evidence.domains:
                if domain.findings:
                    domains.setdefault(domain.domain.slug, domain.domain.name)
        # The outcome areas the user filtered on come first, and say so.
        order = sorted(domains.items(), key=lambda pair: (pair[0] not in self.focus, pair[1]))
        for slug, name in order:
            found = [
                next((d for d in i.evidence.domains if d.domain.slug == slug), None) for i in items
            ]
            effects = [_effect(d) for d in found]
            # Only a difference when two or more were studied for this outcome.
            studied = sum(1 for d in found if d is not None and d.headline is not None)
            rows.append(
                Row(
                    f"Effect on {formatting.lower_first(name)}"
                    + (" (the outcome area you chose)" if slug in self.focus else ""),
                    [text for text, _ in effects],
                    _highest([value for _, value in effects]) if studied > 1 else set(),
                    "Largest effect that is unlikely to be chance",
                )
            )
        year, prices = self.price_year, self.prices
        unit = [
            self._at_common_year(i.cost.unit_cost, i.cost.price_year) if i.cost else None
            for i in items
        ]
        rows.append(
            Row(
                f"Unit cost {prices}",
                [
                    f"{formatting.money(u)} per {i.cost.per}{self._own_year(i.cost)}"
                    if u is not None
                    else "Not known"
                    for u, i in zip(unit, items, strict=True)
                ],
                _lowest(unit)
                if year and len({i.cost.per for i in items if i.cost}) == 1
                else set(),
                "Lowest unit cost",
            )
        )
        set_up = [
            self._at_common_year(i.cost.set_up_cost_total, i.cost.price_year) if i.cost else None
            for i in items
        ]
        rows.append(
            Row(
                f"One-off set-up cost {prices}",
                [
                    f"{formatting.money(s)}{self._own_year(i.cost)}"
                    if s is not None
                    else "Not known"
                    for s, i in zip(set_up, items, strict=True)
                ],
            )
        )
        if self.calculations:
            # Only totals at the comparison's price year are compared.
            totals = [
                c.cost.total if c.cost and year and c.cost.price_year == year else None
                for c in self.calculations
            ]
            rows.append(
                Row(
                    "Local cost: total",
                    [self._total(c) for c in self.calculations],
                    _lowest(totals) if len({i.cost.per for i in items if i.cost}) == 1 else set(),
                    "Lowest total cost",
                )
            )
            rows.append(
                Row(
                    "Local cost: set-up, once",
                    [
                        formatting.money(c.cost.set_up)
                        if c.cost and c.cost.set_up is not None
                        else "Included in the running cost"
                        for c in self.calculations
                    ],
                )
            )
            rows.append(
                Row(
                    "Local cost: running",
                    [formatting.money(c.cost.running) if c.cost else "" for c in self.calculations],
                )
            )
            rows.append(
                Row(
                    "Children helped, for a yes-or-no result",
                    [
                        " ".join(c.brief_avoided_in_words)
                        or "No yes-or-no result that is unlikely to be chance"
                        for c in self.calculations
                    ],
                    note="",
                )
            )
        rows += [
            Row(
                "Delivery",
                [", ".join(t.name for t in i.intervention.delivery_models.all()) for i in items],
            ),
            Row(
                "Settings",
                [", ".join(t.name for t in i.intervention.settings.all()) for i in items],
            ),
            Row("Sessions", [i.intervention.sessions for i in items]),
            Row("Workforce", [i.intervention.workforce for i in items]),
            Row("Training", [i.intervention.training for i in items]),
            Row("Licensing", [i.intervention.licensing for i in items]),
            Row(
                "Tested in the UK",
                [formatting.yes_no(i.intervention.uk_tested) for i in items],
            ),
            Row(
                "Available in the UK",
                [formatting.yes_no(i.intervention.available_in_uk) for i in items],
            ),
        ]
        return rows


def lines(table: Comparison) -> list[list]:
    """The options appraisal as spreadsheet rows: the inputs, then the comparison."""
    out = [
        ["Options appraisal from the Evidence Store"],
        ["A rating is not a recommendation. Check that each option suits your area."],
    ]
    if table.calculations:
        data = table.form.cleaned_data
        out += [
            ["Children or families each year", data["places"]],
            ["Years", data["years"]],
            ["Price year", table.price_year_words],
        ]
    if table.deflators.rows:
        row = table.deflators.rows[-1]
        out.append(["Price index used", f"{row.source}, published {row.published_on:%-d %B %Y}"])
    if table.forecast_note:
        out.append(["Forecast", table.forecast_note])
    out.append([""] + [f"{i.intervention.name} (version {i.version.number})" for i in table.items])
    for row in table.rows:
        cells = [
            f"{cell} [{row.note}]" if n in row.stand_out else cell
            for n, cell in enumerate(row.cells)
        ]
        out.append([row.label, *cells])
    return out


def write_csv(table: Comparison, out) -> None:
    csv.writer(out).writerows([[safe_cell(v) for v in values] for values in lines(table)])


def write_xlsx(table: Comparison, out) -> None:
    """The same rows as an Excel workbook (openpyxl), with readable column widths."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = "Options appraisal"
    for values in lines(table):
        sheet.append(values)
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, never a formula, whatever it starts with
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 32
    for n in range(len(table.items)):
        sheet.column_dimensions[get_column_letter(n + 2)].width = 45
    book.save(out)
