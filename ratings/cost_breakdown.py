"""A unit cost's breakdown adds up to the unit cost.

The breakdown is optional. When any part is given, the parts (staff time,
training, licence, materials, set-up spread per unit, other; a missing part
counts as £0) must add up to the unit cost, give or take £1 for rounding.
UnitCostEstimate.clean (which the admin asks), the catalogue import and the
database constraint cost_breakdown_adds_up all use this one statement of it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

TOLERANCE = Decimal("1.00")


@dataclass(frozen=True)
class Mismatch:
    parts_total: Decimal
    unit_cost: Decimal

    @property
    def shortfall(self) -> Decimal:
        """How much less the parts add up to than the unit cost (negative: more)."""
        return self.unit_cost - self.parts_total

    def explain(self) -> str:
        """The admin's message, in pounds."""
        total, unit_cost = f"£{self.parts_total:,.2f}", f"£{self.unit_cost:,.2f}"
        if self.shortfall > 0:
            return (
                f"The parts add up to {total}, which is £{self.shortfall:,.2f} less than the "
                f"unit cost of {unit_cost}. Add the missing part under Other, or correct the "
                "unit cost."
            )
        return (
            f"The parts add up to {total}, which is £{-self.shortfall:,.2f} more than the "
            f"unit cost of {unit_cost}. Correct the parts, or the unit cost."
        )


def breakdown_mismatch(unit_cost: Decimal, parts: Iterable[Decimal | None]) -> Mismatch | None:
    """Why the parts do not add up to the unit cost, or None when they do (or none is given)."""
    given = [part for part in parts if part is not None]
    if not given:
        return None
    mismatch = Mismatch(sum(given, Decimal("0")), unit_cost)
    return mismatch if abs(mismatch.shortfall) > TOLERANCE else None
