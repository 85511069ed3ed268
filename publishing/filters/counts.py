"""Facet counts: how many results each option gives, from the facet index.

An option's count is the number of results you get with it as the only choice in
its filter, the other filters as they are (OR within a filter, AND across them).
The rows each condition matches come from the facet index (facets.py), so the
counts cost no query; a search adds one, for the ids of the rows it matches, best
match first, which also orders its pages.
"""

from dataclasses import dataclass, field

from publishing import search
from publishing.filters import facets
from publishing.filters.conditions import ConditionFilter
from publishing.filters.filterset import InterventionFilter
from publishing.filters.widgets import OptionLabel


@dataclass
class Counts:
    total: int
    rows: int  # the results, as a bit set of the facet index's rows
    index: facets.FacetIndex | None = None  # that index: the page is picked from the same one
    ranked: list[int] = field(default_factory=list)  # a search's rows, best match first
    options: dict[str, dict[str, int]] = field(default_factory=dict)
    without: dict[str, int] = field(default_factory=dict)


def count_options(filterset: InterventionFilter) -> Counts:
    """Each option's count, the results without each chosen filter, and the total.

    A search narrows every count; the results without it (for the advice on what
    to relax) are counted too, so that advice needs no query of its own."""
    index = facets.index()
    chosen = filterset.chosen
    rows = index.everything if filterset.include_archived else index.current
    conditions = {
        name: filterset.filters[name].bits(value, index)
        for name, value in chosen.items()
        if name != "q"
    }

    def meeting(rows: int, leave_out: str | None = None) -> int:
        for name, matched in conditions.items():
            if name != leave_out:
                rows &= matched
        return rows

    ranked = []
    if "q" in chosen:
        unsearched = rows
        by_relevance = filterset.sort_key() == "relevance"
        ids = search.matching_ids(filterset.queryset, chosen["q"], ranked=by_relevance)
        searched = index.order_of(ids)
        rows &= facets.bits_of(searched, index.size)
        ranked = searched if by_relevance else []
    results = meeting(rows)
    counts = Counts(total=results.bit_count(), rows=results, ranked=ranked, index=index)
    for name, filter_ in filterset.filters.items():
        if not isinstance(filter_, ConditionFilter) or name == "q":
            continue
        others = meeting(rows, leave_out=name)
        for value in filter_.option_values():
            option = filter_.bits(filter_.only(value), index)
            counts.options.setdefault(name, {})[value] = (others & option).bit_count()
        if name in chosen:
            counts.without[name] = others.bit_count()
    if "q" in chosen:
        counts.without["q"] = meeting(unsearched).bit_count()
    return counts


def show_counts(filterset: InterventionFilter, counts: Counts) -> None:
    """Put each option's count beside its name; "Any" gets the count without the filter."""
    for name, by_value in counts.options.items():
        form_field = filterset.form.fields[name]

        def labelled(value, label, by_value=by_value):
            return OptionLabel(str(label), by_value[value])

        form_field.choices = [
            (value, [(v, labelled(v, lab)) for v, lab in label])
            if isinstance(label, (list, tuple))
            else (value, labelled(value, label))
            for value, label in form_field.choices
            if value != ""
        ]
        if getattr(form_field, "empty_label", None) is not None:
            form_field.empty_label = OptionLabel(
                str(form_field.empty_label), counts.without.get(name, counts.total)
            )
