"""When the database does not answer: a 503 page with Retry-After, one log line, and /healthz.

The page renders without the database: no context processors (the catalogue
notice queries it), only base.html, `{% url %}` and `{% static %}`.
"""

from __future__ import annotations

import json
import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.template.loader import render_to_string
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger("evidence_store.outage")

RETRY_AFTER_SECONDS = 30
# Errors that mean the server is unreachable, restarting or refusing connections.
UNAVAILABLE = (OperationalError, InterfaceError)
HEALTH_PATH = "/healthz"


def database_unavailable(request: HttpRequest, error: Exception) -> HttpResponse:
    """The 503 page, logged as one line (no traceback)."""
    page = render_to_string("503.html", {"request": request})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    add_never_cache_headers(response)
    log_unavailable(request, error)
    response._has_been_logged = True  # Django's "Service Unavailable" line would be a second
    return response


def log_unavailable(request: HttpRequest, error: Exception) -> None:
    reason = (str(error).strip().splitlines() or [""])[0]
    logger.error(
        "Database unavailable: %s %s -> 503 (%s: %s)",
        request.method,
        request.path,
        type(error).__name__,
        reason,
    )


class DatabaseUnavailable:
    """A view (or its template) that cannot reach the database answers 503, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, UNAVAILABLE):
            return database_unavailable(request, exception)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page for a database error raised outside a view (the 404
    page's context, a middleware), Django's 500 page for anything else."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        return database_unavailable(request, error)
    return defaults.server_error(request)


class HealthCheck:
    """Answer /healthz before the host check, the HTTPS redirect and sessions run:
    a load balancer asks by address over plain HTTP. 200 when the database answers,
    503 when not; no cookies, never cached."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if request.path != HEALTH_PATH:
            return self.get_response(request)
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            status, database = 200, "ok"
        except DatabaseError as error:
            log_unavailable(request, error)
            status, database = 503, "unavailable"
        body = json.dumps({"app": "ok", "database": database})
        response = HttpResponse(body, status=status, content_type="application/json")
        if status == 503:
            response["Retry-After"] = str(RETRY_AFTER_SECONDS)
            response._has_been_logged = True
        add_never_cache_headers(response)
        return response
