"""The database going away: a 503 page with Retry-After, one log line, and /healthz.

The outage here is real: the test's own server connection is ended from another
connection (pg_terminate_backend), as a database restart ends it.
tests/test_database_faults.py stops a whole server under gunicorn.
"""

import json
import logging

import psycopg2
import pytest
from django.db import close_old_connections, connection
from django.test import Client

pytestmark = pytest.mark.django_db(transaction=True)


def anonymous() -> Client:
    return Client(raise_request_exception=False)


@pytest.fixture
def cut_connection():
    """End this process's database connection from the server side; reconnect afterwards."""

    def cut() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_backend_pid()")
            pid = cursor.fetchone()[0]
        params = connection.get_connection_params()
        params.pop("cursor_factory", None)
        params.pop("context", None)
        other = psycopg2.connect(**params)
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        finally:
            other.close()

    yield cut
    connection.close()


def outage_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize("path", ["/interventions/?q=family", "/methods/", "/admin/login/"])
def test_a_lost_database_gives_a_503_page_in_the_site_style(path, cut_connection, caplog):
    cut_connection()
    response = anonymous().get(path)

    assert response.status_code == 503
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    page = response.content.decode()
    assert "Sorry, the service is unavailable" in page
    assert "govuk-footer" in page  # base.html, rendered without the database
    lines = outage_lines(caplog)
    assert len(lines) == 1, [r.getMessage() for r in lines]
    assert lines[0].getMessage().startswith(f"Database unavailable: GET {path.split('?')[0]} ")
    assert lines[0].exc_info is None  # a line, not a traceback


def test_a_page_that_is_not_found_during_an_outage_still_gets_a_clean_answer(
    cut_connection, caplog
):
    cut_connection()
    response = anonymous().get("/no-such-page/")
    assert response.status_code == 503
    assert "Sorry, the service is unavailable" in response.content.decode()
    assert len(outage_lines(caplog)) == 1


def test_the_next_request_reconnects(cut_connection):
    cut_connection()
    assert anonymous().get("/methods/").status_code == 503
    close_old_connections()  # what the end of every request does
    assert anonymous().get("/methods/").status_code == 200


def test_healthz_says_the_app_and_the_database_answer():
    response = anonymous().get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"app": "ok", "database": "ok"}
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_healthz_answers_a_load_balancer_asking_by_address():
    response = anonymous().get("/healthz", HTTP_HOST="10.1.2.3:8000")
    assert response.status_code == 200


def test_healthz_says_when_the_database_does_not_answer(cut_connection, caplog):
    cut_connection()
    response = anonymous().get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content) == {"app": "ok", "database": "unavailable"}
    assert "no-store" in response["Cache-Control"]
    assert len(outage_lines(caplog)) == 1
    close_old_connections()
    assert anonymous().get("/healthz").status_code == 200


def test_healthz_holds_nothing_secret():
    body = anonymous().get("/healthz").content.decode()
    settings_dict = connection.settings_dict
    for secret in [settings_dict["NAME"], settings_dict["HOST"], settings_dict["USER"]]:
        assert not secret or secret not in body


def test_healthz_is_not_redirected_to_https_in_production():
    """Production settings, over plain HTTP, by address, with no database at all."""
    from tests.test_settings import PRODUCTION, manage

    code = (
        "from django.test import Client; "
        "r = Client().get('/healthz', HTTP_HOST='10.1.2.3'); "
        "print(r.status_code, r.content.decode()); "
        "print(Client().get('/methods/', HTTP_HOST='evidence-store.example.org').status_code)"
    )
    result = manage("shell", "--no-imports", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    health, page = result.stdout.strip().splitlines()[-2:]
    assert health == '503 {"app": "ok", "database": "unavailable"}'
    assert page == "301"  # everything else still goes to HTTPS
