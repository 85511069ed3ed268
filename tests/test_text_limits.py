"""Every text a curator types has a maximum length, stated once on its model field.

Without limits, an intervention's description of a million words broke
PostgreSQL's 1 MB limit on the search vector and the admin answered 500.
"""

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models

from interventions.models import LONG_TEXT, MOST_OTHER_NAMES, Intervention
from publishing.models import Listing
from tests import factories
from tests.test_admin import change_url, page_form, type_in

DRAFT = Intervention.Status.DRAFT

# Over a megabyte of different words: more than a tsvector can hold.
MILLION_WORDS = " ".join(f"word{number}" for number in range(150_000))


def text_fields() -> list[models.Field]:
    """Every text field of both apps (the history models copy them), but the two that
    code writes: the search's copy of term names and a history entry's reason."""
    return [
        field
        for app in ["interventions", "ratings"]
        for model in apps.get_app_config(app).get_models()
        for field in model._meta.concrete_fields
        if isinstance(field, models.TextField)
        and field.name not in {"search_text", "history_change_reason"}
    ]


def test_every_text_field_has_a_maximum_length():
    fields = text_fields()
    assert len(fields) > 40
    unlimited = [f"{field.model.__name__}.{field.name}" for field in fields if not field.max_length]
    assert unlimited == []


def test_the_catalogue_format_states_the_limits():
    docs = (settings.BASE_DIR / "docs" / "catalogue-format.md").read_text()
    assert f"| {LONG_TEXT:,} |" in docs
    assert f"(at most {MOST_OTHER_NAMES} of them)" in docs


def test_other_names_are_limited_in_number():
    field = Intervention._meta.get_field("other_names")
    assert isinstance(field, ArrayField) and field.size == MOST_OTHER_NAMES == 20


def test_a_description_too_long_for_the_search_is_a_form_error(curator_client):
    intervention = factories.make_intervention(name="Quayside Parents", status=DRAFT)
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    type_in(data, description=MILLION_WORDS)

    response = curator_client.post(change_url(intervention), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert errors["description"] == [
        f"Ensure this value has at most 20000 characters (it has {len(MILLION_WORDS)})."
    ]
    intervention.refresh_from_db()
    assert intervention.description == ""


def test_a_long_description_within_the_limit_is_saved_and_found(curator_client):
    intervention = factories.make_intervention(name="Quayside Parents", status=DRAFT)
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    text = ("Families meet weekly. " * 1000)[: LONG_TEXT - 9] + " zanzibar"
    assert len(text) == LONG_TEXT
    type_in(data, description=text)

    assert curator_client.post(change_url(intervention), data).status_code == 302
    # Published, the whole description is searchable (the search vector holds it).
    factories.publish(intervention, note="Longer description.")
    assert Listing.objects.filter(search_vector="zanzibar").get().intervention == intervention


def test_too_many_other_names_is_a_form_error(curator_client):
    intervention = factories.make_intervention(name="Quayside Parents", status=DRAFT)
    data = page_form(curator_client, change_url(intervention), "intervention_form")
    type_in(data, other_names=",".join(f"Name {number}" for number in range(50_000)))

    response = curator_client.post(change_url(intervention), data)

    assert response.status_code == 200
    assert "other_names" in response.context["adminform"].form.errors
    intervention.refresh_from_db()
    assert intervention.other_names == []


def test_a_study_summary_too_long_is_a_form_error(curator_client, published_intervention):
    study = factories.make_study(published_intervention)
    data = page_form(curator_client, change_url(study), "study_form")
    type_in(data, summary="x" * (LONG_TEXT + 1))

    response = curator_client.post(change_url(study), data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["summary"] == [
        f"Ensure this value has at most 20000 characters (it has {LONG_TEXT + 1})."
    ]
