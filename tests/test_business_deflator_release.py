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
    assert [(row.year, row.index, row.forecast) for row in rows] == [
        (2021, Decimal("90.000"), False),
        (2022, Decimal("95.000"), False),
        (2023, Decimal("100.000"), False),
        # Given only as a change of 3.10 per cent: 100 x 1.031, marked as a forecast.
        (2024, Decimal("103.100"), True),
    ]
    assert {(row.source, row.source_url, row.published_on) for row in rows} == {
        (
            "GDP deflators at market prices, and money GDP: a test release",
            GOV_UK_PAGE,
            date(2024, 3, 28),
        )
    }
    assert "Loaded 4 financial years, 2021-22 to 2024-25 (2023-24 = 100)" in said
    assert "Forecast years, each grown from the year before by the release's per cent " in said
    assert "change: 2024-25." in said


def test_forecast_years_chain_from_the_year_before_each_rounded_as_published():
    two_forecasts = SHAPED_LIKE_A_RELEASE.replace(
        "Sources and footnotes:", '"2025-26 (1)",-,2.00,,,2025,-,2.10\nSources and footnotes:'
    )
    table = read_csv(two_forecasts.encode())
    # 103.100 x 1.02 = 105.162: grown from the stored (rounded) year before.
    assert table.indexes[2025] == Decimal("105.162")
    assert table.forecasts == {2024, 2025}


@pytest.mark.parametrize(
    "change",
    ["-", "", "Not set", "n/a", "abc", "NaN", "Infinity", "1E+999999", "-100", "-250", "5000"],
)
def test_a_forecast_year_without_a_usable_change_is_left_out_and_said(change):
    table = read_csv(SHAPED_LIKE_A_RELEASE.replace("-,3.10,", f"-,{change},").encode())
    assert 2024 not in table.indexes
    assert table.without_index == ["2024-25"]
    assert table.forecasts == set()


def test_no_forecast_is_grown_when_the_column_after_the_index_is_not_a_change():
    money_next = SHAPED_LIKE_A_RELEASE.replace(
        "2023-24 = 100,per cent change on previous year", "2023-24 = 100,Cash £m"
    )
    table = read_csv(money_next.encode())
    assert 2024 not in table.indexes
    assert table.without_index == ["2024-25"]


@pytest.mark.parametrize("index", ["95.0x0", "0", "-95", "0.0004", "123456789", "1E+999999"])
def test_a_past_year_with_an_unusable_index_stops_the_file_and_is_never_filled_in(index):
    broken = SHAPED_LIKE_A_RELEASE.replace("2022-23,95.000", f"2022-23,{index}")
    with pytest.raises(NotADeflatorTable, match="The index for 2022-23, .* is not a number"):
        read_csv(broken.encode())


@pytest.mark.parametrize(
    "data",
    [
        b"Financial year,2023-24 = 100\n2023-24,100,\x81\xff\n",
        b'Financial year,2023-24 = 100\n2023-24,"' + b"9" * 200_000 + b'"\n',
    ],
    ids=["undefined-bytes", "field-too-large"],
)
def test_a_file_that_is_not_a_csv_table_is_refused_in_words(data):
    with pytest.raises(NotADeflatorTable, match="could not read the file as a table of text"):
        read_csv(data)


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


@pytest.mark.django_db
def test_a_release_that_prints_forecast_indexes_marks_them_when_told(tmp_path):
    printed = SHAPED_LIKE_A_RELEASE.replace(
        '"2024-25 (1), (2)",-,3.10', '"2024-25 (1)",103.500,3.50'
    )
    said = _load(_write(tmp_path, printed), forecasts_from="2024-25")
    assert list(GdpDeflator.objects.filter(forecast=True).values_list("year", "index")) == [
        (2024, Decimal("103.500"))
    ]
    assert "Years from 2024-25 on are marked as forecasts." in said


@pytest.mark.django_db
@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"forecasts_from": "next year"}, "as a financial year, like 2025-26"),
        ({"title": "t" * 301}, "--title is longer than 300 characters"),
        ({"url": "https://www.gov.uk/" + "x" * 500}, "--url is longer than 500 characters"),
    ],
)
def test_bad_options_change_nothing_and_say_why(tmp_path, overrides, message):
    before = list(GdpDeflator.objects.values_list("year", "index", "source"))
    with pytest.raises(CommandError, match=message):
        _load(_write(tmp_path, SHAPED_LIKE_A_RELEASE), **overrides)
    assert list(GdpDeflator.objects.values_list("year", "index", "source")) == before


@pytest.mark.django_db
def test_a_broken_file_changes_nothing_and_says_so(tmp_path):
    before = list(GdpDeflator.objects.values_list("year", "index", "source"))
    broken = SHAPED_LIKE_A_RELEASE.replace("2022-23,95.000", "2022-23,n0t")
    with pytest.raises(CommandError, match="The index for 2022-23.*Nothing was changed."):
        _load(_write(tmp_path, broken))
    assert list(GdpDeflator.objects.values_list("year", "index", "source")) == before
