"""Search understands the words people use: US spellings, other names, acronyms."""

import pytest
from django.urls import reverse

from publishing.models import SearchSynonym
from publishing.search import MAX_VARIANTS, variants
from tests import factories
from tests.page_text import text_of

LIST = reverse("interventions:list")


def test_a_member_of_a_group_is_swapped_for_each_other_member():
    groups = [["behaviour", "behavior"], ["behaviour problems", "conduct problems"]]
    found = variants("Behavior problems at home", groups)
    assert found[0] == "Behavior problems at home"
    assert "behaviour problems at home" in found
    assert "conduct problems at home" in found


def test_only_whole_words_are_swapped():
    assert variants("misbehaviour", [["behaviour", "behavior"]]) == ["misbehaviour"]


def test_a_search_with_many_synonyms_stays_bounded():
    groups = [[f"word{n}", f"other{n}", f"third{n}"] for n in range(10)]
    text = " ".join(f"word{n}" for n in range(10))
    assert len(variants(text, groups)) == MAX_VARIANTS


@pytest.fixture
def published(db):
    conduct = factories.make_intervention(
        name="Steady Steps", summary="A group for parents of children with behaviour problems."
    )
    attention = factories.make_intervention(
        name="Focus Friends",
        summary="Coaching for children with attention deficit hyperactivity disorder.",
    )
    for intervention in (conduct, attention):
        factories.publish(intervention)


@pytest.mark.parametrize(
    ("typed", "finds"),
    [
        ("behavior", "Steady Steps"),
        ("conduct problems", "Steady Steps"),
        ("behaviour problems", "Steady Steps"),
        ("ADHD", "Focus Friends"),
        ("adhd", "Focus Friends"),
    ],
)
def test_the_words_people_use_find_what_they_should(client, published, typed, finds):
    page = text_of(client.get(LIST, {"q": typed}))
    assert "1 intervention matching" in page
    assert finds in page


def test_a_group_a_curator_adds_is_used_at_once(client, published):
    assert "0 interventions" in text_of(client.get(LIST, {"q": "fidgety"}))
    SearchSynonym.objects.create(words=["fidgety", "hyperactivity"], note="How parents put it.")
    page = text_of(client.get(LIST, {"q": "fidgety"}))
    assert "1 intervention matching" in page and "Focus Friends" in page
