"""A rule across a record's fields, written once: the database's CHECK constraint and
the plain message a model's clean() gives are both made from it.

    GROUP_SIZE = Rule(
        "intervention_n",
        Q(intervention_n__isnull=True) | Q(intervention_n__gt=0),
        "A group must have at least 1 child or family.",
    )

A model keeps its rules in a table, {constraint name: rules}. `check_constraints(table)`
gives its Meta.constraints (a constraint holds when all its rules do), and
`problems(table, values)` what clean() says: each broken rule's message, on its field;
a model that inherits `Checked` says it in its clean().

clean() decides as PostgreSQL does. A comparison with an empty value (NULL) is unknown,
and a CHECK constraint refuses a row only when its condition is false, so a rule is
broken exactly when the database would refuse the row. Only plain lookups (exact, in,
lt, lte, gt, gte, isnull) against values or F() of other fields are understood; a rule
with anything else is refused when its table is built, not when a curator saves.
"""

from __future__ import annotations

import functools
import operator
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

COMPARISONS = {
    "exact": operator.eq,
    "lt": operator.lt,
    "lte": operator.le,
    "gt": operator.gt,
    "gte": operator.ge,
    "in": lambda value, choices: value in choices,
}


@dataclass(frozen=True)
class Rule:
    """What must hold (`condition`), and what to tell the curator (`message`, on `field`)
    when it does not. The message may name the record's values, e.g. "{intervention_n}"."""

    field: str
    condition: Q
    message: str
    fields: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", frozenset(_fields_of(self.condition)))

    def holds(self, values: Mapping[str, Any]) -> bool | None:
        """True, False, or None when unknown (as SQL says of a comparison with NULL)."""
        return _truth(self.condition, values)

    def explain(self, values: Mapping[str, Any]) -> str:
        return self.message.format_map(values)


RuleTable = Mapping[str, Sequence[Rule]]


def check_constraints(table: RuleTable) -> list[models.CheckConstraint]:
    """The database's last line of defence: one named constraint per table entry."""
    return [
        models.CheckConstraint(
            condition=functools.reduce(operator.and_, (rule.condition for rule in rules)),
            name=name,
        )
        for name, rules in table.items()
    ]


def problems(
    table: RuleTable, values: Mapping[str, Any], found: dict[str, str] | None = None
) -> dict[str, str]:
    """Add to `found` the message of each broken rule on its field, in the table's order.
    One message per field, the first; and a rule that involves a field already found at
    fault is not asked (as Django skips a constraint on a field already in error)."""
    found = {} if found is None else found
    for rules in table.values():
        for rule in rules:
            if rule.fields.isdisjoint(found) and rule.holds(values) is False:
                found[rule.field] = rule.explain(values)
    return found


class Checked:
    """A model whose clean() refuses what `problems()` finds: by default, the broken
    rules of its table, `rules`. A model with more to say extends `problems()`."""

    rules: RuleTable = {}

    def clean(self) -> None:
        super().clean()
        found = self.problems()
        if found:
            raise ValidationError(found)

    def problems(self) -> dict[str, str]:
        return problems(self.rules, values_of(self))


def values_of(instance: models.Model) -> dict[str, Any]:
    """A model instance's own field values, by column name, for `problems`."""
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _fields_of(condition: Q) -> Iterable[str]:
    for child in condition.children:
        if isinstance(child, Q):
            yield from _fields_of(child)
            continue
        name, lookup, expected = _lookup(child)
        yield name
        if isinstance(expected, F):
            yield expected.name


def _lookup(child) -> tuple[str, str, Any]:
    """("intervention_n__gt", 0) -> ("intervention_n", "gt", 0), refusing what we cannot
    decide in Python exactly as the database would."""
    if not isinstance(child, tuple):
        raise TypeError(f"A rule's condition can only hold Q objects, not {child!r}.")
    path, expected = child
    name, _, lookup = path.partition("__")
    lookup = lookup or "exact"
    if lookup not in {*COMPARISONS, "isnull"} or "__" in lookup:
        raise TypeError(f"A rule cannot decide {path!r} in Python: use a plain lookup.")
    if hasattr(expected, "resolve_expression") and not isinstance(expected, F):
        raise TypeError(f"A rule can compare {name} with a value or F(), not {expected!r}.")
    if isinstance(expected, F) and "__" in expected.name:
        raise TypeError(f"A rule can only compare fields of the record itself: {expected!r}.")
    return name, lookup, expected


def _truth(condition: Q, values: Mapping[str, Any]) -> bool | None:
    """SQL's three-valued logic: NULL for unknown."""
    results = [
        _truth(child, values) if isinstance(child, Q) else _compare(child, values)
        for child in condition.children
    ]
    if condition.connector == Q.AND:
        result = False if False in results else None if None in results else True
    else:
        result = True if True in results else None if None in results else False
    if condition.negated and result is not None:
        result = not result
    return result


def _compare(child, values: Mapping[str, Any]) -> bool | None:
    name, lookup, expected = _lookup(child)
    actual = values[name]
    if lookup == "isnull" or (lookup == "exact" and expected is None):
        return (actual is None) == (expected if lookup == "isnull" else True)
    if isinstance(expected, F):
        expected = values[expected.name]
    if actual is None or expected is None:
        return None
    return COMPARISONS[lookup](actual, expected)
