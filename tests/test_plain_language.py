"""Plain-language advice in the admin: the reading ease of each public text, and the
abbreviations it leaves unexplained, beside the field as the curator edits."""

import json
import re
from html import unescape

import pytest
from django.contrib.auth.models import Permission, User
from django.urls import reverse

from interventions.models import LONG_TEXT, GlossaryTerm
from interventions.plain_language import (
    PLAIN_ENGLISH,
    advise,
    is_plain,
    reading_ease,
    unexplained_abbreviations,
)
from interventions.templatetags.store_format import explain
from tests import factories
from tests.test_admin import page_form, type_in

# A summary as a developer might send it: long sentences, long words and their codes.
HARD_SUMMARY = (
    "A multicomponent psychoeducational intervention operationalising attachment-informed "
    "therapeutic methodologies for caregivers experiencing intergenerational adversity, "
    "delivered through NL2 pathways, monitored using the PHQ-9 and CBT-derived "
    "psychometric instrumentation, with Strengths and Difficulties Questionnaire (SDQ) "
    "administration at baseline."
)
CHECK_URL = reverse("admin:interventions_intervention_plain_language")


# --- The rules ---


def test_plain_words_score_60_or_more_and_hard_ones_less():
    plain = "Parents meet in a group once a week. They learn to praise their child and stay calm."
    assert reading_ease(plain) >= PLAIN_ENGLISH and is_plain(reading_ease(plain))
    assert not is_plain(reading_ease(HARD_SUMMARY))
    assert 0 <= reading_ease(HARD_SUMMARY) < 30


def test_an_abbreviation_the_glossary_or_the_text_explains_is_not_listed():
    text = (
        "Mothers fill in the PHQ-9 and the GAD-72 each term. Families rated NL2 join. "
        "Staff use cognitive behavioural therapy (CBT); ADHD (attention deficit "
        "hyperactivity disorder) is screened for in the UK, with the AUDIT-C, in phase II."
    )
    assert unexplained_abbreviations(text, ["PHQ-9", "GAD-7", "AUDIT-C"]) == ["GAD-72", "NL2"]


def test_brackets_that_do_not_spell_it_out_do_not_explain_it():
    assert unexplained_abbreviations("Children at evidence level (NL2) take part.", []) == ["NL2"]
    assert unexplained_abbreviations("Multisystemic Therapy (MST) for teenagers.", []) == []


def test_what_counts_as_explained_is_what_the_public_pages_link():
    """A glossary term counts only where the public `explain` filter links it."""
    terms = [GlossaryTerm(term="SDQ", slug="sdq", meaning="A questionnaire.")]
    for text, linked in [("The SDQ total.", True), ("SDQ-based scores.", False)]:
        assert ('href="/glossary/#sdq"' in explain(text, terms)) is linked
        assert (unexplained_abbreviations(text, ["SDQ"]) == []) is linked


def test_short_texts_are_not_scored_and_empty_ones_get_no_advice():
    assert advise("Weekly supervision by a social worker.", []).score is None
    assert advise("Weekly supervision by a social worker.", []).ease.startswith("Too short")
    assert advise("", []).is_empty


# --- Beside each field, without JavaScript ---


@pytest.fixture
def hard_intervention(db):
    GlossaryTerm.objects.get_or_create(
        term="PHQ-9", defaults={"slug": "phq-9", "meaning": "Nine questions on low mood."}
    )
    return factories.make_intervention(
        name="Deepwater Family Programme",
        summary=HARD_SUMMARY,
        workforce="Family workers with a level 3 qualification.",
        change_mechanism=(
            "Parents who feel calmer give warmer care, and children copy what they see at home."
        ),
    )


def advice_beside(page: str, field: str) -> str:
    """The advice shown beside one field, as text."""
    start = page.index(">", page.index(f'id="id_{field}_plain_language"')) + 1
    region = page[start : page.index("</div>", start)]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", region)).split())


def test_the_change_page_shows_the_saved_texts_reading_ease_and_abbreviations(
    curator_client, hard_intervention
):
    url = reverse("admin:interventions_intervention_change", args=[hard_intervention.pk])
    page = curator_client.get(url).content.decode()

    summary = advice_beside(page, "summary")
    score = reading_ease(HARD_SUMMARY)
    assert f"Reading ease {score}: hard to read (aim for 60 or more)." in summary
    # PHQ-9 is in the glossary and SDQ is spelt out: neither is listed.
    assert "Abbreviations not explained: NL2, CBT." in summary
    assert 'aria-describedby="id_summary_helptext id_summary_plain_language"' in page
    assert 'id="id_summary_plain_language" aria-live="polite"' in page

    assert advice_beside(page, "change_mechanism") == (
        "Reading ease 98: easy to read. No unexplained abbreviations."
    )
    assert "Too short for a reading-ease score" in advice_beside(page, "workforce")
    assert advice_beside(page, "licensing") == ""  # nothing typed, nothing to say


def test_the_advice_never_stops_a_save(curator_client, hard_intervention):
    url = reverse("admin:interventions_intervention_change", args=[hard_intervention.pk])
    data = page_form(curator_client, url, "intervention_form")
    type_in(data, summary=HARD_SUMMARY + " The NHS-AB route is used.", _continue="Save")
    response = curator_client.post(url, data)
    assert response.status_code == 302
    hard_intervention.refresh_from_db()
    assert hard_intervention.summary.endswith("The NHS-AB route is used.")
    # After the save, the advice is for the saved text.
    page = curator_client.get(response.url).content.decode()
    assert "Abbreviations not explained: NL2, CBT, NHS-AB." in advice_beside(page, "summary")


def test_study_rating_and_cost_texts_get_advice_too(curator_client, hard_intervention):
    study = factories.make_study(hard_intervention, summary=HARD_SUMMARY)
    page = curator_client.get(reverse("admin:ratings_study_change", args=[study.pk]))
    assert "Abbreviations not explained: NL2, CBT." in advice_beside(
        page.content.decode(), "summary"
    )
    page = curator_client.get(
        reverse("admin:interventions_intervention_change", args=[hard_intervention.pk])
    ).content.decode()
    # The rows a curator adds on the intervention page: ratings' reasons and costs' workings.
    assert 'id="id_ratings-__prefix__-reason_plain_language"' in page
    assert 'id="id_cost_estimates-__prefix__-assumptions_plain_language"' in page
    # A finding's measure, whose abbreviations the public pages explain from the glossary.
    factories.make_finding(study, hard_intervention, measure="GAD-7 and K10 totals")
    page = curator_client.get(reverse("admin:ratings_study_change", args=[study.pk]))
    measure = advice_beside(page.content.decode(), "findings-0-measure")
    assert "Abbreviations not explained: K10." in measure
    # And on the pages that add a rating or a cost on its own.
    for add in ("rating", "unitcostestimate", "finding"):
        page = curator_client.get(reverse(f"admin:ratings_{add}_add")).content.decode()
        assert "_plain_language" in page


# --- As the curator types: the JSON the script asks for ---


def test_the_check_gives_the_advice_for_the_typed_text(curator_client, hard_intervention):
    response = curator_client.post(CHECK_URL, {"text": HARD_SUMMARY})
    assert response.status_code == 200
    answer = response.json()
    assert answer["reading_ease"] == reading_ease(HARD_SUMMARY)
    assert answer["plain"] is False
    assert answer["unexplained"] == ["NL2", "CBT"]
    assert "Abbreviations not explained: NL2, CBT." in answer["html"]


def test_the_check_is_for_signed_in_curators_only(client, db):
    response = client.post(CHECK_URL, {"text": "The SDQ."})
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))

    # Staff, but without permission to add or change interventions.
    clerk = User.objects.create_user("clerk", password="a long test password 1", is_staff=True)
    client.force_login(clerk)
    assert client.post(CHECK_URL, {"text": "The SDQ."}).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="view_intervention"))
    assert client.post(CHECK_URL, {"text": "The SDQ."}).status_code == 403
    clerk.user_permissions.add(Permission.objects.get(codename="change_intervention"))
    clerk = User.objects.get(pk=clerk.pk)  # forget the cached permissions
    client.force_login(clerk)
    assert client.post(CHECK_URL, {"text": "The SDQ."}).status_code == 200


def test_the_check_needs_the_csrf_token(curator):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(curator)
    assert client.post(CHECK_URL, {"text": "The SDQ."}).status_code == 403


@pytest.mark.parametrize(
    "data",
    [
        {},
        {"words": "The SDQ."},
        {"text": "x" * (LONG_TEXT + 1)},
    ],
)
def test_bad_input_to_the_check_is_a_clear_400(curator_client, data):
    response = curator_client.post(CHECK_URL, data)
    assert response.status_code == 400
    assert response.json()["error"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\x00 NUL",
        "ß" * LONG_TEXT,
        "A" * LONG_TEXT,
        "(" * 5000 + "SDQ" + ")" * 5000,
        " ".join(f"(AB{n}) AB{n} (a b)" for n in range(LONG_TEXT))[:LONG_TEXT],
    ],
)
def test_odd_but_allowed_text_gets_advice(curator_client, text):
    response = curator_client.post(CHECK_URL, {"text": text})
    assert response.status_code == 200
    assert "html" in json.loads(response.content)


def test_a_get_is_refused(curator_client):
    assert curator_client.get(CHECK_URL, {"text": "The SDQ."}).status_code == 405
