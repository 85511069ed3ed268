"""The filters on the list of interventions, built with django-filter.

The list reads the published listing (publishing/models.py), one row per
published intervention. Each filter turns its value into a condition (a Q),
so the list applies them all and each option's count combines all the
others: OR within a filter (any ticked topic), AND across filters. An
option's count is the number of results you get with it as the only choice
in its filter. Every count is one FILTERed aggregate over the same rows, so
all counts together take one query.

The choices come from the taxonomies and rating scales, loaded once per
request (`Options.load`), so the list runs a fixed number of queries.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field

import django_filters
from django import forms
from django.db.models import Count, F, Q, QuerySet
from django.forms.renderers import TemplatesSetting
from django.http import QueryDict

from interventions.models import (
    AgeBand,
    DeliveryModel,
    NeedLevel,
    Outcome,
    OutcomeDomain,
    Setting,
    Topic,
)
from publishing import search
from publishing.models import Listing
from ratings.models import RatingLevel, RatingScale

# The lowest evidence level worth filtering for: NE and NL2 are not "at least" anything.
LOWEST_EVIDENCE_OPTION = "2"
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
OUTCOME_COLUMNS = {
    FOUND: ("improved_domains", "improved_outcomes"),
    AIMS: ("domains", "outcomes"),
}

SORTS = {
    "relevance": "Best match",
    "evidence": "Evidence strength, strongest first",
    "cost": "Cost, lowest first",
    "name": "Name, A to Z",
    "updated": "Recently updated",
}

# --- GOV.UK widgets, set for every filter in one place (GovukFilterSet) ----------------


class GovukCheckboxes(forms.CheckboxSelectMultiple):
    template_name = "components/widgets/checkboxes.html"
    option_template_name = "components/widgets/checkbox_option.html"


class GovukRadios(forms.RadioSelect):
    template_name = "components/widgets/radios.html"
    option_template_name = "components/widgets/radio_option.html"


class GovukSelect(forms.Select):
    template_name = "components/widgets/select.html"
    option_template_name = "components/widgets/select_option.html"


class GovukSearchInput(forms.TextInput):
    input_type = "search"
    template_name = "components/widgets/input.html"


class GovukForm(forms.Form):
    # Our widget templates live in templates/ with the rest of the site's.
    default_renderer = TemplatesSetting


@dataclass(frozen=True)
class OptionLabel:
    """An option's name with the number of results it gives, for the checkbox label."""

    name: str
    count: int

    def __str__(self) -> str:
        return f"{self.name} ({self.count})"


class GovukFilterSet(django_filters.FilterSet):
    """Gives each kind of filter its GOV.UK widget and plain-words error messages."""

    WIDGETS = [
        (django_filters.MultipleChoiceFilter, GovukCheckboxes),
        (django_filters.ChoiceFilter, GovukRadios),
        (django_filters.CharFilter, GovukSearchInput),
    ]

    class Meta:
        form = GovukForm

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for filter_ in self.filters.values():
            widget = next(w for kind, w in self.WIDGETS if isinstance(filter_, kind))
            filter_.extra.setdefault("widget", widget)
            filter_.extra.setdefault(
                "error_messages",
                {
                    "invalid_choice": f"We do not recognise that {filter_.label.lower()}, "
                    "so that filter is not used."
                },
            )


# --- Filters that are conditions --------------------------------------------------------


class ConditionFilter(django_filters.Filter):
    """A filter whose value becomes a condition (a Q), so counts can combine the others':
    each option is counted by a FILTERed count in one shared aggregate."""

    def condition(self, value) -> Q:
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

    def count_expressions(self, others: list[Q]) -> dict[str, Count]:
        return {
            value: Count("pk", filter=Q(*others) & self.condition(self.only(value)))
            for value in self.option_values()
        }


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


class FlagFilter(ConditionFilter, django_filters.MultipleChoiceFilter):
    """A yes/no fact as one checkbox: ticked means it must be true."""

    def condition(self, value: list[str]) -> Q:
        return Q(**{self.field_name: True})


class SearchField(forms.CharField):
    def to_python(self, value) -> str:
        return search.with_synonyms(search.clean_query(super().to_python(value)))


class SearchFilter(ConditionFilter, django_filters.CharFilter):
    field_class = SearchField

    def condition(self, text: str) -> Q:
        return search.matches(text)

    def option_values(self) -> list[str]:
        return []


# --- The options, loaded once -----------------------------------------------------------


@dataclass
class Options:
    """What each filter offers, from the taxonomies and scales: seven queries."""

    age_bands: list[AgeBand]
    outcomes: list[Outcome]
    need_levels: list[NeedLevel]
    settings: list[Setting]
    delivery_models: list[DeliveryModel]
    topics: list[Topic]
    levels: list[RatingLevel]

    @classmethod
    def load(cls) -> "Options":
        return cls(
            age_bands=list(AgeBand.objects.all()),
            outcomes=list(Outcome.objects.select_related("domain")),
            need_levels=list(NeedLevel.objects.all()),
            settings=list(Setting.objects.all()),
            delivery_models=list(DeliveryModel.objects.all()),
            topics=list(Topic.objects.all()),
            levels=list(
                RatingLevel.objects.filter(
                    scale__slug__in=[RatingScale.EVIDENCE, RatingScale.COST]
                ).select_related("scale")
            ),
        )

    def domains(self) -> list[OutcomeDomain]:
        """The outcome domains that have outcomes, in the outcomes' order."""
        return list({outcome.domain.pk: outcome.domain for outcome in self.outcomes}.values())

    def scale(self, slug: str) -> list[RatingLevel]:
        return [level for level in self.levels if level.scale.slug == slug]

    def evidence_options(self) -> list[RatingLevel]:
        levels = self.scale(RatingScale.EVIDENCE)
        floor = next((lv.rank for lv in levels if lv.code == LOWEST_EVIDENCE_OPTION), None)
        return [lv for lv in levels if floor is None or lv.rank >= floor]


def _terms(terms: Iterable) -> list[tuple[str, str]]:
    return [(term.slug, term.name) for term in terms]


# --- The filter set ---------------------------------------------------------------------


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
    topic = TermFilter(field_name="topics", label="Topic")
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
        self.options = options
        meaning = AIMS if data is not None and data.get("outcomes") == AIMS else FOUND
        self.outcome_meaning = meaning
        domains, outcomes = OUTCOME_COLUMNS[meaning]
        self.filters["domain"].field_name = domains
        self.filters["outcome"].field_name = outcomes
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
            return search.with_rank(queryset, self.chosen["q"]).order_by("-search_rank", "name")
        if sort == "evidence":
            return queryset.order_by(F("evidence_rank").desc(nulls_last=True), "name")
        if sort == "cost":
            return queryset.order_by(F("cost_rank").asc(nulls_last=True), "name")
        if sort == "updated":
            return queryset.order_by("-published_at", "name")
        return queryset.order_by("name")

    def offer_sorts(self) -> None:
        """The sorts that make sense now, the usual one first (a select shows the first
        when none is chosen): best match only when searching."""
        usual = "relevance" if self.chosen.get("q") else "name"
        field = self.form.fields["sort"]
        field.choices = [(usual, SORTS[usual])] + [
            (key, label) for key, label in SORTS.items() if key not in (usual, "relevance")
        ]

    # Counts

    def count_options(self) -> "Counts":
        """Each option's count (the results with it as the only choice in its filter, the
        other filters as they are), the results without each chosen filter, and the total:
        one aggregate query of FILTERed counts.

        A search narrows every count, so it is the aggregate's WHERE (using the index)
        rather than part of each FILTER; the results without the search are counted
        only when a page needs them (`relaxations`)."""
        counts = Counts(total=0)
        rows = self.queryset
        if "q" in self.chosen:
            rows = rows.filter(self.filters["q"].condition(self.chosen["q"]))
        shared: dict[str, Count] = {"total": Count("pk", filter=Q(*self.conditions("q")))}
        keys: dict[str, tuple[str, str | None]] = {}

        def add(key: tuple[str, str | None], count: Count) -> None:
            alias = f"n{len(keys)}"
            keys[alias] = key
            shared[alias] = count

        for name, filter_ in self.filters.items():
            if not isinstance(filter_, ConditionFilter) or name == "q":
                continue
            others = self.conditions(leave_out=name, also_leave_out="q")
            for value, count in filter_.count_expressions(others).items():
                add((name, value), count)
            if name in self.chosen:
                add((name, None), Count("pk", filter=Q(*self.conditions(name, "q"))))
        numbers = rows.aggregate(**shared)
        counts.total = numbers["total"]
        for alias, (name, value) in keys.items():
            if value is None:
                counts.without[name] = numbers[alias]
            else:
                counts.options.setdefault(name, {})[value] = numbers[alias]
        return counts

    def show_counts(self, counts: "Counts") -> None:
        """Put each option's count beside its name; "Any" gets the count without the filter."""
        for name, by_value in counts.options.items():
            field = self.form.fields[name]

            def labelled(value, label, by_value=by_value):
                return OptionLabel(str(label), by_value[value])

            field.choices = [
                (value, [(v, labelled(v, lab)) for v, lab in label])
                if isinstance(label, (list, tuple))
                else (value, labelled(value, label))
                for value, label in field.choices
                if value != ""
            ]
            if getattr(field, "empty_label", None) is not None:
                field.empty_label = OptionLabel(
                    str(field.empty_label), counts.without.get(name, counts.total)
                )

    # Selected filters as removable tags

    def query_string(self, leave_out: str | None = None, value: str | None = None) -> str:
        """The state as a query string, without one value of a filter (or all of it)."""
        data = QueryDict(mutable=True)
        for name, chosen in self.form.cleaned_data.items():
            values = chosen if isinstance(chosen, list) else [chosen] if chosen else []
            if name == leave_out:
                values = [v for v in values if value is not None and v != value]
            if name == "outcomes" and values == [FOUND]:
                values = []  # the usual meaning needs no mention in a link
            if values:
                data.setlist(name, values)
        return f"?{data.urlencode()}"

    def clear_query_string(self) -> str:
        """Clear the filters, keep the search and the sort."""
        data = QueryDict(mutable=True)
        for name in ("q", "sort", "outcomes"):
            if self.form.cleaned_data.get(name):
                data[name] = self.form.cleaned_data[name]
        return f"?{data.urlencode()}"

    def tags(self) -> list["TagGroup"]:
        groups = []
        for name, chosen in self.chosen.items():
            values = chosen if isinstance(chosen, list) else [chosen]
            label = self.filters[name].label
            tags = [
                Tag(
                    f"“{value}”" if name == "q" else self.option_label(name, value),
                    self.query_string(leave_out=name, value=value),
                )
                for value in values
            ]
            groups.append(TagGroup(name, label, tags))
        return groups

    def describe(self, name: str) -> str:
        """A chosen filter in words, e.g. "Topic: Kinship care or Neglect"."""
        chosen = self.chosen[name]
        if name == "q":
            return f"the search “{chosen}”"
        if isinstance(self.filters[name], FlagFilter):
            return str(self.filters[name].label)
        values = chosen if isinstance(chosen, list) else [chosen]
        return f"{self.filters[name].label}: " + " or ".join(
            self.option_label(name, value) for value in values
        )

    def relaxations(self, counts: "Counts") -> list["Relaxation"]:
        """When nothing matches: each chosen filter whose removal gives results, most first."""
        if "q" in self.chosen and "q" not in counts.without:
            counts.without["q"] = self.queryset.filter(*self.conditions(leave_out="q")).count()
        found = [
            Relaxation(self.describe(name), counts.without[name], self.query_string(leave_out=name))
            for name in self.chosen
            if counts.without.get(name)
        ]
        return sorted(found, key=lambda relaxation: -relaxation.count)

    def option_label(self, name: str, value: str) -> str:
        for option, label in flat_choices(self.form.fields[name].choices):
            if option == value:
                return getattr(label, "name", str(label))
        return value


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


@dataclass
class Counts:
    total: int
    options: dict[str, dict[str, int]] = field(default_factory=dict)
    without: dict[str, int] = field(default_factory=dict)


def find(data: QueryDict, options: Options | None = None) -> tuple[InterventionFilter, list[str]]:
    """The filter set for a query string, and what we could not use in it, in plain words.

    A value we do not recognise leaves its filter out, and the form shows the
    state we used, so what is ticked is always what is applied.
    """
    options = options or Options.load()
    filterset = InterventionFilter(data, options)
    if filterset.is_valid():
        filterset.offer_sorts()
        return filterset, []
    problems = [str(error) for errors in filterset.errors.values() for error in errors]
    usable = data.copy()
    for name in filterset.errors:
        usable.pop(name, None)
    filterset = InterventionFilter(usable, options)
    filterset.is_valid()
    filterset.offer_sorts()
    return filterset, problems
