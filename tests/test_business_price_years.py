"""Price years: HM Treasury's figures as shipped, this year's prices by default, and
forecast years said to be forecasts."""

import csv
import importlib
import io
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from business.models import GdpDeflator, financial_year_of
from ratings.models import RatingScale
from tests import factories
from tests.page_text import text_of

pytestmark = pytest.mark.django_db

MARCH_2026 = (
    "GDP deflators at market prices, and money GDP March 2026 (Quarterly National Accounts)"
)
release_migration = importlib.import_module("business.migrations.0005_march_2026_release")


def _service(price_year: int, name: str = "Beacon Parenting", unit_cost=Decimal("1000")):
    """Published: £1,000 a family (or unit_cost) at price_year prices, with no set-up."""
    intervention = factories.make_intervention(name=name)
    factories.rate(intervention, RatingScale.EVIDENCE, "3")
    factories.make_cost(intervention, per="family", unit_cost=unit_cost, price_year=price_year)
    factories.publish(intervention)
    return intervention


def _costs(client, intervention, **params):
    url = reverse("business:costs", args=[intervention.slug, 1])
    return client.get(url, {"places": "40", "years": "2", **params})


@pytest.fixture
def today(monkeypatch):
    """Fix the date the pages read, so what "this year" is does not depend on the clock."""

    def on(day: date) -> None:
        monkeypatch.setattr(timezone, "localdate", lambda *args: day)

    on(date(2026, 11, 30))
    return on


@pytest.mark.parametrize(
    "day, year",
    [(date(2027, 3, 31), 2026), (date(2027, 4, 1), 2027), (date(2026, 11, 30), 2026)],
)
def test_a_financial_year_runs_from_april_to_march(day, year):
    assert financial_year_of(day) == year


def test_the_shipped_figures_are_the_treasurys_march_2026_release():
    rows = list(GdpDeflator.objects.all())
    assert [row.year for row in rows] == list(range(2000, 2031))
    assert {row.source for row in rows} == {MARCH_2026}
    assert {row.published_on for row in rows} == {date(2026, 3, 31)}
    indexes = {row.year: str(row.index) for row in rows}
    # Typed from the copy of the release (see the migration), 2024-25 = 100.
    assert {year: indexes[year] for year in (2000, 2010, 2019, 2020, 2021, 2022, 2023, 2024)} == {
        2000: "54.370",
        2010: "68.856",
        2019: "80.874",
        2020: "85.100",
        2021: "85.304",
        2022: "91.300",
        2023: "96.112",
        2024: "100.000",
    }
    assert indexes[2025] == "103.239" and indexes[2030] == "113.642"
    # Outturn to 2024-25; the Office for Budget Responsibility's forecast after it.
    assert [row.year for row in rows if row.forecast] == list(range(2025, 2031))


def test_a_cost_moves_between_price_years_by_the_treasurys_ratio(client):
    """Worked by hand: £1,000 at 2020-21 prices is 1,000 x 100.000 / 85.100 = £1,175.09
    at 2024-25 prices; 40 families for 2 years is 80 x £1,175.09 = £94,007.20."""
    text = text_of(_costs(client, _service(2020), price_year="2024"))
    assert "at 2024 to 2025 prices, the total cost is about £94,007.20" in text
    assert "2020 to 2021: 85.100; 2024 to 2025: 100.000" in text
    assert f"Source: {MARCH_2026}, published 31 March 2026." in text
    assert "forecast" not in text.split("Price indexes used")[1].split("Work out")[0]


def test_without_a_price_year_the_costs_are_at_this_years_prices(client, today):
    response = _costs(client, _service(2024))
    text = text_of(response)
    # 30 November 2026 is in 2026 to 2027: £1,000 x 105.310 / 100.000, for 80 places.
    assert "at 2026 to 2027 prices, the total cost is about £84,248" in text
    page = response.content.decode()
    assert '<option value="">This year (2026 to 2027, a forecast)</option>' in page
    assert '<option value="2026">2026 to 2027 (forecast)</option>' in page
    assert '<option value="2024">2024 to 2025</option>' in page


@pytest.mark.parametrize(
    "day, year", [(date(2027, 3, 31), 2026), (date(2027, 4, 1), 2027), (date(2024, 4, 1), 2024)]
)
def test_this_year_changes_on_the_first_of_april(client, today, day, year):
    today(day)
    text = text_of(_costs(client, _service(2024)))
    assert f"at {year} to {year + 1} prices, the total cost is about" in text


def test_figures_that_stop_before_this_year_give_the_latest_year_they_have(client, today):
    GdpDeflator.objects.filter(year__gte=2025).delete()
    response = _costs(client, _service(2023))
    assert "at 2024 to 2025 prices" in text_of(response)
    assert '<option value="">The nearest year we have (2024 to 2025)</option>' in (
        response.content.decode()
    )


def test_figures_that_start_after_this_year_give_the_nearest_year(client, today):
    GdpDeflator.objects.filter(year__lte=2026).delete()
    response = _costs(client, _service(2028))
    text = text_of(response)
    assert "at 2027 to 2028 prices" in text
    assert '<option value="">The nearest year we have (2027 to 2028, a forecast)</option>' in (
        response.content.decode()
    )


def test_a_cost_at_a_forecast_years_prices_says_so_when_moved(client):
    text = text_of(_costs(client, _service(2025), price_year="2024"))
    assert "2024 to 2025: 100.000; 2025 to 2026: 103.239 (a forecast)" in text
    assert "Prices for 2025 to 2026 rest on a forecast of price rises" in text
    assert "figures for that year are known" in text
    both = text_of(_costs(client, _service(2025, "Other"), price_year="2027"))
    assert "Prices for 2025 to 2026 and 2027 to 2028 rest on a forecast" in both
    assert "figures for those years are known" in both


def test_prices_of_a_forecast_year_say_they_rest_on_a_forecast(client):
    text = text_of(_costs(client, _service(2024), price_year="2026"))
    # £1,000 x 105.310 / 100.000 = £1,053.10 a family; 80 of them.
    assert "at 2026 to 2027 prices, the total cost is about £84,248" in text
    assert "2026 to 2027: 105.310 (a forecast)" in text
    assert "Prices for 2026 to 2027 rest on a forecast of price rises" in text


def test_the_comparison_and_its_download_say_when_prices_rest_on_a_forecast(client):
    one, two = _service(2023, "Service A"), _service(2024, "Service B")
    query = [("i", one.slug), ("i", two.slug), ("places", "40"), ("years", "2")]
    query.append(("price_year", "2027"))
    text = text_of(client.get(reverse("business:compare"), query))
    assert "with costs at 2027 to 2028 prices" in text
    assert "Prices for 2027 to 2028 rest on a forecast" in text
    rows = csv.reader(io.StringIO(client.get(reverse("business:compare_csv"), query).text))
    cells = {row[0]: row[1:] for row in rows if row}
    assert cells["Forecast"][0].startswith("Prices for 2027 to 2028 rest on a forecast")
    # £1,000 x 107.355 / 96.112 = £1,116.98; and x 107.355 / 100.000 = £1,073.55.
    assert cells["Unit cost at 2027 to 2028 prices"] == [
        "£1,116.98 per family",
        "£1,073.55 per family [Lowest unit cost]",
    ]


def test_the_release_replaces_only_the_illustrative_figures():
    """A site whose curators loaded a release keeps it when the migration runs."""
    GdpDeflator.objects.all().delete()
    GdpDeflator.objects.create(
        year=2024, index=Decimal("100"), source="A later release", published_on=date(2026, 9, 30)
    )
    release_migration.replace_illustrative(apps, None)
    assert list(GdpDeflator.objects.values_list("year", "source")) == [(2024, "A later release")]

    GdpDeflator.objects.all().delete()
    GdpDeflator.objects.create(
        year=2015,
        index=Decimal("73.934"),
        source=release_migration.ILLUSTRATIVE,
        published_on=date(2025, 10, 1),
    )
    release_migration.replace_illustrative(apps, None)
    assert set(GdpDeflator.objects.values_list("source", flat=True)) == {MARCH_2026}
    assert GdpDeflator.objects.count() == 31


def test_with_no_price_indexes_each_cost_keeps_its_own_price_year(client):
    one = _service(2023, "Service A")
    two = _service(2024, "Service B", unit_cost=Decimal("900"))
    GdpDeflator.objects.all().delete()
    query = [("i", one.slug), ("i", two.slug), ("places", "40"), ("years", "2")]
    rows = csv.reader(io.StringIO(client.get(reverse("business:compare_csv"), query).text))
    cells = {row[0]: row[1:] for row in rows if row}
    # Costs at different price years are not compared: neither is marked the lowest.
    assert cells["Price year"] == ["Each cost's own"]
    assert cells["Unit cost at each cost's own price year"] == [
        "£1,000 per family at 2023 to 2024 prices",
        "£900 per family at 2024 to 2025 prices",
    ]
    assert cells["Local cost: total"] == [
        "£80,000 at 2023 to 2024 prices",
        "£72,000 at 2024 to 2025 prices",
    ]
    text = text_of(_costs(client, one))
    assert "at 2023 to 2024 prices, the total cost is about £80,000" in text
    page = client.get(reverse("business:costs", args=[one.slug, 1])).content.decode()
    assert '<option value="">The year of each cost</option>' in page


def test_a_cost_whose_price_year_has_no_index_is_not_compared_with_the_others(client):
    old = _service(2019, "Service A", unit_cost=Decimal("500"))
    new = _service(2024, "Service B")
    GdpDeflator.objects.filter(year=2019).delete()
    query = [("i", old.slug), ("i", new.slug), ("places", "40"), ("years", "2")]
    query.append(("price_year", "2024"))
    rows = csv.reader(io.StringIO(client.get(reverse("business:compare_csv"), query).text))
    cells = {row[0]: row[1:] for row in rows if row}
    assert cells["Local cost: total"] == [
        "£40,000. We have no price index for 2019 to 2020. "
        "Its costs are shown at 2019 to 2020 prices instead.",
        "£80,000",
    ]
