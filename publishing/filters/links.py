"""Every link on the list page, from one source: the state we actually used.

A value we could not use (say ?topic=bogus) is not part of the state, so no link
carries it on: not the tags, the downloads, the pages or "clear filters"."""

from django.http import QueryDict

from publishing.filters.filterset import FOUND, InterventionFilter

# Clearing the filters keeps these.
KEPT_WHEN_CLEARING = ("q", "sort", "outcomes")


class Links:
    def __init__(self, filterset: InterventionFilter) -> None:
        self.cleaned = filterset.form.cleaned_data

    def query(self, leave_out: str | None = None, value: str | None = None) -> QueryDict:
        """The state as a query, without one value of a filter (or, with no value, all of it)."""
        data = QueryDict(mutable=True)
        for name, chosen in self.cleaned.items():
            values = chosen if isinstance(chosen, list) else [chosen] if chosen else []
            if name == leave_out:
                values = [v for v in values if value is not None and v != value]
            if name == "outcomes" and values == [FOUND]:
                values = []  # the usual meaning needs no mention in a link
            if values:
                data.setlist(name, values)
        return data

    def query_string(self, leave_out: str | None = None, value: str | None = None) -> str:
        return f"?{self.query(leave_out, value).urlencode()}"

    @property
    def state(self) -> str:
        """The whole state, for the downloads."""
        return self.query_string()

    @property
    def clear(self) -> str:
        """Clear the filters, keep the search and the sort."""
        data = QueryDict(mutable=True)
        for name in KEPT_WHEN_CLEARING:
            if self.cleaned.get(name):
                data[name] = self.cleaned[name]
        return f"?{data.urlencode()}"
