"""The open API: the same answers as the pages, only what is published, documented
by a schema that validates, cheap to ask again (ETag) and readable from any site."""

import pytest
from django.db import transaction
from django.urls import reverse
from openapi_spec_validator import validate

from api.endpoints import api
from interventions.models import Intervention
from publishing.models import Listing
from ratings.models import Finding
from tests import catalogues, factories
from tests.page_text import text_of
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db

LIST = "/api/v1/interventions"


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield catalogues.build(size=16)
        transaction.set_rollback(True)


def api_names(client, query: str = "") -> list[str]:
    response = client.get(LIST + query)
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


@pytest.mark.parametrize(("key", "value"), catalogues.every_option())
def test_each_filter_gives_the_same_interventions_as_the_list_page(client, catalogue, key, value):
    query = f"?{key}={value}"
    page = client.get(reverse("interventions:list") + query)
    answer = client.get(LIST + query).json()
    wanted = catalogues.expected(catalogue, {key: [value]})
    assert {row["name"] for row in answer["results"]} == wanted
    assert set(catalogues.read(page).names) == wanted
    assert answer["count"] == len(wanted)


@pytest.mark.parametrize("sort", ["name", "evidence", "cost", "updated"])
def test_each_sort_gives_the_list_pages_order(client, catalogue, sort):
    page = client.get(reverse("interventions:list") + f"?sort={sort}&topic=neglect")
    assert api_names(client, f"?sort={sort}&topic=neglect") == catalogues.read(page).names


def test_search_ranks_as_the_list_page_does(client, catalogue):
    page = client.get(reverse("interventions:list") + "?q=programme&sort=relevance")
    names = api_names(client, "?q=programme&sort=relevance")
    assert names == catalogues.read(page).names
    assert len(names) == len([spec for spec in catalogue if spec.published])


def test_drafts_never_appear_in_the_list_or_by_address(client, catalogue):
    # catalogues.build stores two drafts after the sixteen, matching every filter.
    drafts = ["programme-016", "programme-017"]
    everything = client.get(LIST + "?archived=yes").json()
    assert everything["count"] == len(catalogue) == 16
    names = {row["name"] for row in everything["results"]}
    for slug in drafts:
        assert Intervention.objects.filter(slug=slug).exists()
        assert slug.replace("programme-", "Programme ") not in names
        assert client.get(f"{LIST}/{slug}").status_code == 404


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("?evidence=9", "We do not recognise that evidence strength, so that filter is not used."),
        ("?sort=sideways", "We cannot sort the results that way, so they are in the usual order."),
        ("?age=200-years", "We do not recognise that age group, so all ages are shown."),
        ("?uk_tested=maybe", "“Tested in the UK” can only be ticked or not"),
    ],
)
def test_a_bad_parameter_gets_a_400_in_the_list_pages_words(client, catalogue, query, words):
    response = client.get(LIST + query)
    assert response.status_code == 400
    assert any(words in problem for problem in response.json()["detail"])
    assert words in text_of(client.get(reverse("interventions:list") + query))


@pytest.mark.parametrize("page", ["0", "abc", "٣", "-1", "1.5"])
def test_a_page_that_is_not_a_whole_number_is_a_400(client, catalogue, page):
    response = client.get(LIST + f"?page={page}")
    assert response.status_code == 400
    assert response.json()["detail"] == ["That page number is not valid."]


def test_a_page_past_the_last_says_which_is_the_last(client, catalogue):
    response = client.get(LIST + "?page=7")
    assert response.status_code == 400
    assert response.json()["detail"] == ["There is no page 7. The last page is 1."]


def test_pages_link_to_each_other(client, db, scales):
    for n in range(21):
        factories.publish(factories.make_intervention(name=f"Paged {n:02d}", slug=f"paged-{n:02d}"))
    first = client.get(LIST + "?q=paged&sort=name").json()
    assert (first["count"], first["pages"], len(first["results"])) == (21, 2, 20)
    second = client.get(first["next"]).json()
    assert [row["name"] for row in second["results"]] == ["Paged 20"]
    assert second["previous"].endswith("page=1") and second["next"] is None


# --- One intervention, its versions and its studies -------------------------------------


@pytest.fixture
def programme(db, scales):
    intervention = factories.make_intervention(
        name="Hearthstone Parent Group", slug="hearthstone-parent-group"
    )
    study = factories.make_study(intervention, title="A first trial of Hearthstone")
    factories.make_finding(study, intervention)
    factories.rate(intervention, "evidence-strength", "3", reason="One rigorous study.")
    factories.make_cost(intervention)
    factories.publish(intervention, note="First published.")
    return intervention


def test_an_intervention_gives_its_findings_numbers_as_computed(client, programme):
    answer = client.get(f"{LIST}/hearthstone-parent-group").json()
    finding = Finding.objects.get(intervention=programme)
    shown = answer["studies"][0]["findings"][0]
    assert shown["effect_size"] == pytest.approx(finding.effect_size)
    assert shown["effect_se"] == pytest.approx(finding.effect_se)
    assert shown["effect_ci_lower"] == pytest.approx(finding.effect_ci_lower)
    assert shown["effect_ci_upper"] == pytest.approx(finding.effect_ci_upper)
    assert shown["improvement_index"] == pytest.approx(finding.improvement_index)
    assert shown["effect_method"] == finding.effect_method
    assert shown["statistics"]["intervention_mean"] is not None
    assert [r["level"]["code"] for r in answer["ratings"]] == ["3"]
    assert answer["cost_estimates"][0]["current"] is True
    # The study page shows the same effect size, to two places.
    page = text_of(client.get(reverse("ratings:study", args=[finding.study_id])))
    assert f"{finding.effect_size:.2f}" in page


def test_a_study_gives_its_findings_and_the_interventions_showing_it(client, programme):
    finding = Finding.objects.get(intervention=programme)
    answer = client.get(f"/api/v1/studies/{finding.study_id}").json()
    assert answer["interventions"] == ["hearthstone-parent-group"]
    assert answer["study"]["title"] == "A first trial of Hearthstone"
    assert answer["study"]["findings"][0]["effect_size"] == pytest.approx(finding.effect_size)
    assert answer["only_in_earlier_version"] is None
    assert client.get("/api/v1/studies/999999").status_code == 404
    assert client.get(f"/api/v1/studies/{2**63}").status_code == 404


def test_a_study_only_an_earlier_version_showed_keeps_its_answer(client, programme):
    study = programme.studies.get()
    study.interventions.remove(programme)
    programme.findings.all().delete()
    factories.publish(programme, note="The trial was withdrawn.")
    answer = client.get(f"/api/v1/studies/{study.pk}").json()
    assert answer["interventions"] == []
    assert answer["only_in_earlier_version"]["number"] == 1
    assert answer["study"]["title"] == "A first trial of Hearthstone"


def test_versions_stay_as_published_and_unpublished_edits_never_show(client, programme):
    programme.summary = "A second, reviewed summary."
    programme.save()
    factories.publish(programme, note="Summary rewritten.", change="minor")
    programme.name = "An unpublished draft name"
    programme.save()
    listed = client.get(f"{LIST}/hearthstone-parent-group/versions").json()
    assert [(v["number"], v["change_note"]) for v in listed] == [
        (2, "Summary rewritten."),
        (1, "First published."),
    ]
    assert listed[0]["changes_url"].endswith("/changes/?from=1&to=2")
    first = client.get(listed[1]["url"]).json()
    assert first["details"]["summary"] != "A second, reviewed summary."
    assert first["latest_version"] == 2
    current = client.get(f"{LIST}/hearthstone-parent-group").json()
    assert current["details"]["summary"] == "A second, reviewed summary."
    assert "An unpublished draft name" not in str(client.get(LIST).content)
    assert current["name"] == "Hearthstone Parent Group"
    assert client.get(f"{LIST}/hearthstone-parent-group/versions/3").status_code == 404
    assert client.get(f"{LIST}/hearthstone-parent-group/versions/x").status_code == 404
    assert client.get(f"{LIST}/a%00b").status_code == 404
    assert client.get(f"{LIST}/a%00b/versions").status_code == 404


def test_a_never_published_intervention_is_not_found(client, db, scales):
    factories.make_intervention(name="Only a draft", slug="only-a-draft")
    assert client.get(f"{LIST}/only-a-draft").status_code == 404
    assert client.get(f"{LIST}/only-a-draft/versions").status_code == 404
    everything = client.get(LIST + "?archived=yes&q=draft").json()
    assert "Only a draft" not in [row["name"] for row in everything["results"]]


def test_rating_scales_list_every_level_and_taxonomies_every_term(client, programme):
    scales = {s["slug"]: s for s in client.get("/api/v1/rating-scales").json()}
    assert [lv["code"] for lv in scales["evidence-strength"]["levels"]] == [
        "NE",
        "NL2",
        "2",
        "3",
        "4",
    ]
    terms = client.get("/api/v1/taxonomies").json()
    assert {"slug": "parenting", "name": "Parenting"} in terms["topics"]
    assert terms["outcome_areas"][0]["outcomes"]


# --- Query counts -----------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 5])
def test_query_counts_do_not_grow_with_the_catalogue(client, db, scales, size):
    for n in range(size):
        intervention = factories.make_intervention(name=f"Counted {n}", slug=f"counted-{n}")
        study = factories.make_study(intervention)
        factories.make_finding(study, intervention)
        factories.publish(intervention)
    study_id = Listing.objects.get(slug="counted-0").study_ids[0]
    # The filter options in one query (Options.load), one count, one page of rows.
    with assert_queries(3):
        assert client.get(LIST).status_code == 200
    # The listing with its version.
    with assert_queries(1):
        assert client.get(f"{LIST}/counted-0").status_code == 200
    # The listing, then the versions.
    with assert_queries(2):
        assert client.get(f"{LIST}/counted-0/versions").status_code == 200
    # The listing, then the version.
    with assert_queries(2):
        assert client.get(f"{LIST}/counted-0/versions/1").status_code == 200
    # The listings showing it, with their versions.
    with assert_queries(1):
        assert client.get(f"/api/v1/studies/{study_id}").status_code == 200
    # Scales, then their levels.
    with assert_queries(2):
        assert client.get("/api/v1/rating-scales").status_code == 200
    # Outcomes with their areas, then five other taxonomies.
    with assert_queries(6):
        assert client.get("/api/v1/taxonomies").status_code == 200


# --- HTTP: ETags, CORS ------------------------------------------------------------------


def test_asking_again_with_the_etag_gets_304_until_something_is_published(client, programme):
    first = client.get(f"{LIST}/hearthstone-parent-group")
    etag = first["ETag"]
    again = client.get(f"{LIST}/hearthstone-parent-group", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304 and again.content == b""
    programme.summary = "Changed and published."
    programme.save()
    factories.publish(programme, note="New summary.")
    changed = client.get(f"{LIST}/hearthstone-parent-group", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200 and changed["ETag"] != etag


def test_any_site_may_read_but_the_headers_offer_nothing_but_reading(client, programme):
    response = client.get(LIST, HTTP_ORIGIN="https://example.org")
    assert response["Access-Control-Allow-Origin"] == "*"
    preflight = client.options(
        LIST,
        HTTP_ORIGIN="https://example.org",
        HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
        HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert client.post(LIST).status_code == 405
    # The site's own pages are not opened to other sites.
    assert "Access-Control-Allow-Origin" not in client.get(reverse("interventions:list"))


# --- The schema and its documentation ---------------------------------------------------

SAMPLE_VALUES = {
    "q": "hearthstone",
    "age": "3-4",
    "domain": "mental-health",
    "outcome": "behaviour-problems",
    "evidence": "3",
    "cost": "5",
    "uk_tested": "yes",
    "available": "yes",
    "need": "targeted",
    "setting": "home",
    "delivery": "group",
    "topic": "neglect",
    "archived": "yes",
    "sort": "evidence",
    "page": "1",
    "slug": "hearthstone-parent-group",
    "number": "1",
    "study_id": None,  # the fixture's study
}


def test_the_schema_is_valid_openapi_3(client, db):
    schema = client.get("/api/v1/openapi.json").json()
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_every_documented_parameter_is_exercised_and_answers(client, catalogue, programme):
    schema = api.get_openapi_schema(path_prefix="/api/v1")
    study_id = Finding.objects.get(intervention=programme).study_id
    documented = {
        (path, p["name"], p["in"])
        for path, methods in schema["paths"].items()
        for operation in methods.values()
        for p in operation.get("parameters", [])
    }
    assert {name for _, name, _ in documented} == set(SAMPLE_VALUES)
    values = SAMPLE_VALUES | {"study_id": str(study_id)}
    for path, name, where in sorted(documented):
        address = path
        for _, other, kind in documented:
            if kind == "path" and "{" + other + "}" in address:
                address = address.replace("{" + other + "}", values[other])
        query = f"?{name}={values[name]}" if where == "query" else ""
        response = client.get(address + query)
        assert response.status_code == 200, (address, query, response.content)
        if where == "query" and name not in ("page", "sort", "archived", "q"):
            # The filter applies: the same answer as the list page's count.
            page = catalogues.read(client.get(reverse("interventions:list") + query))
            assert response.json()["count"] == len(page.names), name


def test_the_docs_page_lists_every_address_without_inline_script(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    text = text_of(response)
    for path in api.get_openapi_schema(path_prefix="/api/v1")["paths"]:
        assert path in text
    assert "<script>" not in response.content.decode()
    assert "openapi.json" in text
