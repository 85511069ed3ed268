"""The calculator applied to a published version: its unit cost, its yes/no findings
with a comparison group, and the deflators, turned into what the pages show."""

from dataclasses import dataclass, field
from decimal import Decimal

from business import calculator
from business.forms import CalculatorForm
from business.models import GdpDeflator
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
    def latest_year(self) -> int | None:
        return self.rows[-1].year if self.rows else None

    def used(self, *years: int) -> list[GdpDeflator]:
        return [row for row in self.rows if row.year in years]


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
    def verb(self) -> str:
        return "avoided" if not self.finding.higher_is_better else "reached"


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
    to_year = data.get("price_year") or deflators.latest_year or cost.price_year
    try:
        local = calculator.local_cost(
            facts(cost), data["places"], data["years"], to_year, deflators.indexes
        )
    except calculator.MissingPriceYear as missing:
        return Calculation(
            problem=f"{missing} Its costs are shown at {cost.price_year} prices instead.",
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
    )
