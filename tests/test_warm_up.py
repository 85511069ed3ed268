"""A new gunicorn worker warms up before its first visitor (evidence_store/warm_up.py):
afterwards the list needs only its page of rows, as for any later visitor."""

import logging
from contextlib import contextmanager

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext

from evidence_store.warm_up import warm_up
from evidence_store.wsgi import application
from publishing import catalogue_state


@contextmanager
def connections_left_open():
    """As Django's test client does: a real request would close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def queries_for_the_list(client) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get("/interventions/", {"page": "1"})
    assert response.status_code == 200
    return len(context)


def test_after_warming_up_the_first_visitor_to_the_list_waits_for_nothing_more(
    client, published_intervention
):
    catalogue_state.forget()
    first_in_a_cold_worker = queries_for_the_list(client)
    any_later_visit = queries_for_the_list(client)
    catalogue_state.forget()

    with connections_left_open():
        assert warm_up(application) == [200, 200]

    assert queries_for_the_list(client) == any_later_visit < first_in_a_cold_worker


def test_a_worker_that_cannot_warm_up_still_starts_and_says_why(db, caplog):
    def broken(environ, start_response):
        raise RuntimeError("the database is down")

    with caplog.at_level(logging.ERROR, logger="evidence_store.warm_up"):
        assert warm_up(broken) == [0, 0]

    assert "Warming up / failed" in caplog.text
    assert "the database is down" in caplog.text
