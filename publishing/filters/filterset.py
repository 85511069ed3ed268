"""The list's filter set: which filters there are, their choices, and the sort."""

from collections.abc import Iterable

import django_filters
from django.db.models import QuerySet
from django.http import QueryDict

from publishing import search
from publishing.filters.conditions import (
    AgeFilter,
    ConditionFilter,
    FlagFilter,
    RankFilter,
    SearchFilter,
    TermFilter,
    flat_choices,
)
from publishing.filters.options import Options
from publishing.filters.sorts import ORDERS, SORTS
from publishing.filters.widgets import (
    GovukCheckboxes,
    GovukFilterSet,
    GovukRadios,
    GovukSearchInput,
    GovukSelect,
)
from publishing.models import Listing
from ratings.models import RatingScale

YES = "yes"
# The search columns: only the search reads them, so list rows leave them behind.
LISTING_SEARCH_FIELDS = ["search_text", "search_vector"]
NOT_A_TICK = "“%s” can only be ticked or not, so that filter is not used."

FOUND, AIMS = "found", "aims"
OUTCOME_MEANINGS = {
    FOUND: "Found to improve: a rigorous study found an improvement",
    AIMS: "Aims to improve: what it sets out to improve",
}
# Which listing columns the outcome filters read, for each meaning.
# A topic that is a need follows its outcomes, so it reads the same way (publishing/topics.py).
OUTCOME_COLUMNS = {
    FOUND: ("improved_domains", "improved_outcomes", "improved_topics"),
    AIMS: ("domains", "outcomes", "topics"),
}


def _terms(terms: Iterable) -> list[tuple[str, str]]:
    return [(term.slug, term.name) for term in terms]


class InterventionFilter(GovukFilterSet):
    q = SearchFilter(
        label="Search",
        widget=GovukSearchInput(
            attrs={
                "class": "app-search__input",
                "aria-describedby": "search-q-hint",
                "maxlength": search.MAX_QUERY_LENGTH,
            }
        ),
    )
    age = AgeFilter(
        label="Age",
        error_messages={
            "invalid_choice": "We do not recognise that age group, so all ages are shown."
        },
    )
    # Found to improve by default (publishing/derived.py); `outcomes=aims` switches both
    # outcome filters to what interventions set out to improve.
    outcomes = django_filters.ChoiceFilter(
        label="Outcomes",
        choices=list(OUTCOME_MEANINGS.items()),
        empty_label=None,
        widget=GovukRadios,
        error_messages={
            "invalid_choice": "We do not recognise that choice of outcomes, so the outcomes "
            "each intervention was found to improve are used."
        },
    )
    domain = TermFilter(field_name="improved_domains", label="Outcome area")
    outcome = TermFilter(field_name="improved_outcomes", label="Specific outcome")
    evidence = RankFilter(
        at_least=True, field_name="evidence_rank", label="Evidence strength", empty_label="Any"
    )
    cost = RankFilter(
        at_least=False, field_name="cost_rank", label="Cost rating", empty_label="Any"
    )
    uk_tested = FlagFilter(
        field_name="uk_tested",
        label="Tested in the UK",
        choices=[(YES, "Tested in the UK")],
        error_messages={"invalid_choice": NOT_A_TICK % "Tested in the UK"},
    )
    available = FlagFilter(
        field_name="available_in_uk",
        label="Available in the UK",
        choices=[(YES, "Available in the UK")],
        error_messages={"invalid_choice": NOT_A_TICK % "Available in the UK"},
    )
    need = TermFilter(field_name="need_levels", label="Level of need")
    setting = TermFilter(field_name="settings", label="Setting")
    delivery = TermFilter(field_name="delivery_models", label="Delivery model")
    topic = TermFilter(field_name="improved_topics", label="Topic")
    archived = django_filters.MultipleChoiceFilter(
        label="Archived interventions",
        choices=[(YES, "Include archived interventions")],
        widget=GovukCheckboxes,
        error_messages={"invalid_choice": NOT_A_TICK % "Include archived interventions"},
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=list(SORTS.items()),
        empty_label=None,
        widget=GovukSelect,
        error_messages={
            "invalid_choice": "We cannot sort the results that way, so they are in the usual order."
        },
    )

    def __init__(self, data: QueryDict | None, options: Options, **kwargs) -> None:
        # Archived entries leave the list unless asked for: every count follows.
        archived = data is not None and YES in data.getlist("archived")
        rows = Listing.objects.all() if archived else Listing.objects.current()
        super().__init__(data, queryset=rows.defer(*LISTING_SEARCH_FIELDS), **kwargs)
        self.include_archived = archived
        self.options = options
        meaning = AIMS if data is not None and data.get("outcomes") == AIMS else FOUND
        self.outcome_meaning = meaning
        domains, outcomes, topics = OUTCOME_COLUMNS[meaning]
        self.filters["domain"].field_name = domains
        self.filters["outcome"].field_name = outcomes
        self.filters["topic"].field_name = topics
        evidence, cost = options.evidence_options(), options.scale(RatingScale.COST)
        self.filters["age"].bands = {band.slug: band for band in options.age_bands}
        self.filters["evidence"].ranks = {level.code: level.rank for level in evidence}
        self.filters["cost"].ranks = {level.code: level.rank for level in cost}
        choices = {
            "age": _terms(options.age_bands),
            "domain": _terms(options.domains()),
            "outcome": [
                (domain.name, [(o.slug, o.name) for o in options.outcomes if o.domain == domain])
                for domain in options.domains()
            ],
            "evidence": [(lv.code, f"At least {lv.code}: {lv.label}") for lv in evidence],
            "cost": [(lv.code, f"At most {lv.code}: {lv.label}") for lv in cost],
            "need": _terms(options.need_levels),
            "setting": _terms(options.settings),
            "delivery": _terms(options.delivery_models),
            "topic": _terms(options.topics),
        }
        for name, offered in choices.items():
            self.filters[name].extra["choices"] = offered

    # The state, once valid

    @property
    def chosen(self) -> dict[str, object]:
        """The valid, non-empty value of each condition filter, by name."""
        data = self.form.cleaned_data
        return {
            name: data[name]
            for name, filter_ in self.filters.items()
            if isinstance(filter_, ConditionFilter) and data.get(name)
        }

    def conditions(self, leave_out: str | None = None, also_leave_out: str | None = None):
        return [
            self.filters[name].condition(value)
            for name, value in self.chosen.items()
            if name not in (leave_out, also_leave_out)
        ]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset.filter(*self.conditions())

    def sort_key(self) -> str:
        """The sort asked for; relevance only means something when searching."""
        default = "relevance" if self.chosen.get("q") else "name"
        asked = self.form.cleaned_data.get("sort") or default
        return default if asked == "relevance" else asked

    def ordered(self, queryset: QuerySet) -> QuerySet:
        sort = self.sort_key()
        if sort == "relevance":
            ranked = search.with_rank(queryset, self.chosen["q"])
            return ranked.order_by(*search.BEST_MATCH)
        return queryset.order_by(*ORDERS[sort])

    def offer_sorts(self) -> None:
        """The sorts that make sense now, the usual one first (a select shows the first
        when none is chosen): best match only when searching."""
        usual = "relevance" if self.chosen.get("q") else "name"
        field = self.form.fields["sort"]
        field.choices = [(usual, SORTS[usual])] + [
            (key, label) for key, label in SORTS.items() if key not in (usual, "relevance")
        ]

    def option_label(self, name: str, value: str) -> str:
        """An option's name as the form offers it (without its count)."""
        for option, label in flat_choices(self.form.fields[name].choices):
            if option == value:
                return getattr(label, "name", str(label))
        return value
