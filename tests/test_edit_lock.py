"""Two curators editing one record can't lose each other's work (issue 12, lost updates)."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from interventions.models import Intervention, Topic
from ratings.models import Finding, Study
from tests import factories
from tests.page_text import text_of
from tests.test_admin import BrowserForm, change_url, page_form, type_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_client(db):
    client = Client()
    client.force_login(factories.make_curator("sam.second"))
    return client


def test_a_stale_intervention_form_is_refused_and_nothing_is_lost(curator_client, second_client):
    intervention = factories.make_intervention(name="Northgate Mentoring", summary="The first")
    url = change_url(intervention)
    # Both curators open the same page.
    first = page_form(curator_client, url, "intervention_form")
    second = page_form(second_client, url, "intervention_form")

    response = curator_client.post(url, type_in(first, summary="Casey's summary"))
    assert response.status_code == 302

    response = second_client.post(url, type_in(second, summary="Sam's summary", developer="Sam"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Someone else saved this intervention after you opened this page" in page
    assert "casey.curator" in page
    # Both versions are shown side by side.
    assert "Casey's summary" in page and "Sam's summary" in page
    # Sam's typed values are still in the form...
    form = response.context["adminform"].form
    assert form["summary"].value() == "Sam's summary"
    assert form["developer"].value() == "Sam"
    # ...and Casey's save was kept.
    intervention.refresh_from_db()
    assert intervention.summary == "Casey's summary"

    # Having seen both, Sam saves again on purpose: now theirs is kept.
    retry = page_form_from(response, "intervention_form")
    assert second_client.post(url, retry).status_code == 302
    intervention.refresh_from_db()
    assert intervention.summary == "Sam's summary"


def test_an_unrelated_error_keeps_the_page_out_of_date(curator_client, second_client):
    """A form that fails for another reason still carries the version it was opened from,
    so fixing the error does not overwrite a save made in between."""
    intervention = factories.make_intervention(name="Northgate Mentoring")
    url = change_url(intervention)
    second = page_form(second_client, url, "intervention_form")
    response = second_client.post(url, type_in(second, name=""))
    assert response.status_code == 200
    assert "Someone else saved" not in text_of(response)

    first = page_form(curator_client, url, "intervention_form")
    assert curator_client.post(url, type_in(first, summary="Casey's")).status_code == 302

    retry = type_in(page_form_from(response, "intervention_form"), name="Northgate Mentoring")
    response = second_client.post(url, retry)
    assert "Someone else saved this intervention" in text_of(response)
    assert Intervention.objects.get(pk=intervention.pk).summary == "Casey's"


def test_a_study_is_stale_when_another_curator_changed_a_finding(
    curator_client, second_client, published_intervention
):
    study = factories.make_study(published_intervention)
    finding = factories.make_finding(study, published_intervention)
    url = change_url(study)
    first = page_form(curator_client, url, "study_form")
    second = page_form(second_client, url, "study_form")

    first_row = next(k for k in first if k.endswith("-measure"))
    response = curator_client.post(url, type_in(first, **{first_row: "Casey's measure"}))
    assert response.status_code == 302

    response = second_client.post(url, type_in(second, title="Sam's title"))
    assert response.status_code == 200
    page = text_of(response)
    assert "Someone else saved this study" in page
    assert "findings were changed too" in page
    assert Study.objects.get(pk=study.pk).title != "Sam's title"
    assert Finding.objects.get(pk=finding.pk).measure == "Casey's measure"


def test_a_stale_taxonomy_term_is_refused(curator_client, second_client):
    topic = Topic.objects.create(name="Parental conflict", slug="parental-conflict")
    url = change_url(topic)
    first = page_form(curator_client, url, "topic_form")
    second = page_form(second_client, url, "topic_form")
    assert curator_client.post(url, type_in(first, description="Casey's")).status_code == 302
    response = second_client.post(url, type_in(second, description="Sam's"))
    assert "Someone else saved this topic" in text_of(response)
    assert Topic.objects.get(pk=topic.pk).description == "Casey's"


def test_a_form_without_its_saved_version_is_refused(curator_client):
    intervention = factories.make_intervention(name="Northgate Mentoring", summary="Kept")
    url = change_url(intervention)
    data = page_form(curator_client, url, "intervention_form")
    del data["_saved_version"]
    response = curator_client.post(url, type_in(data, summary="Lost?"))
    assert response.status_code == 200
    assert Intervention.objects.get(pk=intervention.pk).summary == "Kept"


def test_adding_a_rating_elsewhere_does_not_make_the_intervention_page_stale(
    curator_client, published_intervention, scales
):
    """Ratings are added, never overwritten, so they cannot be lost."""
    url = change_url(published_intervention)
    data = page_form(curator_client, url, "intervention_form")
    factories.rate(published_intervention, "evidence-strength", "2")
    assert curator_client.post(url, type_in(data, summary="Still saved")).status_code == 302


def page_form_from(response, form_id: str) -> dict:
    """What a browser would submit from the form the response shows."""
    parser = BrowserForm(form_id)
    parser.feed(response.content.decode())
    data: dict[str, list[str]] = {}
    for name, value in parser.fields:
        data.setdefault(name, []).append(value)
    return data


def test_saving_locks_the_row_before_comparing_versions(curator_client):
    """Two saves at the same moment: the second waits for the first to commit, then sees
    its change, because the row is locked before the saved version is read."""
    intervention = factories.make_intervention(name="Northgate Mentoring")
    url = change_url(intervention)
    data = page_form(curator_client, url, "intervention_form")
    with CaptureQueriesContext(connection) as queries:
        assert curator_client.post(url, type_in(data, summary="Saved")).status_code == 302
    table = Intervention._meta.db_table
    sql = [query["sql"] for query in queries.captured_queries]
    lock = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q and table in q)
    update = next(i for i, q in enumerate(sql) if q.startswith(f'UPDATE "{table}"'))
    # The record is read afresh under the lock, and compared, before it is written.
    assert any(q.startswith("SELECT") and table in q for q in sql[lock + 1 : update])
