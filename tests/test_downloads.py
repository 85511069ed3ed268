"""Downloads: the list's results, same filters and sort, every page, as CSV and JSON."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.utils.text import slugify

from interventions.models import Intervention, NeedLevel, Outcome, OutcomeDomain
from ratings.models import RatingScale, UnitCostEstimate
from tests import catalogues, factories
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db

CSV, JSON = "/interventions/download.csv", "/interventions/download.json"


def rows_of(response) -> list[dict[str, str]]:
    text = response.getvalue().decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def described(name: str, **overrides) -> Intervention:
    """A published intervention with everything a download shows, tested in the UK."""
    overrides.setdefault("slug", slugify(name))
    intervention = factories.make_intervention(
        name=name,
        min_age_months=36,
        max_age_months=132,
        available_in_uk=True,
        evidence_last_reviewed=date(2025, 11, 3),
        **overrides,
    )
    domain, _ = OutcomeDomain.objects.get_or_create(
        slug="mental-health", defaults={"name": "Mental health and wellbeing"}
    )
    behaviour, _ = Outcome.objects.get_or_create(
        slug="behaviour", defaults={"name": "Behaviour problems", "domain": domain}
    )
    intervention.target_outcomes.add(behaviour)
    intervention.need_levels.add(
        NeedLevel.objects.get_or_create(slug="universal", defaults={"name": "Universal"})[0]
    )
    factories.rate(intervention, RatingScale.EVIDENCE, "3")
    UnitCostEstimate.record(
        intervention=intervention, unit_cost=Decimal("850.00"), price_year=2025, per="family"
    )
    catalogues.uk_trial(intervention, outcome=behaviour)
    factories.publish(intervention)
    return intervention


def test_csv_has_the_columns_a_commissioner_needs(client, scales):
    described("Hearthstone Parent Group")

    response = client.get(CSV)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="interventions-')
    assert response["Content-Disposition"].endswith('.csv"')
    [row] = rows_of(response)
    assert row == {
        "Name": "Hearthstone Parent Group",
        "Link": "http://testserver/interventions/hearthstone-parent-group/",
        "Ages": "3 to 11 years",
        "Youngest age (months)": "36",
        "Oldest age (months)": "132",
        "Outcomes it aims to improve": "Mental health and wellbeing: Behaviour problems",
        "Evidence level": "3",
        "Evidence level meaning": "Evidence of a short-term effect",
        "Cost rating": "3",
        "Cost rating meaning": "Medium",
        "Unit cost (£)": "850.00",
        "Unit cost is for each": "family",
        "Price year": "2025",
        "Tested in the UK": "Yes",
        "Available in the UK": "Yes",
        "Levels of need": "Targeted selected; Universal",
        "Evidence last reviewed": "2025-11-03",
    }


def test_json_has_the_same_facts_typed(client, scales):
    described("Hearthstone Parent Group")

    response = client.get(JSON)

    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"].endswith('.json"')
    document = json.loads(response.getvalue())
    assert document["count"] == 1
    [item] = document["interventions"]
    assert item["name"] == "Hearthstone Parent Group"
    assert item["min_age_months"] == 36 and item["price_year"] == 2025
    assert item["uk_tested"] is True and item["available_in_uk"] is True
    assert item["outcomes"] == ["Mental health and wellbeing: Behaviour problems"]
    assert item["evidence_level"] == "3" and item["cost_label"] == "Medium"
    assert item["unit_cost"] == "850.00"


def test_a_download_has_the_lists_results_in_its_order_on_every_page(client, scales):
    catalogues.make_terms()
    for n in range(25):
        intervention = factories.make_intervention(
            name=f"Programme {n:02d}", available_in_uk=n != 7
        )
        factories.rate(intervention, RatingScale.EVIDENCE, ["2", "3", "4"][n % 3])
        factories.publish(intervention)
    factories.make_intervention(
        name="Programme Draft", status=Intervention.Status.DRAFT, available_in_uk=True
    )
    query = {"available": "yes", "sort": "evidence"}

    shown = []
    for page in ("1", "2"):
        shown += catalogues.read(client.get("/interventions/", {**query, "page": page})).names
    from_csv = [row["Name"] for row in rows_of(client.get(CSV, query))]
    from_json = [
        item["name"] for item in json.loads(client.get(JSON, query).getvalue())["interventions"]
    ]

    assert len(shown) == 24
    assert from_csv == shown == from_json
    assert "Programme Draft" not in from_csv


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, scales):
    for n, name in enumerate(["=HYPERLINK(1)", "+SUM(1)", "-2+3", "@cmd"]):
        described(name, slug=f"formula-{n}")

    names = [row["Name"] for row in rows_of(client.get(CSV, {"sort": "name"}))]
    ages = [row["Youngest age (months)"] for row in rows_of(client.get(CSV))]

    assert sorted(names) == sorted(["'=HYPERLINK(1)", "'+SUM(1)", "'-2+3", "'@cmd"])
    assert ages == ["36"] * 4  # numbers are left alone


def test_a_download_refuses_values_it_does_not_recognise(client, scales):
    described("Hearthstone Parent Group")

    for query in [{"topic": "no-such-topic"}, {"sort": "sideways"}, {"evidence": "NL2"}]:
        response = client.get(CSV, query)
        assert response.status_code == 400
        assert "We could not make this download" in response.content.decode()


def test_the_page_number_does_not_limit_a_download(client, scales):
    described("Hearthstone Parent Group")

    assert len(rows_of(client.get(CSV, {"page": "7"}))) == 1


@pytest.mark.parametrize("size", [1, 30])
def test_downloads_run_a_fixed_number_of_queries(client, scales, size):
    for n in range(size):
        described(f"Programme {n:02d}")

    for url in (CSV, JSON):
        with assert_queries(3):
            # 1 the options of every filter (taxonomies and rating levels) in one SELECT;
            # 2 the synonym groups that widen the search; 3 the listing rows, which carry
            # everything a row of the file needs (ratings, cost, outcome and need-level
            # names, as published).
            response = client.get(url, {"need": "universal", "q": "programme", "sort": "cost"})
            body = response.getvalue()  # the rows are read as the file streams
        assert response.status_code == 200
    assert len(json.loads(body)["interventions"]) == size


@pytest.mark.parametrize("url", [CSV, JSON])
def test_downloads_stream_their_first_bytes_before_reading_the_rows(client, scales, url):
    described("Hearthstone Parent Group")

    with assert_queries(1):
        # 1 the options of every filter: the rows are not read yet.
        response = client.get(url)
        first = next(iter(response.streaming_content))
    assert response.streaming
    assert first.startswith(("\ufeff".encode(), b"{"))
    assert b"Hearthstone Parent Group" in first + response.getvalue()


def test_an_empty_json_download_is_a_valid_document(client, scales):
    document = json.loads(client.get(JSON, {"q": "nothing-matches-this"}).getvalue())
    assert document["count"] == 0
    assert document["interventions"] == []


def test_a_download_longer_than_one_chunk_has_every_row_once(client, scales, monkeypatch):
    from publishing import downloads

    monkeypatch.setattr(downloads, "CHUNK", 2)  # rows read two at a time
    for n in range(5):
        described(f"Programme {n:02d}")

    names = [row["Name"] for row in rows_of(client.get(CSV))]
    document = json.loads(client.get(JSON).getvalue())

    assert names == [f"Programme {n:02d}" for n in range(5)]
    assert [item["name"] for item in document["interventions"]] == names
    assert document["count"] == 5
