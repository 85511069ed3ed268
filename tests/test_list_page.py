"""The list page with small catalogues of its own: empty results, pages, and speed.

(The filters against a varied catalogue are in test_list_filters.py.)
"""

import re
from html import unescape

import pytest

from interventions.models import AgeBand, Catalogue
from publishing.publish import archive
from tests import catalogues, factories
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db

LIST = "/interventions/"


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_no_results_says_which_filter_to_remove(client, scales):
    catalogues.make_terms()
    factories.publish(factories.make_intervention(name="Kin Together", available_in_uk=True))
    kin = factories.make_intervention(name="Kin Apart", available_in_uk=False)
    kin.topics.set(catalogues.TERMS["topic"][0].objects.filter(slug="kinship-care"))
    factories.publish(kin)

    response = client.get(LIST, {"topic": "kinship-care", "available": "yes"})

    text = text_of(response)
    assert "0 interventions" in text
    assert "Removing Available in the UK would give 1 intervention." in text
    assert "Removing Topic: Kinship care would give 1 intervention." in text
    assert 'href="?topic=kinship-care"' in response.content.decode()


def test_no_results_for_a_search_says_what_removing_the_search_would_give(client, scales):
    for intervention in [
        factories.make_intervention(
            name="Kin Together", summary="Kinship care.", available_in_uk=False
        ),
        factories.make_intervention(name="Open Door", available_in_uk=True),
    ]:
        factories.publish(intervention)

    response = client.get(LIST, {"q": "kinship", "available": "yes"})

    text = text_of(response)
    assert "Removing the search “kinship” would give 1 intervention." in text
    assert "Removing Available in the UK would give 1 intervention." in text


def test_pages_keep_the_filters(client, scales):
    catalogues.make_terms()
    for n in range(23):
        factories.publish(
            factories.make_intervention(name=f"Group Programme {n:02d}", available_in_uk=True)
        )
    factories.publish(factories.make_intervention(name="Not Available", available_in_uk=False))

    first = client.get(LIST, {"available": "yes"})
    second = client.get(LIST, {"available": "yes", "page": "2"})

    assert 'href="?available=yes&amp;page=2"' in first.content.decode()
    assert "23 interventions" in text_of(first)
    assert catalogues.result_names(second) == {f"Group Programme {n:02d}" for n in range(20, 23)}


def test_no_link_carries_a_value_the_list_could_not_use(client, scales):
    """Pages, tags, downloads and "clear filters" all link to the state the list used:
    ?topic=bogus is explained once and then dropped everywhere."""
    catalogues.make_terms()
    for n in range(23):
        factories.publish(
            factories.make_intervention(name=f"Group Programme {n:02d}", available_in_uk=True)
        )

    response = client.get(LIST, {"topic": "bogus", "available": "yes", "q": "group"})

    html = response.content.decode()
    links = re.findall(r'href="([^"]*\?[^"]*)"', html)
    assert "We do not recognise that topic, so that filter is not used." in text_of(response)
    assert any("page=2" in link for link in links)
    assert any("download.csv" in link for link in links)
    assert not [link for link in links if "bogus" in link]
    assert 'href="?q=group&amp;available=yes&amp;page=2"' in html
    assert 'href="/interventions/download.csv?q=group&amp;available=yes"' in html


# --- Query counts ----------------------------------------------------------------------
# A fixed number of queries whatever the catalogue size, pinned for 1 and 30.


@pytest.fixture(params=[1, 30], ids=["one-intervention", "thirty-interventions"])
def sized_catalogue(request, scales):
    Catalogue.objects.create(pk=1, is_demonstration=True)
    AgeBand.objects.create(name="3 to 4 years", slug="3-to-4", min_age_months=36, max_age_months=59)
    outcome = factories.make_outcome()
    interventions = []
    for _ in range(request.param):
        intervention = factories.make_intervention()
        factories.rate(intervention, "evidence-strength", "3")
        factories.rate(intervention, "cost", "3")
        factories.make_cost(intervention)
        catalogues.uk_trial(intervention, outcome)
        factories.publish(intervention)
        interventions.append(intervention)
    return interventions


def test_list_runs_a_fixed_number_of_queries(client, sized_catalogue):
    with assert_queries(5):
        # The first request after a change to the catalogue: 1 the options of every
        # filter (taxonomies and rating levels) in one SELECT, 2 the facet index: every
        # listing row's filter columns, from which every count and the total are counted
        # in memory (publishing/filters/facets.py), 3 the catalogue row, 4 the glossary
        # for the cards' abbreviations, all four kept until the catalogue changes
        # (publishing/catalogue_state.py); 5 the page of listing rows (each row carries
        # its ratings and cost: nothing more per intervention).
        response = client.get(LIST, {"page": "1"})
    assert response.status_code == 200

    with assert_queries(1, warm=True):
        # Every request after it: the page of rows.
        response = client.get(LIST, {"page": "1"})
    assert response.status_code == 200

    with assert_queries(3, warm=True):
        # With filters, a search and a sort applied: the synonym groups that widen the
        # search (publishing/search.py; read once, it too is kept), the ids of the rows
        # it matches, for the counts, and the page of rows.
        response = client.get(
            LIST,
            {
                "age": "3-to-4",
                "topic": "parenting",
                "evidence": "2",
                "q": "programme",
                "sort": "evidence",
                "uk_tested": "yes",
            },
        )
    assert response.status_code == 200
    n = len(sized_catalogue)
    assert f"{n} intervention{'s' if n > 1 else ''} matching" in text_of(response)


def test_counts_follow_a_publication_and_an_archiving_at_once(client, scales):
    """The facet index is kept between requests, and read again after each change."""
    first = factories.make_intervention(name="Kin Together", available_in_uk=True)
    factories.publish(first)
    page = text_of(client.get(LIST))
    assert "1 intervention" in page
    assert "Available in the UK (1 result )" in page

    factories.publish(factories.make_intervention(name="Kin Apart", available_in_uk=True))
    page = text_of(client.get(LIST))
    assert "2 interventions" in page
    assert "Available in the UK (2 results )" in page

    archive(first, reason="No longer offered.")
    page = text_of(client.get(LIST))
    assert "1 intervention" in page
    assert "Available in the UK (1 result )" in page
