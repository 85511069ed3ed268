"""The list's filters: exactly the published interventions that match, with honest counts.

Every answer is checked against the same catalogue read as plain Python
(tests/catalogues.py), not against the database's own opinion.
"""

import random
import re
from html import unescape

import pytest
from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from publishing.filters import find, list_state, state
from publishing.models import Listing
from tests import catalogues, factories

pytestmark = pytest.mark.django_db

OUTCOMES = ("domain", "outcome")
LIST = "/interventions/"


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    """One varied catalogue for the module, rolled back at its end: tests only read it
    (each test's own changes roll back with the test)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield catalogues.build(size=16)
        transaction.set_rollback(True)


def params_of(choices: dict[str, list[str]]) -> dict[str, list[str]]:
    return {key: values for key, values in choices.items() if values}


# --- Each filter on its own ------------------------------------------------------------


@pytest.mark.parametrize(("key", "value"), catalogues.every_option())
def test_each_option_gives_exactly_the_matching_published_interventions(
    client, catalogue, key, value
):
    response = client.get(LIST, {key: value})

    assert response.status_code == 200
    wanted = catalogues.expected(catalogue, {key: [value]})
    assert catalogues.result_names(response) == wanted
    assert f"{len(wanted)} intervention" in text_of(response)


@pytest.mark.parametrize(
    ("key", "value"), [option for option in catalogues.every_option() if option[0] in OUTCOMES]
)
def test_aims_to_improve_reads_what_each_sets_out_to_improve(client, catalogue, key, value):
    params = {key: [value], "outcomes": ["aims"]}
    response = client.get(LIST, params)

    wanted = catalogues.expected(catalogue, params)
    assert catalogues.result_names(response) == wanted
    # Found to improve is a different question, with a different answer somewhere.
    assert wanted != catalogues.expected(catalogue, {key: [value]}) or key == "domain"


def test_found_to_improve_is_the_usual_meaning_of_the_outcome_filters(client, catalogue):
    page = client.get(LIST).content.decode()
    assert re.search(r'id="outcomes-found"[^>]*checked', page)
    assert not re.search(r'id="outcomes-aims"[^>]*checked', page)
    page = client.get(LIST, {"outcomes": "aims"}).content.decode()
    assert re.search(r'id="outcomes-aims"[^>]*checked', page)


def test_the_count_beside_every_option_is_the_number_it_gives(client, catalogue):
    counts = catalogues.option_counts(client.get(LIST))

    for key, value in catalogues.every_option():
        assert counts[(key, value)] == len(catalogues.expected(catalogue, {key: [value]})), (
            key,
            value,
        )


def test_the_catalogue_is_varied_enough_to_test_the_filters(catalogue):
    # Each option matches some interventions but not all, or the tests above prove little.
    published = [spec for spec in catalogue if spec.published]
    tested = [
        (key, value)
        for key, value in catalogues.every_option()
        if 0 < len(catalogues.expected(catalogue, {key: [value]})) < len(published)
    ]
    assert len(tested) >= len(catalogues.every_option()) - 2


def test_evidence_level_2_or_better_leaves_out_not_effective_and_not_level_2(client, catalogue):
    names = catalogues.result_names(client.get(LIST, {"evidence": "2"}))

    weak = {spec.name for spec in catalogue if spec.evidence in ("NE", "NL2", None)}
    assert weak and not names & weak
    assert names == {spec.name for spec in catalogue if spec.evidence in ("2", "3", "4")}


def test_choosing_two_options_in_one_filter_gives_either(client, catalogue):
    response = client.get(LIST, {"topic": ["kinship-care", "neglect"]})

    wanted = catalogues.expected(catalogue, {"topic": ["kinship-care", "neglect"]})
    assert catalogues.result_names(response) == wanted
    assert wanted > catalogues.expected(catalogue, {"topic": ["kinship-care"]})


# --- Any combination ---------------------------------------------------------------------


def random_choices(rng: random.Random) -> dict[str, list[str]]:
    options: dict[str, list[str]] = {}
    for key, value in catalogues.every_option():
        options.setdefault(key, []).append(value)
    chosen = {}
    for key in rng.sample(sorted(options), rng.randint(1, 4)):
        single = key in ("evidence", "cost", "uk_tested", "available")
        how_many = 1 if single else rng.randint(1, 2)
        chosen[key] = rng.sample(options[key], how_many)
    if rng.random() < 0.3:
        chosen["outcomes"] = ["aims"]
    return chosen


@pytest.mark.parametrize("seed", range(12))
def test_any_combination_gives_the_matching_interventions_and_honest_counts(
    client, catalogue, seed
):
    rng = random.Random(seed)
    chosen = random_choices(rng)

    response = client.get(LIST, chosen)

    assert catalogues.result_names(response) == catalogues.expected(catalogue, chosen)
    # Each option's count: the results with it as the only choice in its filter,
    # the other filters as they are.
    for (key, value), shown in catalogues.option_counts(response).items():
        if (key, value) not in catalogues.every_option():
            continue
        with_it = {**chosen, key: [value]}
        assert shown == len(catalogues.expected(catalogue, with_it)), (chosen, key, value)
    # Ticking an option in a filter not yet used gives exactly its count.
    unused = [
        option
        for option in catalogues.every_option()
        if option[0] not in chosen and option in catalogues.option_counts(response)
    ]
    for key, value in rng.sample(unused, 3):
        after = client.get(LIST, {**chosen, key: [value]})
        shown = catalogues.option_counts(response)[(key, value)]
        assert len(catalogues.result_names(after)) == shown, (chosen, key, value)


def test_drafts_never_appear_or_count(client, catalogue):
    # The two drafts match every option of every filter.
    drafts = {"Programme 016", "Programme 017"}
    every = {}
    for key, value in catalogues.every_option():
        every.setdefault(key, []).append(value)
    for key, values in every.items():
        response = client.get(LIST, {key: values})
        assert not catalogues.result_names(response) & drafts
    response = client.get(LIST)
    assert catalogues.result_names(response) == {spec.name for spec in catalogue}
    assert "16 interventions" in text_of(response)
    assert max(catalogues.option_counts(response).values()) <= 16


# --- Selected filters, clearing, relaxing ----------------------------------------------


def test_selected_filters_show_as_tags_that_each_remove_one_choice(client, catalogue):
    response = client.get(LIST, {"topic": ["kinship-care", "neglect"], "uk_tested": "yes"})
    html = response.content.decode()

    assert "Selected filters" in text_of(response)
    tags = dict(
        (" ".join(label.split()), url)
        for url, label in re.findall(
            r'class="app-filter__tag" href="([^"]*)">(.*?)</a>', html, re.S
        )
    )
    hidden = '<span class="govuk-visually-hidden">Remove this filter: '
    assert tags == {
        hidden
        + "Tested in the UK, </span>Tested in the UK": "?topic=kinship-care&amp;topic=neglect",
        hidden + "Topic, </span>Kinship care": "?uk_tested=yes&amp;topic=neglect",
        hidden + "Topic, </span>Neglect": "?uk_tested=yes&amp;topic=kinship-care",
    }
    assert re.search(r'href="\?">Clear filters</a>', html)


def test_clear_filters_keeps_the_search_and_the_sort(client, catalogue):
    response = client.get(LIST, {"q": "programme", "topic": "neglect", "sort": "name"})

    assert 'href="?q=programme&amp;sort=name"' in response.content.decode()


# --- Sorting and pages -----------------------------------------------------------------


def test_sort_by_evidence_puts_the_strongest_first_and_unrated_last(client, catalogue):
    names = catalogues.read(client.get(LIST, {"sort": "evidence"})).names

    ranks = {spec.name: catalogues.EVIDENCE_RANK.get(spec.evidence, -99) for spec in catalogue}
    assert [ranks[name] for name in names] == sorted(ranks.values(), reverse=True)


def test_sort_by_cost_puts_the_cheapest_first_and_unknown_cost_last(client, catalogue):
    names = catalogues.read(client.get(LIST, {"sort": "cost"})).names

    ranks = {spec.name: catalogues.COST_RANK.get(spec.cost, 99) for spec in catalogue}
    assert [ranks[name] for name in names] == sorted(ranks.values())


def test_sort_by_name_and_by_recently_updated(client, catalogue):
    by_name = catalogues.read(client.get(LIST, {"sort": "name"})).names
    newest = catalogue[3].intervention
    newest.summary = "Changed today."
    newest.save()
    unpublished = catalogues.read(client.get(LIST, {"sort": "updated"})).names
    factories.publish(newest, note="Summary reworded.", change="minor")
    by_update = catalogues.read(client.get(LIST, {"sort": "updated"})).names

    assert by_name == sorted(by_name)
    # Recently updated means recently published: an edit not yet published is not news.
    assert unpublished[0] != newest.name
    assert by_update[0] == newest.name


def test_the_page_offers_downloads_of_the_same_results(client, catalogue):
    html = client.get(LIST, {"topic": "neglect", "sort": "cost", "page": "1"}).content.decode()

    assert 'href="/interventions/download.csv?topic=neglect&amp;sort=cost"' in html
    assert 'href="/interventions/download.json?topic=neglect&amp;sort=cost"' in html


# --- Sorting and pages ------------------------------------------------------------------


@pytest.mark.parametrize("sort", ["name", "evidence", "cost", "updated", "relevance"])
@pytest.mark.parametrize(
    "chosen",
    ["", "uk_tested=yes", "archived=yes", "age=3-4", "q=programme children", "q=programme&age=3-4"],
)
def test_the_pages_of_the_list_follow_the_same_order_as_the_downloads(
    catalogue, monkeypatch, sort, chosen
):
    """A page's rows are picked from the facet index's orders (publishing/filters/facets.py);
    a search's pages follow its ranking query. The downloads sort in SQL. Page after
    page, the two agree, ties and empty ranks too."""
    monkeypatch.setattr(state, "PAGE_SIZE", 3)
    query = f"sort={sort}&{chosen}"
    filterset, problems = find(QueryDict(query))
    assert not problems
    expected = list(filterset.ordered(filterset.qs).values_list("pk", flat=True))
    assert len(expected) > 3

    shown, page = [], 1
    while len(shown) < len(expected):
        rows = list_state(QueryDict(f"{query}&page={page}")).page.object_list
        assert rows, f"page {page} is empty"
        shown += [row.pk for row in rows]
        page += 1
    assert shown == expected


def test_a_row_archived_while_the_page_was_being_picked_is_left_out_not_an_error(catalogue):
    """Another server archives an intervention between this request's reading of the facet
    index and its fetching of the page's rows: the page leaves that row out."""
    first = list_state(QueryDict("sort=name")).page.object_list[0]
    Listing.objects.filter(pk=first.pk).update(archived_at=timezone.now(), archive_reason="Gone.")

    shown = list_state(QueryDict("sort=name")).page.object_list
    assert first.pk not in [row.pk for row in shown]
    assert shown
