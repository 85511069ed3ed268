"""Pin a page's SQL queries, and print them when the number changes (as Zulip's
assert_database_query_count does), so a failure shows which query came or went.

A process keeps some data until the catalogue changes (publishing/catalogue_state.py:
the filters' options, the facet index, the glossary, the demonstration notice, the
synonyms). Pins count a cold process, as the first request after a publication
finds it, unless `warm=True` pins a request that follows another."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext

from publishing import catalogue_state


@contextmanager
def assert_queries(expected: int, *, warm: bool = False):
    if not warm:
        catalogue_state.forget()
    with CaptureQueriesContext(connection) as context:
        yield context
    if len(context) != expected:
        listing = "\n\n".join(
            f"{n}. {query['sql']}" for n, query in enumerate(context.captured_queries, 1)
        )
        raise AssertionError(f"Expected {expected} queries, {len(context)} ran:\n\n{listing}")
