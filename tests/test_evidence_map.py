"""The evidence gap map and the "what works for ..." pages agree with the list."""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from tests import catalogues
from tests.page_text import text_of
from tests.query_counts import assert_queries

MAP = reverse("interventions:evidence_map")


@pytest.fixture(scope="module")
def catalogue(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield catalogues.build(size=16)
        transaction.set_rollback(True)


def cells(response) -> list[tuple[str, int]]:
    """Each cell's link into the list, with the number it shows."""
    html = response.content.decode()
    return [
        (link.replace("&amp;", "&"), int(number))
        for link, number in re.findall(
            r'<a class="govuk-link" href="(/interventions/\?[^"]+)">(\d+)<span', html
        )
    ]


def listed(client, link: str) -> int:
    heading = re.search(r"(\d+) interventions?", text_of(client.get(link)))
    return int(heading.group(1))


@pytest.mark.django_db
def test_every_cell_gives_the_number_its_list_shows(client, catalogue):
    response = client.get(MAP)
    assert response.status_code == 200
    found = cells(response)
    assert found, "the map shows no numbers"
    for link, number in found:
        assert listed(client, link) == number, link


@pytest.mark.django_db
def test_a_cell_counts_what_the_catalogue_says_it_should(client, catalogue):
    for link, number in cells(client.get(MAP)):
        params = dict(pair.split("=") for pair in link.split("?")[1].split("&"))
        wanted = catalogues.expected(catalogue, {key: [value] for key, value in params.items()})
        assert len(wanted) == number, link


@pytest.mark.django_db
def test_empty_cells_are_named_as_gaps(client, catalogue):
    text = text_of(client.get(MAP))
    assert "Gap" in text
    assert re.search(r"The \d+ gaps? in this map", text)


@pytest.mark.django_db
def test_what_works_lists_what_was_found_to_improve_strongest_first(client, catalogue):
    page = client.get(reverse("interventions:what_works", args=["mental-health"]))
    assert page.status_code == 200
    names = re.findall(
        r'app-intervention-card__title"><a class="govuk-link" href="[^"]+">([^<]+)<',
        page.content.decode(),
    )
    wanted = catalogues.expected(catalogue, {"domain": ["mental-health"]})
    assert set(names) == wanted
    ranks = [
        catalogues.EVIDENCE_RANK.get(spec.evidence, -99)
        for name in names
        for spec in catalogue
        if spec.name == name
    ]
    assert ranks == sorted(ranks, reverse=True)


@pytest.mark.django_db
def test_what_works_for_one_age_band_agrees_with_the_list(client, catalogue):
    page = client.get(reverse("interventions:what_works_for_age", args=["anxiety", "3-4"]))
    wanted = catalogues.expected(catalogue, {"outcome": ["anxiety"], "age": ["3-4"]})
    text = text_of(page)
    if wanted:
        assert f"{len(wanted)} intervention" in text
    else:
        assert "This is a gap in the evidence." in text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/what-works/no-such-outcome/", "/what-works/anxiety/no-such-age/", "/what-works/%00/"],
)
def test_an_unknown_outcome_or_age_is_a_404(client, catalogue, url):
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_the_map_and_what_works_run_a_fixed_number_of_queries(client, catalogue):
    # 1 the filter options (taxonomies and rating levels, one query), 2 every cell in one
    # aggregate, 3 the catalogue row.
    with assert_queries(3):
        client.get(MAP)
    # 1 the outcome area, 2 the filter options, 3 the listing rows, 4 the catalogue row.
    with assert_queries(4):
        client.get(reverse("interventions:what_works", args=["mental-health"]))


@pytest.mark.django_db
def test_what_works_offers_alerts_and_a_feed_for_its_outcome_area(client, catalogue):
    html = client.get(reverse("interventions:what_works", args=["anxiety"])).content.decode()
    assert 'href="/alerts/subscribe/?kind=area&amp;target=mental-health"' in html
    assert 'href="/feeds/outcome-areas/mental-health.atom"' in html
    form = client.get("/alerts/subscribe/?kind=area&target=mental-health")
    assert form.status_code == 200
