"""The list answers "what was found to improve this?", not "what aims to?".

Found to improve: a rigorous study (the rating's own definition) found an
improvement unlikely to be chance. Never for an intervention rated "found not to
be effective", nor for one where a rigorous study found harm.
"""

import pytest
from django.urls import reverse

from tests import factories
from tests.page_text import text_of

LIST = reverse("interventions:list")


@pytest.fixture
def behaviour(db):
    return factories.make_outcome(name="Behaviour problems", slug="behaviour-problems")


def improved_by_a_trial(name: str, outcome, **finding) -> object:
    intervention = factories.make_intervention(name=name)
    intervention.target_outcomes.add(outcome)
    study = factories.make_study(intervention)
    factories.make_finding(study, intervention, outcome=outcome, **finding)
    return intervention


def names_listed(client, **params) -> str:
    return text_of(client.get(LIST, params))


def test_an_outcome_it_only_aims_at_is_not_found_to_improve(client, behaviour):
    hopeful = factories.make_intervention(name="Hopeful Start")
    hopeful.target_outcomes.add(behaviour)
    factories.publish(hopeful)
    proven = improved_by_a_trial("Proven Steps", behaviour)
    factories.publish(proven)

    found = names_listed(client, outcome="behaviour-problems")
    assert "Proven Steps" in found and "Hopeful Start" not in found
    aims = names_listed(client, outcome="behaviour-problems", outcomes="aims")
    assert "Proven Steps" in aims and "Hopeful Start" in aims


def test_found_not_to_be_effective_is_never_found_to_improve(client, behaviour):
    rated_ne = improved_by_a_trial("Rated Not Effective", behaviour)
    factories.rate(rated_ne, "evidence-strength", "NE", reason="Larger trials found nothing.")
    factories.publish(rated_ne)

    assert "Rated Not Effective" not in names_listed(client, outcome="behaviour-problems")
    assert "Rated Not Effective" in names_listed(
        client, outcome="behaviour-problems", outcomes="aims"
    )


def test_a_rigorous_finding_of_harm_keeps_it_out_of_found_to_improve(client, behaviour):
    harmful = improved_by_a_trial("Mixed Results", behaviour)
    worse = factories.make_outcome(name="Anxiety", slug="anxiety")
    study = harmful.studies.get()
    # Higher anxiety scores are worse, and the intervention group scored higher.
    factories.make_finding(study, harmful, outcome=worse, intervention_mean=15.0)
    factories.publish(harmful)

    assert "Mixed Results" not in names_listed(client, outcome="behaviour-problems")


def test_a_study_without_a_comparison_group_does_not_count(client, behaviour):
    before_after = factories.make_intervention(name="Before And After")
    study = factories.make_study(before_after, design="pre_post", comparison_n=None)
    factories.make_finding(study, before_after, outcome=behaviour)
    factories.publish(before_after)

    assert "Before And After" not in names_listed(client, outcome="behaviour-problems")


def test_the_card_names_each_outcome_improved_with_its_size_in_words(client, behaviour):
    factories.publish(improved_by_a_trial("Proven Steps", behaviour))

    card = names_listed(client)
    assert "Found to improve Behaviour problems: an average child would move up about" in card
    assert "places in 100" in card
