"""Keyword search: stemmed, ranked, web-search syntax, over every text a commissioner
would search, as published: names and links change the search when a new version is."""

import pytest
from django.core.management import call_command

from interventions.models import Intervention, Outcome, OutcomeDomain, Topic
from publishing.models import Listing
from tests import catalogues, factories
from tests.test_admin import change_url, page_form, type_in

pytestmark = pytest.mark.django_db

LIST = "/interventions/"


def found(client, q: str, **filters) -> list[str]:
    """The names of the results, in the order shown."""
    response = client.get(LIST, {"q": q, **filters})
    assert response.status_code == 200
    return catalogues.read(response).names


def published(**fields) -> Intervention:
    """An intervention, published: only published versions are searched."""
    intervention = factories.make_intervention(**fields)
    factories.publish(intervention)
    return intervention


def outcome(name: str, domain: str = "Behaviour and conduct") -> Outcome:
    domain_row, _ = OutcomeDomain.objects.get_or_create(
        name=domain, defaults={"slug": domain.lower().replace(" ", "-")}
    )
    return Outcome.objects.create(name=name, slug=name.lower().replace(" ", "-"), domain=domain_row)


# --- What it finds ---------------------------------------------------------------------


def test_stemming_finds_other_forms_of_a_word(client, db):
    published(name="Hearthstone", summary="Support for fostering families.")
    published(name="Quayside", summary="Mentors for teenagers.")
    # Every factory intervention has the topic "Parenting".
    assert len(found(client, "parents")) == 2

    assert found(client, "fosters") == ["Hearthstone"]
    assert found(client, "fostered") == ["Hearthstone"]
    assert found(client, "teenager") == ["Quayside"]


def test_it_searches_names_other_names_summary_description_outcomes_domains_and_topics(client, db):
    published(name="A", other_names=["Lighthouse Scheme"])
    published(name="B", description="Uses video feedback.")
    by_outcome = factories.make_intervention(name="C")
    by_outcome.target_outcomes.add(outcome("Sleep problems", domain="Healthy development"))
    by_topic = factories.make_intervention(name="D")
    by_topic.topics.add(Topic.objects.create(name="Kinship care", slug="kinship-care"))
    for intervention in (by_outcome, by_topic):
        factories.publish(intervention)

    assert found(client, "lighthouse") == ["A"]
    assert found(client, "video") == ["B"]
    assert found(client, "sleep") == ["C"]
    assert found(client, "healthy development") == ["C"]  # the outcome's domain
    assert found(client, "kinship") == ["D"]


def test_quoted_phrase_or_and_minus(client, db):
    published(name="One", summary="Support for the whole family at home.")
    published(name="Two", summary="Family support in schools.")
    published(name="Three", summary="Mentoring for teenagers.")

    assert found(client, '"family support"') == ["Two"]
    assert sorted(found(client, "family support")) == ["One", "Two"]
    assert sorted(found(client, "schools or teenagers")) == ["Three", "Two"]
    assert found(client, "family -schools") == ["One"]


def test_name_matches_rank_above_summary_above_description(client, db):
    published(name="Zebra Description", summary="Something.", description="Anxiety.")
    published(name="Middle Summary", summary="Helps with anxiety.")
    published(name="Anxiety First", summary="Something else.")

    assert found(client, "anxiety") == ["Anxiety First", "Middle Summary", "Zebra Description"]


def test_relevance_is_the_usual_sort_only_when_searching(client, db):
    published(name="Alpha", summary="Nothing about it.", description="Anxiety.")
    published(name="Beta Anxiety Service", summary="Anxiety.")

    searching = client.get(LIST, {"q": "anxiety"}).content.decode()
    browsing = client.get(LIST).content.decode()

    assert found(client, "anxiety") == ["Beta Anxiety Service", "Alpha"]
    assert found(client, "anxiety", sort="name") == ["Alpha", "Beta Anxiety Service"]
    assert '<option value="relevance">Best match</option>' in searching
    assert "Best match" not in browsing


def test_drafts_are_never_found(client, db):
    factories.make_intervention(name="Secret Parenting", status=Intervention.Status.DRAFT)
    factories.make_intervention(name="Unpublished Parenting")  # never published
    published(name="Open Parenting")

    assert found(client, "parenting") == ["Open Parenting"]


def test_stop_words_only_or_punctuation_find_nothing_without_an_error(client, db):
    published(name="The Programme")

    for q in ["the", "!!!", '"', "-", "or", "&|:*"]:
        response = client.get(LIST, {"q": q})
        assert response.status_code == 200
        assert "0 interventions" in response.content.decode()


# --- As published ----------------------------------------------------------------------


def test_adding_and_removing_links_changes_the_search_when_published(client, db):
    intervention = published(name="Linked")
    sleep = outcome("Sleep problems")
    kin = Topic.objects.create(name="Kinship care", slug="kinship-care")

    intervention.target_outcomes.add(sleep)
    kin.interventions.add(intervention)  # from the term's side
    assert found(client, "sleep") == [] == found(client, "kinship")  # not published yet
    factories.publish(intervention, note="Added an outcome and a topic.")
    assert found(client, "sleep") == ["Linked"] == found(client, "kinship")

    intervention.target_outcomes.remove(sleep)
    intervention.topics.clear()
    assert found(client, "sleep") == ["Linked"] == found(client, "kinship")  # as published
    factories.publish(intervention, note="Removed an outcome and the topics.")
    assert found(client, "sleep") == [] == found(client, "kinship")


def test_renaming_a_term_changes_the_search_when_the_intervention_is_published(client, db):
    intervention = factories.make_intervention(name="Renamed")
    sleep = outcome("Sleep problems", domain="Healthy development")
    intervention.target_outcomes.add(sleep)
    topic = Topic.objects.create(name="Kinship care", slug="kinship-care")
    intervention.topics.add(topic)
    factories.publish(intervention)

    sleep.name = "Bedtime struggles"
    sleep.save()
    sleep.domain.name = "Physical wellbeing"
    sleep.domain.save()
    topic.name = "Family and friends care"
    topic.save()

    # A published version keeps the names it was published with.
    assert found(client, "sleep") == ["Renamed"] == found(client, "kinship")
    assert found(client, "bedtime") == []
    factories.publish(intervention, note="New names for its outcome and topic.")
    assert found(client, "bedtime") == ["Renamed"]
    assert found(client, "physical wellbeing") == ["Renamed"]
    assert found(client, "friends") == ["Renamed"]
    assert found(client, "sleep") == found(client, "kinship") == []


def test_deleting_a_term_changes_the_search_when_the_intervention_is_published(client, db):
    intervention = factories.make_intervention(name="Lost Topic")
    topic = Topic.objects.create(name="Kinship care", slug="kinship-care")
    intervention.topics.add(topic)
    factories.publish(intervention)

    topic.delete()

    assert found(client, "kinship") == ["Lost Topic"]  # as published
    factories.publish(intervention, note="Its topic was removed.")
    assert found(client, "kinship") == []


def test_a_curator_saving_the_admin_form_changes_the_search_once_published(
    client, curator_client, db
):
    intervention = published(name="Admin Edited")
    kin = Topic.objects.create(name="Kinship care", slug="kinship-care")
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    type_in(data, topics=[kin.pk], other_names="Grandparent Circle")

    assert curator_client.post(change_url(intervention), data).status_code == 302
    assert found(client, "kinship") == [] == found(client, "grandparent circle")

    factories.publish(intervention, note="Added a topic and another name.")
    assert found(client, "kinship") == ["Admin Edited"]
    assert found(client, "grandparent circle") == ["Admin Edited"]


def test_the_catalogue_import_fills_the_search_text(client, db, tmp_path):
    call_command(
        "import_catalogue",
        "fixtures/demo-catalogue.json",
        stdout=tmp_path.joinpath("out").open("w"),
    )

    listing = Listing.objects.current().exclude(outcomes=[]).order_by("slug").first()
    content = listing.version.content
    names = [content["outcomes"][slug]["name"] for slug in content["terms"]["target_outcomes"]]
    names += [topic["name"] for topic in content["terms"]["topics"]]
    assert all(name in listing.search_text for name in names)
    assert listing.name in found(client, f'"{names[0]}"')
