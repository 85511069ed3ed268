"""The bulk open data: every finding with its effect size in one CSV, the whole
published catalogue in one JSON file, rebuilt on publication, never a draft."""

import csv
import io
import json

import pytest
from django.utils.http import parse_http_date

from opendata.models import DataFile
from publishing.publish import archive
from ratings.models import Finding
from tests import factories
from tests.page_text import text_of
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db


def table(client, name: str) -> list[dict]:
    response = client.get(f"/data/{name}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert parse_http_date(response["Last-Modified"])
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


@pytest.fixture
def programme(scales):
    intervention = factories.make_intervention(
        name="Hearthstone Parent Group", slug="hearthstone-parent-group"
    )
    study = factories.make_study(intervention, title="A first trial of Hearthstone")
    factories.make_finding(study, intervention)
    factories.rate(intervention, "evidence-strength", "3", reason="One rigorous study.")
    factories.publish(intervention, note="First published.")
    return intervention


def test_every_finding_with_its_effect_size_is_in_one_csv(client, programme):
    finding = Finding.objects.get(intervention=programme)
    rows = table(client, "findings.csv")
    assert len(rows) == 1
    assert rows[0]["intervention"] == "hearthstone-parent-group"
    assert float(rows[0]["effect_size"]) == pytest.approx(finding.effect_size)
    assert float(rows[0]["effect_ci_lower"]) == pytest.approx(finding.effect_ci_lower)
    assert float(rows[0]["improvement_index"]) == pytest.approx(finding.improvement_index, abs=1e-3)
    # The API gives the same number for the same finding.
    api = client.get(f"/api/v1/studies/{finding.study_id}").json()
    assert api["study"]["findings"][0]["effect_size"] == pytest.approx(
        float(rows[0]["effect_size"])
    )


def test_the_tables_hold_interventions_studies_and_ratings(client, programme):
    assert [r["name"] for r in table(client, "interventions.csv")] == ["Hearthstone Parent Group"]
    assert [r["title"] for r in table(client, "studies.csv")] == ["A first trial of Hearthstone"]
    ratings = table(client, "ratings.csv")
    assert [(r["scale"], r["code"], r["current"]) for r in ratings] == [
        ("evidence-strength", "3", "Yes")
    ]


def test_no_draft_reaches_any_file(client, programme):
    factories.make_intervention(name="Secret draft", slug="secret-draft")
    programme.summary = "An unpublished summary."
    programme.save()
    for name in ["catalogue.json", "interventions.csv", "studies.csv", "findings.csv"]:
        body = client.get(f"/data/{name}").content.decode("utf-8-sig")
        assert "Secret draft" not in body and "An unpublished summary." not in body, name


def test_the_files_are_rebuilt_when_something_is_published_or_archived(client, programme):
    assert len(table(client, "interventions.csv")) == 1
    assert DataFile.objects.count() == 5
    factories.publish(factories.make_intervention(name="Riverside Mentoring", slug="riverside"))
    assert DataFile.objects.count() == 0  # the signal forgot the old files
    assert len(table(client, "interventions.csv")) == 2
    archive(programme, reason="No longer offered.")
    rows = {r["slug"]: r["archived"] for r in table(client, "interventions.csv")}
    assert rows == {"hearthstone-parent-group": "Yes", "riverside": "No"}


def test_a_built_file_is_served_in_two_queries(client, programme):
    client.get("/data/findings.csv")
    # The stored file, then the fingerprint of the listing to check it is current.
    with assert_queries(2):
        client.get("/data/findings.csv")


def test_the_catalogue_file_is_the_catalogue_format_with_published_versions(client, programme):
    response = client.get("/data/catalogue.json")
    assert response["Content-Type"] == "application/json"
    document = json.loads(response.content)
    assert document["format"] == "evidence-store-catalogue"
    assert document["licence"] == "Open Government Licence v3.0"
    (entry,) = document["interventions"]
    assert entry["slug"] == "hearthstone-parent-group"
    assert [v["change_note"] for v in entry["versions"]] == ["First published."]
    assert entry["versions"][0]["content"]["studies"][0]["title"] == "A first trial of Hearthstone"


def test_an_unknown_file_is_not_found(client, db):
    assert client.get("/data/passwords.csv").status_code == 404
    assert client.post("/data/findings.csv").status_code == 405


def test_the_data_page_states_the_licence_every_column_and_when_it_changed(client, programme):
    # When the catalogue last changed (one aggregate), and the demo notice's catalogue row.
    with assert_queries(2):
        text = text_of(client.get("/data/"))
    assert "Open Government Licence v3.0" in text
    assert "The data last changed on" in text
    for column in ["effect_size", "improvement_index", "source_location", "superseded_at"]:
        assert column in text


def test_links_in_the_files_use_the_sites_address_not_the_visitors_host(
    client, programme, settings
):
    settings.SITE_URL = "https://evidence-store.example.org"
    settings.ALLOWED_HOSTS = ["testserver", "127.0.0.1"]
    body = client.get("/data/interventions.csv", HTTP_HOST="127.0.0.1:1").content.decode()
    assert "https://evidence-store.example.org/interventions/hearthstone-parent-group/" in body
    assert "127.0.0.1:1" not in body
