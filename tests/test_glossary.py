"""Abbreviations and levels of need are explained where they appear, from one glossary."""

import pytest
from django.urls import reverse

from interventions.models import GlossaryTerm, NeedLevel
from interventions.templatetags.store_format import explain
from tests import factories
from tests.page_text import text_of


def test_each_known_abbreviation_links_to_its_explanation(db):
    terms = [GlossaryTerm(term="GAD-7", slug="gad-7", meaning="Seven questions on anxiety.")]
    html = explain("GAD-7 total score, not GAD-72 or xGAD-7", terms)
    assert html.count('href="/glossary/#gad-7"') == 1
    assert '<abbr title="Seven questions on anxiety.">GAD-7</abbr>' in html


def test_text_around_an_abbreviation_is_escaped(db):
    terms = [GlossaryTerm(term="SDQ", slug="sdq", meaning='A "questionnaire" <b>')]
    html = explain("<script>alert(1)</script> SDQ", terms)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert 'title="A &quot;questionnaire&quot; &lt;b&gt;"' in html


def test_the_glossary_page_explains_levels_of_need_and_abbreviations(client, db):
    NeedLevel.objects.create(
        name="Targeted: indicated", slug="targeted-indicated", description="Early signs noticed."
    )
    text = text_of(client.get(reverse("interventions:glossary")))
    assert "Targeted: indicated Early signs noticed." in text
    # The migration's starter terms, for the measures the studies use.
    assert "PHQ-9 Patient Health Questionnaire" in text


@pytest.fixture
def measured(db):
    intervention = factories.make_intervention(name="Calm Minds", slug="calm-minds")
    study = factories.make_study(intervention)
    factories.make_finding(
        study, intervention, measure="GAD-7 anxiety total", higher_is_better=False
    )
    factories.publish(intervention)
    return intervention, study


def test_a_measures_abbreviation_is_explained_on_the_intervention_and_study_pages(client, measured):
    intervention, study = measured
    for url in (intervention.get_absolute_url(), study.get_absolute_url()):
        page = client.get(url).content.decode()
        assert 'href="/glossary/#gad-7"><abbr title="Generalised Anxiety Disorder scale' in page


def test_the_intervention_page_says_what_levels_of_need_mean(client, measured):
    intervention, _ = measured
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert 'href="/glossary/#levels-of-need">What levels of need mean</a>' in page


def test_abbreviations_in_an_interventions_own_words_are_explained_too(client, db):
    intervention = factories.make_intervention(
        slug="talking-therapy",
        summary="Group CBT for parents whose children score high on the SDQ.",
        description="Parents complete the PHQ-9 at the start.",
        workforce="Therapists trained in CBT.",
    )
    factories.publish(intervention)

    page = client.get(intervention.get_absolute_url()).content.decode()

    for slug in ("cbt", "sdq", "phq-9"):
        assert f'href="/glossary/#{slug}"><abbr' in page, slug
    assert page.count('href="/glossary/#cbt"') >= 2  # the summary and who delivers it
