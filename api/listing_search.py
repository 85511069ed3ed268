"""The one place the API, the feeds and the alerts apply the list's filters, so they
always find exactly what /interventions/ finds for the same query string."""

from django.http import QueryDict

from publishing import filters


def find(query: QueryDict):
    """(filter set, problems in plain words) for a query string, as the list page has it."""
    return filters.find(query)


def matching(query: QueryDict):
    """The listing rows the list shows for a query string, in its order, and its problems."""
    filterset, problems = find(query)
    return filterset.ordered(filterset.qs), problems
