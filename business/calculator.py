"""The local cost calculator's arithmetic: pure functions, tested against worked examples.

The set-up rule (so set-up is never counted twice):
- A unit cost may hold a set-up share: the one-off set-up cost spread over each
  place (UnitCostEstimate.set_up). The one-off set-up cost for a service is a
  separate figure (UnitCostEstimate.set_up_cost_total).
- When the one-off figure is known, set-up is counted once, as that figure, and
  the set-up share is taken out of the unit cost to give the running cost per place.
- When it is not known, the share stays inside the unit cost: running costs then
  include set-up spread over the places, and there is no separate set-up line.

Price years move with the ratio of two deflator indexes: an amount at year A
prices is amount x index(B) / index(A) at year B prices.

Cases avoided come from a yes/no outcome with a comparison group: the absolute
difference between the two groups' rates (with its 95% interval from the normal
approximation), applied to the number of children served.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from math import sqrt

from interventions import formatting

PENNY = Decimal("0.01")
Z_95 = 1.959964


class MissingPriceYear(ValueError):
    """No deflator for a price year, so a cost cannot be moved to or from it."""

    def __init__(self, year: int):
        super().__init__(f"We have no price index for {formatting.financial_year(year)}.")
        self.year = year


def pounds(amount: Decimal) -> Decimal:
    return amount.quantize(PENNY, rounding=ROUND_HALF_UP)


def convert(
    amount: Decimal, from_year: int, to_year: int, indexes: Mapping[int, Decimal]
) -> Decimal:
    """An amount at from_year prices, at to_year prices (to the penny)."""
    if from_year == to_year:
        return amount
    for year in (from_year, to_year):
        if year not in indexes:
            raise MissingPriceYear(year)
    return pounds(amount * indexes[to_year] / indexes[from_year])


@dataclass(frozen=True)
class CostFacts:
    """What a published unit cost says, in its own price year."""

    unit_cost: Decimal
    price_year: int
    set_up_share: Decimal | None = None  # inside unit_cost
    set_up_one_off: Decimal | None = None  # per service, outside unit_cost

    @property
    def set_up_separate(self) -> bool:
        return self.set_up_one_off is not None

    @property
    def running_per_place(self) -> Decimal:
        """The unit cost without its set-up share, when set-up is counted separately."""
        if self.set_up_separate and self.set_up_share:
            return self.unit_cost - self.set_up_share
        return self.unit_cost


@dataclass(frozen=True)
class LocalCost:
    places_each_year: int
    years: int
    price_year: int
    running_per_place: Decimal
    running: Decimal
    set_up: Decimal | None  # None: not known separately, so inside the running cost

    @property
    def places(self) -> int:
        return self.places_each_year * self.years

    @property
    def total(self) -> Decimal:
        return self.running + (self.set_up or Decimal("0"))

    @property
    def per_place(self) -> Decimal:
        return pounds(self.total / self.places)


def local_cost(
    facts: CostFacts,
    places_each_year: int,
    years: int,
    price_year: int,
    indexes: Mapping[int, Decimal],
) -> LocalCost:
    """The cost of serving places_each_year children (or families) a year for years,
    at price_year prices: set-up once, running costs for every place."""
    running_per_place = convert(facts.running_per_place, facts.price_year, price_year, indexes)
    set_up = None
    if facts.set_up_separate:
        set_up = convert(facts.set_up_one_off, facts.price_year, price_year, indexes)
    return LocalCost(
        places_each_year=places_each_year,
        years=years,
        price_year=price_year,
        running_per_place=running_per_place,
        running=running_per_place * places_each_year * years,
        set_up=set_up,
    )


@dataclass(frozen=True)
class RiskDifference:
    """How many fewer children (per 1) had a bad event, or more had a good one."""

    estimate: float
    ci_lower: float
    ci_upper: float

    def per_100(self) -> tuple[int, int, int]:
        return tuple(round(100 * x) for x in (self.estimate, self.ci_lower, self.ci_upper))

    @property
    def could_be_none(self) -> bool:
        return self.ci_lower <= 0


def risk_difference(
    intervention_events: int,
    intervention_n: int,
    comparison_events: int,
    comparison_n: int,
    *,
    event_is_bad: bool,
) -> RiskDifference:
    """The absolute difference in rates, the better way round, with its 95% interval."""
    p1 = intervention_events / intervention_n
    p2 = comparison_events / comparison_n
    difference = (p2 - p1) if event_is_bad else (p1 - p2)
    se = sqrt(p1 * (1 - p1) / intervention_n + p2 * (1 - p2) / comparison_n)
    return RiskDifference(difference, difference - Z_95 * se, difference + Z_95 * se)


@dataclass(frozen=True)
class CasesAvoided:
    """Expected cases for the children served, and the cost of each, with ranges."""

    cases: float
    cases_low: float
    cases_high: float
    cost_per_case: Decimal | None  # None when the estimate is no benefit at all
    cost_per_case_low: Decimal | None  # from the highest number of cases
    cost_per_case_high: Decimal | None  # None: no upper limit (could be no cases)


def cases_avoided(difference: RiskDifference, children: int, total_cost: Decimal) -> CasesAvoided:
    cases = difference.estimate * children
    low = difference.ci_lower * children
    high = difference.ci_upper * children

    def per_case(n: float) -> Decimal | None:
        return pounds(total_cost / Decimal(str(n))) if n > 0 else None

    return CasesAvoided(
        cases=cases,
        cases_low=low,
        cases_high=high,
        cost_per_case=per_case(cases),
        cost_per_case_low=per_case(high),
        cost_per_case_high=per_case(low),
    )
