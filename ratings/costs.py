"""The cost rating follows from the unit cost, through the bands of the cost scale.

Bands are data (each cost level's min_cost and max_cost); a band includes its
minimum and excludes its maximum. Pure functions, so the admin, the import
and the tests share one rule.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class CostBand:
    code: str
    label: str
    min_cost: Decimal | None
    max_cost: Decimal | None

    def contains(self, amount: Decimal) -> bool:
        above_min = self.min_cost is None or amount >= self.min_cost
        below_max = self.max_cost is None or amount < self.max_cost
        return above_min and below_max

    def describe(self) -> str:
        if self.min_cost is None:
            return f"under £{self.max_cost:,.2f}"
        if self.max_cost is None:
            return f"£{self.min_cost:,.2f} or more"
        return f"from £{self.min_cost:,.2f} up to, but not including, £{self.max_cost:,.2f}"


def band_for(amount: Decimal, bands: Iterable[CostBand]) -> CostBand | None:
    """The band a unit cost falls in, or None when no band covers it."""
    return next((band for band in bands if band.contains(amount)), None)
