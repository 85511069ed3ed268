"""A varied catalogue for the list's tests, and the same catalogue as plain Python.

`build()` stores interventions with every kind of fact the filters look at,
and returns a `Spec` for each. `expected()` answers a filter question by
reading the specs, not the database, so tests compare the page against it.
"""

import random
import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from interventions.models import (
    AgeBand,
    DeliveryModel,
    Intervention,
    NeedLevel,
    Outcome,
    OutcomeDomain,
    Setting,
    Topic,
)
from ratings.models import RatingScale
from tests import factories

AGE_BANDS = {  # slug: (name, youngest, oldest in months)
    "0-2": ("0 to 2 years", 0, 35),
    "3-4": ("3 to 4 years", 36, 59),
    "5-11": ("5 to 11 years", 60, 143),
    "12-17": ("12 to 17 years", 144, 215),
}
DOMAINS = {  # slug: (name, {outcome slug: outcome name})
    "mental-health": (
        "Mental health and wellbeing",
        {"behaviour-problems": "Behaviour problems", "anxiety": "Anxiety and low mood"},
    ),
    "school": ("School achievement", {"attainment": "Attainment", "attendance": "Attendance"}),
    "care": ("Safely reducing entry to care", {"entering-care": "Entering care"}),
}
OUTCOME_DOMAIN = {slug: d for d, (_, outcomes) in DOMAINS.items() for slug in outcomes}
TERMS = {  # filter key: (model, {slug: name})
    "need": (
        NeedLevel,
        {"universal": "Universal", "targeted": "Targeted", "specialist": "Specialist"},
    ),
    "setting": (Setting, {"home": "Home", "school": "School", "clinic": "Clinic"}),
    "delivery": (DeliveryModel, {"group": "Group", "individual": "Individual", "online": "Online"}),
    "topic": (Topic, {"kinship-care": "Kinship care", "neglect": "Neglect", "fathers": "Fathers"}),
}
EVIDENCE_RANK = {code: rank for code, _, rank in factories.EVIDENCE_LEVELS}
COST_RANK = {code: rank for code, _, rank, _, _ in factories.COST_LEVELS}
EVIDENCE_OPTIONS = ["2", "3", "4"]  # NE and NL2 are not "at least" anything


@dataclass
class Spec:
    name: str
    slug: str
    min_age: int
    max_age: int
    outcomes: set[str]
    terms: dict[str, set[str]]
    evidence: str | None
    cost: str | None
    uk_tested: bool
    available: bool
    published: bool = True
    found: set[str] = field(default_factory=set)  # outcomes a rigorous trial improved
    intervention: Intervention | None = field(default=None, repr=False)

    @property
    def improved(self) -> set[str]:
        """What the list counts as found to improve: nothing when found not effective.
        The UK trial that makes it UK-tested improves anxiety too."""
        if self.evidence == "NE":
            return set()
        return self.found | ({"anxiety"} if self.uk_tested else set())


def make_terms() -> None:
    for slug, (name, low, high) in AGE_BANDS.items():
        AgeBand.objects.get_or_create(
            slug=slug, defaults={"name": name, "min_age_months": low, "max_age_months": high}
        )
    for position, (slug, (name, outcomes)) in enumerate(DOMAINS.items()):
        domain, _ = OutcomeDomain.objects.get_or_create(
            slug=slug, defaults={"name": name, "position": position}
        )
        for outcome_slug, outcome_name in outcomes.items():
            Outcome.objects.get_or_create(
                slug=outcome_slug, defaults={"name": outcome_name, "domain": domain}
            )
    for model, names in TERMS.values():
        for slug, name in names.items():
            model.objects.get_or_create(slug=slug, defaults={"name": name})


LINKS = {
    "need": "need_levels",
    "setting": "settings",
    "delivery": "delivery_models",
    "topic": "topics",
}


def _link(intervention: Intervention, field_name: str, terms) -> None:
    """Add link rows directly: quicker than .set(), whose change history costs many queries."""
    m2m = Intervention._meta.get_field(field_name)
    through = m2m.remote_field.through
    through.objects.bulk_create(
        through(**{m2m.m2m_field_name(): intervention, m2m.m2m_reverse_field_name(): term})
        for term in terms
    )


def uk_trial(intervention: Intervention, outcome: Outcome | None = None) -> None:
    """A rigorous trial in the UK with one finding on a child outcome: what makes the
    published version say "tested in the UK" (it is derived, never typed)."""
    study = factories.make_study(intervention, country="GB")
    outcome = outcome or Outcome.objects.get(slug="anxiety")
    factories.make_finding(study, intervention, outcome=outcome)


def store(spec: Spec) -> Spec:
    """Save one spec as an intervention with its links and ratings (not yet published)."""
    status = Intervention.Status.PUBLISHED if spec.published else Intervention.Status.DRAFT
    intervention = Intervention.objects.create(
        name=spec.name,
        slug=spec.slug,
        summary="A programme for children and families.",
        min_age_months=spec.min_age,
        max_age_months=spec.max_age,
        available_in_uk=spec.available,
        status=status,
    )
    _link(intervention, "target_outcomes", Outcome.objects.filter(slug__in=spec.outcomes))
    for key, (model, _) in TERMS.items():
        _link(intervention, LINKS[key], model.objects.filter(slug__in=spec.terms[key]))
    if spec.evidence:
        factories.rate(intervention, RatingScale.EVIDENCE, spec.evidence)
    if spec.cost:
        factories.rate(intervention, RatingScale.COST, spec.cost)
    if spec.uk_tested:
        uk_trial(intervention)
    if spec.found:
        trial = factories.make_study(intervention, country="US")
        for outcome in Outcome.objects.filter(slug__in=spec.found):
            factories.make_finding(trial, intervention, outcome=outcome)
    spec.intervention = intervention
    return spec


def random_spec(rng: random.Random, n: int, published: bool = True) -> Spec:
    low = rng.choice([-6, 0, 24, 36, 48, 60, 120, 150])
    high = min(low + rng.choice([6, 12, 30, 60, 120]), 300)

    def some(options) -> set[str]:
        return {option for option in options if rng.random() < 0.4}

    return Spec(
        name=f"Programme {n:03d}",
        slug=f"programme-{n:03d}",
        min_age=low,
        max_age=high,
        outcomes=some(OUTCOME_DOMAIN),
        found=some(OUTCOME_DOMAIN),
        terms={key: some(names) for key, (_, names) in TERMS.items()},
        evidence=rng.choice([None, "NE", "NL2", "2", "3", "4"]),
        cost=rng.choice([None, "1", "2", "3", "4", "5"]),
        uk_tested=rng.random() < 0.5,
        available=rng.random() < 0.6,
        published=published,
    )


def build(size: int = 16, seed: int = 4) -> list[Spec]:
    """`size` published interventions and two drafts (never published), with varied facts."""
    factories.make_scales()
    make_terms()
    rng = random.Random(seed)
    specs = [store(random_spec(rng, n)) for n in range(size)]
    drafts = [random_spec(rng, size + n, published=False) for n in range(2)]
    for draft in drafts:
        # A draft that matches every filter: it must still never show.
        draft.outcomes = draft.found = set(OUTCOME_DOMAIN)
        draft.terms = {key: set(names) for key, (_, names) in TERMS.items()}
        draft.min_age, draft.max_age = -9, 300
        draft.evidence, draft.cost, draft.uk_tested, draft.available = "4", "1", True, True
        store(draft)
    for spec in specs:
        factories.publish(spec.intervention)
    return specs


# --- The answer, in Python -----------------------------------------------------------


def matches(spec: Spec, params: dict[str, list[str]]) -> bool:
    outcomes = spec.outcomes if params.get("outcomes") == ["aims"] else spec.improved
    for key, values in params.items():
        if not values or key == "outcomes":
            continue
        if key == "age":
            ok = any(
                spec.min_age <= AGE_BANDS[v][2] and spec.max_age >= AGE_BANDS[v][1] for v in values
            )
        elif key == "domain":
            ok = any(OUTCOME_DOMAIN[o] in values for o in outcomes)
        elif key == "outcome":
            ok = bool(outcomes & set(values))
        elif key == "evidence":
            ok = (
                spec.evidence is not None
                and EVIDENCE_RANK[spec.evidence] >= EVIDENCE_RANK[values[0]]
            )
        elif key == "cost":
            ok = spec.cost is not None and COST_RANK[spec.cost] <= COST_RANK[values[0]]
        elif key == "uk_tested":
            ok = spec.uk_tested
        elif key == "available":
            ok = spec.available
        elif key in TERMS:
            ok = bool(spec.terms[key] & set(values))
        else:
            raise ValueError(key)
        if not ok:
            return False
    return True


def expected(specs: list[Spec], params: dict[str, list[str]]) -> set[str]:
    return {spec.name for spec in specs if spec.published and matches(spec, params)}


def every_option() -> list[tuple[str, str]]:
    """Each (filter, value) a commissioner can choose."""
    options = [("age", slug) for slug in AGE_BANDS]
    options += [("domain", slug) for slug in DOMAINS]
    options += [("outcome", slug) for slug in OUTCOME_DOMAIN]
    options += [("evidence", code) for code in EVIDENCE_OPTIONS]
    options += [("cost", code) for code in COST_RANK]
    options += [("uk_tested", "yes"), ("available", "yes")]
    options += [(key, slug) for key, (_, names) in TERMS.items() for slug in names]
    return options


# --- Reading the page ----------------------------------------------------------------


class _ListPage(HTMLParser):
    """The result names (card headings) and each option's count from the page."""

    def __init__(self) -> None:
        super().__init__()
        self.names: list[str] = []
        self.inputs: dict[str, tuple[str, str]] = {}  # id -> (name, value)
        self.labels: dict[str, str] = {}  # for -> text
        self._in_card_title = False
        self._label_for: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag.startswith("h") and "app-intervention-card__title" in (attrs.get("class") or ""):
            self._in_card_title, self._text = True, []
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            self.inputs[attrs["id"]] = (attrs["name"], attrs["value"])
        elif tag == "label" and attrs.get("for"):
            self._label_for, self._text = attrs["for"], []

    def handle_endtag(self, tag):
        if self._in_card_title and tag.startswith("h") and len(tag) == 2:
            self.names.append(" ".join("".join(self._text).split()))
            self._in_card_title = False
        elif tag == "label" and self._label_for:
            self.labels[self._label_for] = " ".join("".join(self._text).split())
            self._label_for = None

    def handle_data(self, data):
        if self._in_card_title or self._label_for:
            self._text.append(data)


def read(response) -> _ListPage:
    page = _ListPage()
    page.feed(response.content.decode())
    return page


def result_names(response) -> set[str]:
    return set(read(response).names)


def option_counts(response) -> dict[tuple[str, str], int]:
    """{(filter, value): the count shown beside it}."""
    page = read(response)
    counts = {}
    for input_id, key in page.inputs.items():
        found = re.search(r"\((\d+) results?\)$", unescape(page.labels.get(input_id, "")))
        if found:
            counts[key] = int(found.group(1))
    return counts
