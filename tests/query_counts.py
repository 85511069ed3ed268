"""Pin a page's SQL queries, and print them when the number changes (as Zulip's
assert_database_query_count does), so a failure shows which query came or went."""

from contextlib import contextmanager

from django.db import connection
from django.test.utils import CaptureQueriesContext


@contextmanager
def assert_queries(expected: int):
    with CaptureQueriesContext(connection) as context:
        yield context
    if len(context) != expected:
        listing = "\n\n".join(
            f"{n}. {query['sql']}" for n, query in enumerate(context.captured_queries, 1)
        )
        raise AssertionError(f"Expected {expected} queries, {len(context)} ran:\n\n{listing}")
