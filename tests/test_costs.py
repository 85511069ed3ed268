"""The cost rating follows from the unit cost through the bands in fixtures/standards.json."""

import json
from decimal import Decimal
from pathlib import Path

import pytest

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
