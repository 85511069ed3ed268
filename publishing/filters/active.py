"""The chosen filters in words: removable tags, and advice on what to relax."""

from dataclasses import dataclass

from publishing.filters.conditions import FlagFilter
from publishing.filters.counts import Counts
from publishing.filters.filterset import InterventionFilter
from publishing.filters.links import Links


@dataclass
class Tag:
    label: str
    url: str


@dataclass
class TagGroup:
    name: str
    label: str
    tags: list[Tag]


@dataclass
class Relaxation:
    filter: str
    count: int
    url: str


def tags(filterset: InterventionFilter, links: Links) -> list[TagGroup]:
    groups = []
    for name, chosen in filterset.chosen.items():
        values = chosen if isinstance(chosen, list) else [chosen]
        group = [
            Tag(
                f"“{value}”" if name == "q" else filterset.option_label(name, value),
                links.query_string(leave_out=name, value=value),
            )
            for value in values
        ]
        groups.append(TagGroup(name, filterset.filters[name].label, group))
    return groups


def describe(filterset: InterventionFilter, name: str) -> str:
    """A chosen filter in words, e.g. "Topic: Kinship care or Neglect"."""
    chosen = filterset.chosen[name]
    filter_ = filterset.filters[name]
    if name == "q":
        return f"the search “{chosen}”"
    if isinstance(filter_, FlagFilter):
        return str(filter_.label)
    values = chosen if isinstance(chosen, list) else [chosen]
    return f"{filter_.label}: " + " or ".join(
        filterset.option_label(name, value) for value in values
    )


def relaxations(filterset: InterventionFilter, counts: Counts, links: Links) -> list[Relaxation]:
    """When nothing matches: each chosen filter whose removal gives results, most first
    (counts.py has counted the results without each, the search included)."""
    chosen = filterset.chosen
    found = [
        Relaxation(describe(filterset, name), counts.without[name], links.query_string(name))
        for name in chosen
        if counts.without.get(name)
    ]
    return sorted(found, key=lambda relaxation: -relaxation.count)
