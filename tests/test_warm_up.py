"""A new gunicorn worker warms up before its first visitor (evidence_store/warm_up.py):
afterwards the list needs only its page of rows, as for any later visitor. Real
requests through the WSGI handler close connections, so these tests commit."""

import logging

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from evidence_store.warm_up import warm_up
from evidence_store.wsgi import application
from publishing import catalogue_state

pytestmark = pytest.mark.django_db(transaction=True)


def queries_for_the_list(client, **params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get("/interventions/", {"page": "1", **params})
    assert response.status_code == 200
    return len(context)


def test_after_warming_up_the_first_visitor_to_the_list_waits_for_nothing_more(
    client, published_intervention
):
    catalogue_state.forget()
    first_in_a_cold_worker = queries_for_the_list(client)
    any_later_visit = queries_for_the_list(client)
    catalogue_state.forget()

    assert warm_up(application) == [200, 200]
    # Its own connection closed: the worker's threads each open theirs.
    assert connection.connection is None

    assert queries_for_the_list(client) == any_later_visit < first_in_a_cold_worker


def test_a_worker_warms_up_even_when_another_has_cached_the_pages(
    client, published_intervention, settings, tmp_path
):
    settings.PUBLIC_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }
    assert warm_up(application) == [200, 200]  # the first worker
    catalogue_state.forget()  # a new worker, with nothing kept

    assert warm_up(application) == [200, 200]

    warmed = queries_for_the_list(client, sort="name")
    catalogue_state.forget()
    assert warmed < queries_for_the_list(client, sort="evidence")


def test_a_worker_that_cannot_warm_up_still_starts_and_says_why(db, caplog):
    def broken(environ, start_response):
        raise RuntimeError("the database is down")

    with caplog.at_level(logging.ERROR, logger="evidence_store.warm_up"):
        assert warm_up(broken) == [0, 0]

    assert "Warming up / failed" in caplog.text
    assert "the database is down" in caplog.text
