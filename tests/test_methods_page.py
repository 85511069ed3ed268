"""How to read the ratings: every level of both scales from the data, the words the
pages use, and every "What does this mean?" link landing on its definition."""

import json
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings

from interventions.models import Catalogue
from ratings.models import RatingLevel, RatingScale, UnitCostEstimate
from tests import factories
from tests.page_text import parse, text_of
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db

STANDARDS = Path(settings.BASE_DIR) / "fixtures" / "standards.json"
TERMS = [
    ("rigorous-study", "Rigorous study and positive finding"),
    ("positive-finding", "Positive finding"),
    ("uk-tested", "Tested in the UK"),
    ("effect-sizes", "Effect sizes"),
    ("hedges-g", "Hedges’ g: for scores"),
    ("cox-index", "Cox index: for yes-or-no outcomes"),
    ("confidence-intervals", "Confidence intervals"),
    ("significance", "Unlikely to be chance"),
    ("improvement-index", "The improvement index"),
    ("pooling", "Averaging several studies"),
    ("disagreement", "When studies disagree"),
    ("forest-plots", "Reading the charts"),
    ("how-ratings-are-decided", "How ratings are decided"),
]


@pytest.fixture
def store_scales(db):
    """The store's own two scales, with every level, from fixtures/standards.json."""
    for data in json.loads(STANDARDS.read_text())["rating_scales"]:
        scale = RatingScale.objects.create(
            slug=data["slug"],
            name=data["name"],
            description=data["description"],
            version=data["version"],
        )
        for level in data["levels"]:
            RatingLevel.objects.create(scale=scale, **level)
    return RatingScale.objects.all()


def heading_text(response, anchor: str) -> str:
    """The words of the heading with this id, tags removed."""
    html = response.content.decode()
    inner = re.search(rf'<(h\d)[^>]*\bid="{anchor}"[^>]*>(.*?)</\1>', html, re.S).group(2)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", "", inner))).strip()


def test_every_evidence_level_is_explained_with_its_own_anchor(client, store_scales):
    response = client.get("/methods/")

    assert response.status_code == 200
    text = text_of(response)
    ids = parse(response).ids
    levels = RatingLevel.objects.filter(scale__slug=RatingScale.EVIDENCE).order_by("-rank")
    anchors = {
        "4+": "evidence-4-plus",
        "4": "evidence-4",
        "3+": "evidence-3-plus",
        "3": "evidence-3",
        "2+": "evidence-2-plus",
        "2": "evidence-2",
        "NL2": "evidence-nl2",
        "NE": "evidence-ne",
    }
    assert [level.code for level in levels] == list(anchors)  # strongest first
    for level in levels:
        assert anchors[level.code] in ids
        assert f"{level.code} {level.label}" in text
        assert level.plain_meaning in text
        assert f"The exact rule for {level.code}" in text
    assert "It is not a recommendation to buy the intervention." in text
    assert "These are version 2026.1 of our rating rules." in text


def test_every_cost_rating_is_explained_with_its_band(client, store_scales):
    response = client.get("/methods/")

    text = text_of(response)
    ids = parse(response).ids
    for level in RatingLevel.objects.filter(scale__slug=RatingScale.COST):
        assert f"cost-{level.code}" in ids
        assert f"{level.code} {level.label} {level.plain_meaning}" in text
    assert "Exact band: under £100.00." in text
    assert "Exact band: from £100.00 up to, but not including, £500.00." in text
    assert "Exact band: £2,000.01 or more." in text


def test_the_words_the_pages_use_are_defined(client, store_scales):
    response = client.get("/methods/")

    ids = parse(response).ids
    text = text_of(response)
    for anchor, heading in TERMS:
        assert anchor in ids, anchor
        assert heading in text, heading
    assert "at least 20 children in each group" in text
    assert "p-value is below 0.05" in text
    assert "how many places that child would move up" in text
    assert "We warn when it is 50% or more." in text
    assert "DerSimonian and Laird" in text


@pytest.mark.parametrize(
    ("evidence", "cost"), [("NE", "1"), ("NL2", "2"), ("2+", "3"), ("3+", "4"), ("4+", "5")]
)
def test_every_what_does_this_mean_link_lands_on_its_definition(
    client, store_scales, evidence, cost
):
    intervention = factories.make_intervention()
    factories.rate(intervention, RatingScale.EVIDENCE, evidence)
    amount = {"1": 50, "2": 300, "3": 700, "4": 1500, "5": 3000}[cost]
    UnitCostEstimate.record(
        intervention=intervention, unit_cost=amount, price_year=2025, staff_time=amount
    )
    factories.publish(intervention)

    links = parse(client.get(intervention.get_absolute_url())).links
    methods = client.get("/methods/")

    meanings = [href for href, text in links if text.startswith("What does this mean?")]
    assert len(meanings) == 3
    for href in meanings:
        path, anchor = href.split("#")
        assert path == "/methods/"
        assert anchor in parse(methods).ids, href
    evidence_anchor, cost_anchor, _ = (href.split("#")[1] for href in meanings)
    assert heading_text(methods, evidence_anchor).startswith(f"{evidence} ")
    assert heading_text(methods, cost_anchor).startswith(f"{cost} ")


def test_an_unrated_intervention_links_to_the_scales_themselves(client, store_scales):
    intervention = factories.make_intervention()
    factories.publish(intervention)

    links = parse(client.get(intervention.get_absolute_url())).links

    meanings = [href for href, text in links if text.startswith("What does this mean?")]
    assert meanings == [
        "/methods/#evidence-strength",
        "/methods/#cost-rating",
        "/methods/#uk-tested",
    ]
    ids = parse(client.get("/methods/")).ids
    assert {"evidence-strength", "cost-rating", "uk-tested"} <= ids


def test_the_methods_page_is_in_the_navigation_and_the_footer(client, store_scales):
    response = client.get("/methods/")

    html = response.content.decode()
    assert 'href="/methods/" aria-current="page"' in html
    links = parse(response).links
    assert links.count(("/methods/", "How to read the ratings")) == 2  # menu and footer


def test_without_scales_the_page_says_so(client, db):
    text = text_of(client.get("/methods/"))

    assert "The evidence levels have not been loaded yet." in text
    assert "The cost bands have not been loaded yet." in text


@pytest.mark.parametrize("extra_levels", [0, 20], ids=["store-scales", "many-more-levels"])
def test_methods_page_runs_a_fixed_number_of_queries(client, store_scales, extra_levels):
    Catalogue.objects.create(pk=1, is_demonstration=True)
    evidence = RatingScale.objects.get(slug=RatingScale.EVIDENCE)
    for n in range(extra_levels):
        RatingLevel.objects.create(
            scale=evidence, code=f"X{n}", label=f"Extra {n}", rank=100 + n, plain_meaning="."
        )

    with assert_queries(2):
        # 1 the levels of both scales with their scale, 2 the catalogue row
        response = client.get("/methods/")
    assert response.status_code == 200
