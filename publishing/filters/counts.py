"""Facet counts: how many results each option gives, all in one aggregate query.

An option's count is the number of results you get with it as the only choice in
its filter, the other filters as they are (OR within a filter, AND across them).
"""

from dataclasses import dataclass, field

from django.db.models import Count, Q

from publishing.filters.conditions import ConditionFilter
from publishing.filters.filterset import InterventionFilter
from publishing.filters.widgets import OptionLabel


@dataclass
class Counts:
    total: int
    options: dict[str, dict[str, int]] = field(default_factory=dict)
    without: dict[str, int] = field(default_factory=dict)


def count_options(filterset: InterventionFilter) -> Counts:
    """Each option's count, the results without each chosen filter, and the total:
    one aggregate query of FILTERed counts.

    A search narrows every count, so it is the aggregate's WHERE (using the index)
    rather than part of each FILTER; the results without the search are counted
    only when a page needs them (active.relaxations)."""
    chosen = filterset.chosen
    rows = filterset.queryset
    if "q" in chosen:
        rows = rows.filter(filterset.filters["q"].condition(chosen["q"]))
    shared: dict[str, Count] = {"total": Count("pk", filter=Q(*filterset.conditions("q")))}
    keys: dict[str, tuple[str, str | None]] = {}

    def add(key: tuple[str, str | None], count: Count) -> None:
        alias = f"n{len(keys)}"
        keys[alias] = key
        shared[alias] = count

    for name, filter_ in filterset.filters.items():
        if not isinstance(filter_, ConditionFilter) or name == "q":
            continue
        others = filterset.conditions(leave_out=name, also_leave_out="q")
        for value, count in filter_.count_expressions(others).items():
            add((name, value), count)
        if name in chosen:
            add((name, None), Count("pk", filter=Q(*filterset.conditions(name, "q"))))
    numbers = rows.aggregate(**shared)
    counts = Counts(total=numbers["total"])
    for alias, (name, value) in keys.items():
        if value is None:
            counts.without[name] = numbers[alias]
        else:
            counts.options.setdefault(name, {})[value] = numbers[alias]
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
