"""Bad input on the list and the downloads: a clear message or a 400, never a 500."""

import re
from html import unescape
from urllib.parse import quote, urlencode

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests import catalogues, factories

pytestmark = pytest.mark.django_db

LIST, CSV, JSON = "/interventions/", "/interventions/download.csv", "/interventions/download.json"
KEYS = [
    "q", "age", "domain", "outcome", "evidence", "cost", "uk_tested", "available",
    "need", "setting", "delivery", "topic", "sort", "page",
]  # fmt: skip


def text_of(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


@pytest.fixture
def two(scales):
    catalogues.make_terms()
    kin = factories.make_intervention(name="Kin Together", available_in_uk=True)
    kin.topics.set(catalogues.TERMS["topic"][0].objects.filter(slug="kinship-care"))
    factories.publish(kin)
    factories.publish(factories.make_intervention(name="Other Programme"))


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"topic": "no-such-topic"}, "We do not recognise that topic, so that filter is not used."),
        ({"topic": ["kinship-care", "../etc"]}, "We do not recognise that topic"),
        ({"age": "\x00"}, "We do not recognise that age group, so all ages are shown."),
        ({"evidence": "NL2"}, "We do not recognise that evidence strength"),
        ({"evidence": "9" * 400}, "We do not recognise that evidence strength"),
        ({"cost": "-1"}, "We do not recognise that cost rating"),
        ({"uk_tested": "maybe"}, "“Tested in the UK” can only be ticked or not"),
        ({"available": "1"}, "“Available in the UK” can only be ticked or not"),
        ({"sort": "sideways"}, "We cannot sort the results that way"),
        ({"page": "²"}, "That page number is not valid, so the first page is shown."),
        ({"page": "9" * 30}, "That page number is not valid, so the first page is shown."),
    ],
)
def test_a_value_we_do_not_recognise_is_explained_and_left_out(client, two, query, message):
    response = client.get(LIST, query)

    assert response.status_code == 200
    text = text_of(response)
    assert message in text
    # Left out: both interventions show, and no tag claims a filter is on.
    assert catalogues.result_names(response) == {"Kin Together", "Other Programme"}
    assert "Selected filters" not in text


def test_a_bad_value_leaves_the_good_filters_working(client, two):
    response = client.get(LIST, {"available": "yes", "topic": "nope", "sort": "sideways"})

    assert catalogues.result_names(response) == {"Kin Together"}
    assert "Remove this filter: Available in the UK" in text_of(response)


def test_nul_characters_in_the_search_are_dropped(client, two):
    response = client.get(LIST, {"q": "kin\x00ship"})

    assert response.status_code == 200
    assert catalogues.result_names(response) == {"Kin Together"}


# --- Anything at all ---------------------------------------------------------------------

known_values = st.sampled_from(
    ["kinship-care", "3-4", "mental-health", "anxiety", "2", "3", "4", "1", "5", "yes",
     "relevance", "evidence", "cost", "name", "updated", "1", "2", "0", "-1"]
)  # fmt: skip
junk = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=10),
    st.just("\x00"),
    st.integers(min_value=-(10**40), max_value=10**40).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet="%\"'<>&;-*|:()!", max_size=12),
)
pairs = st.lists(
    st.tuples(st.one_of(st.sampled_from(KEYS), st.text(max_size=8)), st.one_of(known_values, junk)),
    max_size=12,
)
raw_bytes = st.binary(max_size=30).map(lambda b: quote(b, safe="=&"))


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(query=pairs, path=st.sampled_from([LIST, LIST, CSV, JSON]))
def test_no_query_string_gives_a_server_error(client, two, query, path):
    response = client.get(f"{path}?{urlencode(query)}")  # the test client raises on a 500
    response.getvalue()  # a streamed download fails, if at all, as it is read

    assert response.status_code in (200, 400)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(raw=raw_bytes, path=st.sampled_from([LIST, CSV, JSON]))
def test_no_raw_bytes_in_the_query_string_give_a_server_error(client, two, raw, path):
    response = client.get(f"{path}?{raw}")
    response.getvalue()  # a streamed download fails, if at all, as it is read

    assert response.status_code in (200, 400)
