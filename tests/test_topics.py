"""Topics: situations as curators tick them, needs by the outcomes they cover, so the
routes to one need agree whichever way the list reads outcomes."""

import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import QueryDict

from interventions.models import Outcome, OutcomeDomain, Topic
from publishing import filters
from publishing.models import Listing
from publishing.topics import columns
from tests import factories
from tests.page_text import text_of
from tests.test_catalogue_io import empty_the_database, export_text, import_file, write_file

NEEDS = {"childrens-behaviour": {"behaviour-problems", "violent-behaviour"}}


def test_a_situation_is_as_ticked_whichever_way_outcomes_are_read():
    topics = columns(["kinship-care"], aims=[], found=[], covered=NEEDS)
    assert topics == {"topics": ["kinship-care"], "improved_topics": ["kinship-care"]}


def test_a_need_follows_what_it_aims_and_what_it_was_found_to_improve():
    aims_only = columns([], aims=["behaviour-problems"], found=[], covered=NEEDS)
    assert aims_only == {"topics": ["childrens-behaviour"], "improved_topics": []}
    found = columns([], aims=[], found=["violent-behaviour"], covered=NEEDS)
    assert found == {"topics": [], "improved_topics": ["childrens-behaviour"]}


def test_a_ticked_need_counts_as_an_aim_but_not_as_found():
    ticked = columns(["childrens-behaviour"], aims=["attainment"], found=[], covered=NEEDS)
    assert ticked == {"topics": ["childrens-behaviour"], "improved_topics": []}


def count(**params) -> int:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values if isinstance(values, list) else [values])
    return filters.list_state(query).page.paginator.count


def slugs_under(**params) -> set[str]:
    query = QueryDict(mutable=True)
    for key, values in params.items():
        query.setlist(key, values if isinstance(values, list) else [values])
    filterset, _ = filters.find(query)
    return set(filterset.qs.values_list("slug", flat=True))


@pytest.mark.django_db(transaction=True)
def test_in_the_demo_every_need_agrees_with_its_outcomes_both_ways(client):
    call_command("load_demo_catalogue")
    needs = Topic.objects.filter(outcomes__isnull=False).distinct().prefetch_related("outcomes")
    assert {topic.slug for topic in needs} >= {"childrens-behaviour", "child-mental-health"}
    for topic in needs:
        outcomes = [outcome.slug for outcome in topic.outcomes.all()]
        for meaning in ("found", "aims"):
            by_outcomes = slugs_under(outcome=outcomes, outcomes=meaning)
            by_topic = slugs_under(topic=topic.slug, outcomes=meaning)
            if meaning == "found":
                assert by_topic == by_outcomes, topic.slug
            else:  # a curator may also have ticked the need
                assert by_topic >= by_outcomes, topic.slug
    # The commissioner's routes to behaviour: the specific outcome sits inside the need,
    # and nothing found not to be effective or harmful is under "found to improve".
    behaviour = slugs_under(topic="childrens-behaviour")
    assert slugs_under(outcome="behaviour-problems") <= behaviour
    rows = Listing.objects.filter(slug__in=behaviour)
    assert not rows.filter(evidence_code="NE").exists()
    assert not rows.filter(harmful=True).exists()
    # The glossary says how the three ways in differ, and what each need covers.
    text = text_of(client.get("/glossary/"))
    assert "Children's behaviour A need. It covers: " in text
    assert "Kinship care A situation." in text


@pytest.fixture
def behaviour(db):
    domain = OutcomeDomain.objects.create(name="Mental health", slug="mental-health")
    problems = Outcome.objects.create(
        name="Behaviour problems", slug="behaviour-problems", domain=domain
    )
    topic = Topic.objects.create(name="Children's behaviour", slug="childrens-behaviour")
    intervention = factories.make_intervention(slug="steady-steps")
    intervention.target_outcomes.add(problems)
    factories.publish(intervention)
    return topic, problems


def test_naming_a_needs_outcomes_updates_the_list_at_once(behaviour):
    topic, problems = behaviour
    assert count(topic="childrens-behaviour", outcomes="aims") == 0

    topic.outcomes.add(problems)  # as the admin's save does

    assert count(topic="childrens-behaviour", outcomes="aims") == 1
    topic.outcomes.clear()
    assert count(topic="childrens-behaviour", outcomes="aims") == 0


def test_a_needs_outcomes_travel_in_the_catalogue_file(behaviour, tmp_path):
    topic, problems = behaviour
    topic.outcomes.add(problems)
    document = json.loads(export_text())
    [exported] = [t for t in document["taxonomies"]["topics"] if t["slug"] == topic.slug]
    assert exported["outcomes"] == ["behaviour-problems"]
    empty_the_database()

    exported["outcomes"] = ["no-such-outcome"]
    with pytest.raises(CommandError, match='unknown outcome "no-such-outcome"'):
        import_file(write_file(tmp_path, document))
    del exported["outcomes"]  # files from before topics named outcomes still import
    import_file(write_file(tmp_path, document))
    assert not Topic.objects.get(slug=topic.slug).outcomes.exists()

    empty_the_database()
    exported["outcomes"] = ["behaviour-problems"]
    import_file(write_file(tmp_path, document))
    assert count(topic="childrens-behaviour", outcomes="aims") == 1
    assert json.loads(export_text()) == document  # the round trip keeps it
