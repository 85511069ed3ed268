"""Filters whose value becomes a condition (a Q) on the published listing.

Because each filter is a condition, the list applies them all at once and each
option's count combines all the others' (publishing/filters/counts.py).
"""

from collections.abc import Iterable

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from interventions.models import AgeBand
from publishing import search
from publishing.filters.facets import FacetIndex


class ConditionFilter(django_filters.Filter):
    """A filter whose value becomes a condition: a Q for the page's rows, and the same
    condition as a set of rows of the facet index, so counts can combine the others'."""

    def condition(self, value) -> Q:
        raise NotImplementedError

    def bits(self, value, facets: FacetIndex) -> int:
        """The rows the condition matches, from the facet index (publishing/filters/facets.py)."""
        raise NotImplementedError

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        return qs.filter(self.condition(value))

    def option_values(self) -> list[str]:
        """Every value that can be chosen on its own, for the counts."""
        return [value for value, _ in flat_choices(self.field.choices) if value != ""]

    def only(self, value: str):
        """The filter's value when `value` is its only choice."""
        return [value] if isinstance(self, django_filters.MultipleChoiceFilter) else value


def flat_choices(choices: Iterable) -> Iterable[tuple[str, object]]:
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from label
        else:
            yield value, label


class TermFilter(ConditionFilter, django_filters.MultipleChoiceFilter):
    """Interventions listing any of the chosen terms: the listing's array of slugs
    (its `field_name`) overlaps the chosen ones."""

    def condition(self, slugs: list[str]) -> Q:
        return Q(**{f"{self.field_name}__overlap": list(slugs)})

    def bits(self, slugs: list[str], facets: FacetIndex) -> int:
        found = 0
        for slug in slugs:
            found |= facets.term(self.field_name, slug)
        return found


class AgeFilter(ConditionFilter, django_filters.MultipleChoiceFilter):
    """Interventions whose age range overlaps any of the chosen age bands."""

    bands: dict[str, AgeBand] = {}

    def condition(self, slugs: list[str]) -> Q:
        overlaps = Q()
        for slug in slugs:
            band = self.bands[slug]
            overlaps |= Q(
                min_age_months__lte=band.max_age_months, max_age_months__gte=band.min_age_months
            )
        return overlaps

    def bits(self, slugs: list[str], facets: FacetIndex) -> int:
        found = 0
        for slug in slugs:
            band = self.bands[slug]
            found |= facets.age(band.min_age_months, band.max_age_months)
        return found


class RankFilter(ConditionFilter, django_filters.ChoiceFilter):
    """A current rating at least (or at most) the chosen level: the listing's rank
    column (its `field_name`) against the level's rank."""

    ranks: dict[str, int] = {}

    def __init__(self, at_least: bool, **kwargs) -> None:
        self.at_least = at_least
        super().__init__(**kwargs)

    def condition(self, code: str) -> Q:
        lookup = "gte" if self.at_least else "lte"
        return Q(**{f"{self.field_name}__{lookup}": self.ranks[code]})

    def bits(self, code: str, facets: FacetIndex) -> int:
        return facets.rank(self.field_name, self.ranks[code], self.at_least)


class FlagFilter(ConditionFilter, django_filters.MultipleChoiceFilter):
    """A yes/no fact as one checkbox: ticked means it must be true."""

    def condition(self, value: list[str]) -> Q:
        return Q(**{self.field_name: True})

    def bits(self, value: list[str], facets: FacetIndex) -> int:
        return facets.flag(self.field_name)


class SearchField(forms.CharField):
    def to_python(self, value) -> str:
        return search.with_synonyms(search.clean_query(super().to_python(value)))


class SearchFilter(ConditionFilter, django_filters.CharFilter):
    field_class = SearchField

    def condition(self, text: str) -> Q:
        return search.matches(text)

    def option_values(self) -> list[str]:
        return []
