"""Curation traps (issue 12): a measure's direction is chosen, look-alike studies are
flagged, the history shows the evidence under an intervention, errors show first."""

import pytest
from django.urls import reverse

from ratings.models import Finding, Study
from tests import factories
from tests.page_text import text_of
from tests.test_admin import add_rows, change_url, continuous_finding, page_form, type_in

pytestmark = pytest.mark.django_db


# --- Which way is better on a measure: always chosen, never assumed ---


def test_a_new_finding_has_no_direction_chosen(curator_client, published_intervention):
    study = factories.make_study(published_intervention)
    data = page_form(curator_client, change_url(study), "study_form")
    # The page's empty row for "Add another finding" has neither choice ticked.
    assert "findings-__prefix__-higher_is_better" not in data
    outcome = factories.make_outcome()
    row = continuous_finding(published_intervention, outcome)
    del row["higher_is_better"]
    add_rows(data, "findings", row)
    response = curator_client.post(change_url(study), data)
    assert response.status_code == 200
    assert "Say whether a higher or a lower score is better on this measure." in text_of(response)
    assert not Finding.objects.filter(study=study).exists()


def test_the_direction_chosen_is_kept(curator_client, published_intervention):
    study = factories.make_study(published_intervention)
    data = page_form(curator_client, change_url(study), "study_form")
    outcome = factories.make_outcome()
    add_rows(data, "findings", continuous_finding(published_intervention, outcome))
    data["findings-0-higher_is_better"] = ["True"]
    assert curator_client.post(change_url(study), data).status_code == 302
    assert Finding.objects.get(study=study).higher_is_better is True


# --- Look-alike studies: a warning the curator can confirm past ---


def new_study(client, intervention, **fields) -> dict:
    data = page_form(client, reverse("admin:ratings_study_add"), "study_form")
    citation = {
        "authors": "Okafor, N.",
        "year": 2021,
        "title": "A trial of a parenting programme",
        "design": "rct",
        "country": "GB",
        "interventions": [intervention.pk],
    }
    return type_in(data, **{**citation, **fields})


def test_a_study_with_the_same_doi_is_flagged_and_can_be_saved_anyway(
    curator_client, published_intervention
):
    existing = factories.make_study(published_intervention, doi="10.1000/abc")
    data = new_study(curator_client, published_intervention, doi="10.1000/ABC")
    response = curator_client.post(reverse("admin:ratings_study_add"), data)
    assert response.status_code == 200
    page = text_of(response)
    assert "A study with the same DOI is already in the catalogue" in page
    assert existing.title in page
    assert Study.objects.count() == 1

    type_in(data, save_anyway="on")
    response = curator_client.post(reverse("admin:ratings_study_add"), data)
    assert response.status_code == 302, response.context["errors"]
    assert Study.objects.count() == 2


def test_a_study_with_the_same_title_and_year_is_flagged(curator_client, published_intervention):
    existing = factories.make_study(published_intervention)
    data = new_study(
        curator_client, published_intervention, title=existing.title.upper(), year=existing.year
    )
    response = curator_client.post(reverse("admin:ratings_study_add"), data)
    assert "A study with the same title and year is already in the catalogue" in text_of(response)


def test_a_different_study_is_not_flagged(curator_client, published_intervention):
    factories.make_study(published_intervention, doi="10.1000/abc")
    data = new_study(curator_client, published_intervention, doi="10.1000/xyz")
    assert curator_client.post(reverse("admin:ratings_study_add"), data).status_code == 302


# --- The history shows the evidence under the intervention ---


def test_the_intervention_history_includes_its_evidence_newest_first(
    curator_client, published_intervention, scales
):
    study = factories.make_study(published_intervention, title="The Leeds trial")
    factories.make_finding(study, published_intervention, measure="SDQ total difficulties")
    factories.rate(published_intervention, "evidence-strength", "2")
    factories.make_cost(published_intervention)
    url = reverse("admin:interventions_intervention_history", args=[published_intervention.pk])
    response = curator_client.get(url)
    kinds = [entry["kind"] for entry in response.context["working_copy_history"]]
    first_seen = list(dict.fromkeys(kinds))
    assert first_seen == ["Unit cost estimate", "Rating", "Finding", "Study", "Intervention"]
    page = text_of(response)
    assert "Finding: SDQ total difficulties" in page
    assert "The Leeds trial" in page


# --- After a failed save, the errors come first ---


def test_errors_show_above_the_rating_panel(curator_client, published_intervention):
    url = change_url(published_intervention)
    data = page_form(curator_client, url, "intervention_form")
    response = curator_client.post(url, type_in(data, name=""))
    html = response.content.decode()
    assert 'class="error-summary"' in html
    assert html.index('class="error-summary"') < html.index('id="suggested-rating"')
    assert "Nothing was saved: there is a problem" in text_of(response)
