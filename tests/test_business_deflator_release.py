"""Curators load an HM Treasury GDP deflators release from the CSV GOV.UK publishes."""

import csv
from datetime import date
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from business.deflator_release import NotADeflatorTable, read_csv
from business.models import GdpDeflator

# Real rows of the Autumn Budget 2017 release (tests/data/README.md says where from).
AUTUMN_BUDGET_2017 = Path(__file__).parent / "data" / "gdp_deflators_autumn_budget_2017_extract.csv"
GOV_UK_PAGE = (
    "https://www.gov.uk/government/statistics/"
    "gdp-deflators-at-market-prices-and-money-gdp-november-2017-autumn-budget-2017"
)

# MADE-UP figures in the release's shape, only to test loading years the calculator
# uses: a forecast year the release gives as a per cent change only, with "-" for its
# index, a footnote marker on its label, and a calendar-year block to the right.
SHAPED_LIKE_A_RELEASE = """\
"GDP DEFLATORS AT MARKET PRICES, AND MONEY GDP",,,,,,,
Outturn data are test data.,,,,,,,
Financial year,,,,,Calendar year,,
,GDP deflator at market prices,,Money GDP,,,GDP deflator at market prices,
Financial year,2023-24 = 100,per cent change on previous year,Cash £m,,Calendar year,2023 = 100,%
2021-22,90.000,,"2,000,000",,2021,89.000,
2022-23,95.000,5.56,"2,100,000",,2022,94.000,5.62
2023-24,100.000,5.26,"2,200,000",,2023,100.000,6.38
"2024-25 (1), (2)",-,3.10,,,2024,-,3.00
Sources and footnotes:,,,,,,,
(1) Forecast.,,,,,,,
"""


def _write(tmp_path, text: str) -> Path:
    path = tmp_path / "release.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _load(path: Path, **overrides) -> str:
    options = {
        "title": "GDP deflators at market prices, and money GDP: a test release",
        "url": GOV_UK_PAGE,
        "published": "2017-11-28",
        **overrides,
    }
    out = StringIO()
    call_command("load_gdp_deflators", str(path), stdout=out, **options)
    return out.getvalue()


def test_the_real_csv_shape_gives_the_financial_year_series_and_its_base_year():
    table = read_csv(AUTUMN_BUDGET_2017.read_bytes())
    assert table.base_year == 2016  # "2016-17 = 100"
    assert sorted(table.indexes) == list(range(1955, 1963))
    # The financial-year column, not the calendar-year one beside it (4.285, 5.399).
    assert table.indexes[1955] == Decimal("4.321")
    assert table.indexes[1962] == Decimal("5.387")
    assert table.without_index == []


def test_the_indexes_read_agree_with_the_releases_own_per_cent_changes():
    table = read_csv(AUTUMN_BUDGET_2017.read_bytes())
    rows = list(csv.reader(StringIO(AUTUMN_BUDGET_2017.read_text(encoding="utf-8"))))
    published_change = {int(row[0][:4]): Decimal(row[2]) for row in rows[8:]}
    assert len(published_change) == 7
    for year, change in published_change.items():
        worked_out = (table.indexes[year] / table.indexes[year - 1] - 1) * 100
        # The release works its changes out before rounding the index to 3 places.
        assert abs(worked_out - change) < Decimal("0.02"), year


def test_a_table_without_the_financial_year_heading_is_refused_in_words():
    with pytest.raises(NotADeflatorTable, match="2024-25 = 100"):
        read_csv(b"year,index\n2023,96.1\n2024,100\n")


@pytest.mark.django_db
def test_loading_replaces_the_whole_series_with_the_release(tmp_path):
    GdpDeflator.objects.update_or_create(
        year=2019,
        defaults={
            "index": Decimal("80"),
            "source": "An older release",
            "published_on": date(2020, 1, 1),
        },
    )
    said = _load(_write(tmp_path, SHAPED_LIKE_A_RELEASE), published="2024-03-28")
    rows = list(GdpDeflator.objects.order_by("year"))
    # The older release's years go too: one series, one base year, never mixed.
    assert [(row.year, row.index) for row in rows] == [
        (2021, Decimal("90.000")),
        (2022, Decimal("95.000")),
        (2023, Decimal("100.000")),
    ]
    assert {(row.source, row.source_url, row.published_on) for row in rows} == {
        (
            "GDP deflators at market prices, and money GDP: a test release",
            GOV_UK_PAGE,
            date(2024, 3, 28),
        )
    }
    assert "Loaded 3 financial years, 2021-22 to 2023-24 (2023-24 = 100)" in said
    # No index is made up for a year the release gives only as a per cent change.
    assert "The release gives no index for 2024-25." in said


@pytest.mark.django_db
def test_a_release_with_no_year_the_calculator_uses_changes_nothing(tmp_path):
    before = list(GdpDeflator.objects.values_list("year", "index", "source"))
    with pytest.raises(CommandError, match="no financial year from 2000-01"):
        _load(AUTUMN_BUDGET_2017)
    assert list(GdpDeflator.objects.values_list("year", "index", "source")) == before


@pytest.mark.django_db
def test_a_base_year_row_that_is_not_100_changes_nothing(tmp_path):
    before = GdpDeflator.objects.count()
    wrong = SHAPED_LIKE_A_RELEASE.replace("2023-24,100.000", "2023-24,99.000")
    with pytest.raises(CommandError, match="2023-24 = 100"):
        _load(_write(tmp_path, wrong))
    assert GdpDeflator.objects.count() == before


@pytest.mark.django_db
def test_the_source_must_be_the_releases_gov_uk_page(tmp_path):
    with pytest.raises(CommandError, match="GOV.UK"):
        _load(_write(tmp_path, SHAPED_LIKE_A_RELEASE), url="https://example.com/deflators")
