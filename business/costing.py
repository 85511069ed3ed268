"""The calculator applied to a published version: its unit cost, its yes/no findings
with a comparison group, and the deflators, turned into what the pages show."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from business import calculator
from business.forms import CalculatorForm
from business.models import GdpDeflator, financial_year_of
from interventions import formatting
from ratings.evidence import Evidence
from ratings.models import Finding, UnitCostEstimate


@dataclass
class Deflators:
    """Every deflator row, read once per page."""

    rows: list[GdpDeflator]

    @classmethod
    def load(cls) -> "Deflators":
        return cls(list(GdpDeflator.objects.all()))

    @property
    def indexes(self) -> dict[int, Decimal]:
        return {row.year: row.index for row in self.rows}

    @property
    def this_year(self) -> int:
        return financial_year_of(timezone.localdate())

    @property
    def default_year(self) -> int | None:
        """This financial year, or failing that the latest year before it that we have."""
        years = [row.year for row in self.rows if row.year <= self.this_year]
        # With only later years (a release far ahead of the clock), the nearest of them.
        return max(years) if years else (self.rows[0].year if self.rows else None)

    def choices(self) -> list[tuple[str | int, str]]:
        """The price years a visitor may pick: the default first, then newest first."""
        default = next((row for row in self.rows if row.year == self.default_year), None)
        if default is None:
            first = "The year of each cost"
        else:
            which = "This year" if default.year == self.this_year else "The nearest year we have"
            forecast = ", a forecast" if default.forecast else ""
            first = f"{which} ({default.financial_year}{forecast})"
        return [("", first)] + [
            (row.year, f"{row.financial_year}{' (forecast)' if row.forecast else ''}")
            for row in reversed(self.rows)
        ]

    def used(self, *years: int) -> list[GdpDeflator]:
        return [row for row in self.rows if row.year in years]

    def forecast_note(self, *years: int) -> str:
        """A sentence when any of the price years used has a forecast index, else nothing."""
        named = [row.financial_year for row in self.rows if row.forecast and row.year in years]
        if not named:
            return ""
        if len(named) == 1:
            listed, those = named[0], "that year"
        else:
            listed, those = f"{', '.join(named[:-1])} and {named[-1]}", "those years"
        return (
            f"Prices for {listed} rest on a forecast of price rises, by the Office for "
            f"Budget Responsibility, so they may change a little when the figures for "
            f"{those} are known."
        )


def facts(cost: UnitCostEstimate) -> calculator.CostFacts:
    return calculator.CostFacts(
        unit_cost=cost.unit_cost,
        price_year=cost.price_year,
        set_up_share=cost.set_up,
        set_up_one_off=cost.set_up_cost_total,
    )


@dataclass
class Avoided:
    finding: Finding
    difference: calculator.RiskDifference
    result: calculator.CasesAvoided

    @property
    def per_100(self) -> tuple[int, int, int]:
        return self.difference.per_100()

    @property
    def clear(self) -> bool:
        """The study's range leaves out no difference, so it is unlikely to be chance."""
        return not self.difference.could_be_none

    def sentences(self, places: int) -> list[str]:
        """The result in words: per 100 in the study, then for the places asked about."""
        n, low, high = self.per_100
        finding = self.finding
        fewer = "more" if finding.higher_is_better else "fewer"
        opening = f"{finding.measure} ({finding.study.short_citation})"
        if n <= 0:
            return [f"{opening}: the study did not find {fewer} children with this."]
        spread = (
            f"between {low or 'fewer than 1'} and {high}"
            if self.clear
            else f"up to {high}, and it could be none"
        )
        result = self.result
        cases, cases_low, cases_high = (
            round(x) for x in (result.cases, result.cases_low, result.cases_high)
        )
        local = (
            f"between {cases_low or 'fewer than 1'} and {cases_high}"
            if self.clear
            else f"up to {cases_high}, or none"
        )
        each = ""
        if result.cost_per_case is not None:
            highest = (
                formatting.money(round(result.cost_per_case_high))
                if result.cost_per_case_high is not None
                else "no upper limit"
            )
            each = (
                f", at about {formatting.money(round(result.cost_per_case))} for each one "
                f"(from {formatting.money(round(result.cost_per_case_low))} to {highest})"
            )
        return [
            f"{opening}: about {n} {fewer} children in 100 than in the comparison group "
            f"({spread}).",
            f"For your {places} places that is about {cases} {fewer} children ({local}){each}.",
        ]


def yes_no_findings(summary: Evidence) -> list[Finding]:
    """Yes/no results from studies with a comparison group, with both groups' counts."""
    return [
        finding
        for domain in summary.domains
        for finding in domain.findings
        if finding.statistics_form == Finding.StatisticsForm.BINARY
        and None
        not in (
            finding.intervention_events,
            finding.intervention_n,
            finding.comparison_events,
            finding.comparison_n,
        )
    ]


@dataclass
class Calculation:
    """What the calculator says for one version, or why it cannot say it."""

    cost: calculator.LocalCost | None = None
    from_year: int | None = None
    problem: str = ""
    avoided: list[Avoided] = field(default_factory=list)
    deflators_used: list[GdpDeflator] = field(default_factory=list)
    forecast_note: str = ""

    BRIEF_RESULTS = 2

    @property
    def avoided_in_words(self) -> list[str]:
        return [" ".join(a.sentences(self.cost.places)) for a in self.avoided]

    @property
    def brief_avoided_in_words(self) -> list[str]:
        """For the one-page brief: the first results unlikely to be chance."""
        clear = [a for a in self.avoided if a.clear][: self.BRIEF_RESULTS]
        return [" ".join(a.sentences(self.cost.places)) for a in clear]


def calculate(
    cost: UnitCostEstimate | None,
    summary: Evidence,
    form: CalculatorForm,
    deflators: Deflators,
) -> Calculation:
    """The local cost for a valid form (call form.is_valid() first)."""
    if cost is None:
        return Calculation(
            problem="We have no unit cost for this intervention, "
            "so we cannot work out a local cost."
        )
    data = form.cleaned_data
    to_year = data.get("price_year") or deflators.default_year or cost.price_year
    try:
        local = calculator.local_cost(
            facts(cost), data["places"], data["years"], to_year, deflators.indexes
        )
    except calculator.MissingPriceYear as missing:
        return Calculation(
            problem=f"{missing} Its costs are shown at "
            f"{formatting.financial_year(cost.price_year)} prices instead.",
            cost=calculator.local_cost(
                facts(cost), data["places"], data["years"], cost.price_year, {}
            ),
            from_year=cost.price_year,
        )
    avoided = []
    for finding in yes_no_findings(summary):
        difference = calculator.risk_difference(
            finding.intervention_events,
            finding.intervention_n,
            finding.comparison_events,
            finding.comparison_n,
            event_is_bad=not finding.higher_is_better,
        )
        avoided.append(
            Avoided(
                finding, difference, calculator.cases_avoided(difference, local.places, local.total)
            )
        )
    return Calculation(
        cost=local,
        from_year=cost.price_year,
        avoided=avoided,
        deflators_used=deflators.used(cost.price_year, to_year)
        if cost.price_year != to_year
        else [],
        forecast_note=deflators.forecast_note(cost.price_year, to_year)
        if cost.price_year != to_year
        else "",
    )
