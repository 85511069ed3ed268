"""The cost rating follows from the unit cost through the bands in fixtures/standards.json."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

from ratings.cost_breakdown import breakdown_mismatch
from ratings.costs import CostBand, band_for

STANDARDS = Path(__file__).resolve().parent.parent / "fixtures" / "standards.json"


def store_bands() -> list[CostBand]:
    scales = json.loads(STANDARDS.read_text(encoding="utf-8"))["rating_scales"]
    cost = next(scale for scale in scales if scale["slug"] == "cost")
    return [
        CostBand(
            level["code"],
            level["label"],
            None if level["min_cost"] is None else Decimal(level["min_cost"]),
            None if level["max_cost"] is None else Decimal(level["max_cost"]),
        )
        for level in cost["levels"]
    ]


@pytest.mark.parametrize(
    ("unit_cost", "code"),
    [
        ("0.00", "1"),
        ("99.99", "1"),  # low: under £100
        ("100.00", "2"),  # medium-low: £100 to £499
        ("499.99", "2"),
        ("500.00", "3"),  # medium: £500 to £999
        ("999.99", "3"),
        ("1000.00", "4"),  # medium-high: £1,000 to £2,000
        ("2000.00", "4"),
        ("2000.01", "5"),  # high: over £2,000
        ("250000.00", "5"),
    ],
)
def test_each_unit_cost_falls_in_the_band_the_standard_gives(unit_cost, code):
    assert band_for(Decimal(unit_cost), store_bands()).code == code


def test_the_bands_cover_every_amount_once():
    bands = store_bands()
    for pence in range(0, 300_000, 7):
        amount = Decimal(pence) / 100
        assert sum(band.contains(amount) for band in bands) == 1, amount


def test_an_amount_no_band_covers_has_no_band():
    bands = [CostBand("3", "Medium", Decimal("500"), Decimal("1000"))]
    assert band_for(Decimal("1200"), bands) is None


def test_bands_describe_themselves_in_words():
    low, *_, high = store_bands()
    assert low.describe() == "under £100.00"
    assert high.describe() == "£2,000.01 or more"


# The breakdown adds up to the unit cost


def pounds(*amounts: str | None) -> list[Decimal | None]:
    return [None if amount is None else Decimal(amount) for amount in amounts]


@pytest.mark.parametrize(
    "parts",
    [
        pounds(None, None, None, None, None, None),  # no breakdown: nothing to add up
        pounds("300.00", "150.00", None, "50.00", None, None),  # exactly £500
        pounds("300.00", "150.00", None, "49.00", None, None),  # £1 short: rounding
        pounds("300.00", "150.00", None, "51.00", None, None),  # £1 over: rounding
    ],
)
def test_a_breakdown_that_adds_up_or_is_not_given_is_fine(parts):
    assert breakdown_mismatch(Decimal("500.00"), parts) is None


def test_a_breakdown_that_falls_short_says_by_how_much_and_what_to_do():
    mismatch = breakdown_mismatch(Decimal("500.00"), pounds("300.00", "150.00", None))
    assert (mismatch.parts_total, mismatch.shortfall) == (Decimal("450.00"), Decimal("50.00"))
    assert mismatch.explain() == (
        "The parts add up to £450.00, which is £50.00 less than the unit cost of £500.00. "
        "Add the missing part under Other, or correct the unit cost."
    )


def test_a_breakdown_that_comes_to_more_says_by_how_much():
    mismatch = breakdown_mismatch(Decimal("1500.00"), pounds("1200.00", "301.01"))
    assert mismatch.explain() == (
        "The parts add up to £1,501.01, which is £1.01 more than the unit cost of £1,500.00. "
        "Correct the parts, or the unit cost."
    )


def test_a_breakdown_of_only_zeros_does_not_add_up_to_a_real_cost():
    assert breakdown_mismatch(Decimal("100.00"), pounds("0.00")).shortfall == Decimal("100.00")


def test_the_demo_catalogue_breakdowns_add_up():
    """fixtures/demo-catalogue.json must import: every breakdown adds up to its unit cost."""
    demo = json.loads((STANDARDS.parent / "demo-catalogue.json").read_text(encoding="utf-8"))
    names = ["staff_time", "training", "licence", "materials", "set_up", "other"]
    estimates = [e for i in demo["interventions"] for e in i["cost_estimates"]]
    assert estimates
    for estimate in estimates:
        parts = pounds(*(estimate[name] for name in names))
        assert breakdown_mismatch(Decimal(estimate["unit_cost"]), parts) is None, estimate
