"""The shapes of the API's answers, which the OpenAPI schema documents.

Numbers are as published: decimals (money, percentages) are strings so nothing is
lost to floating point; effect sizes and their intervals are numbers.
"""

from typing import Any

from ninja import Schema


class Problem(Schema):
    detail: list[str]


class Level(Schema):
    code: str
    label: str


class InterventionSummary(Schema):
    slug: str
    name: str
    summary: str
    url: str
    page_url: str
    version: int
    first_published_at: str
    published_at: str
    min_age_months: int
    max_age_months: int
    evidence: Level | None
    cost: Level | None
    unit_cost: str | None
    unit_cost_per: str | None
    price_year: int | None
    uk_tested: bool
    available_in_uk: bool
    outcomes: list[str]
    topics: list[str]
    archived: bool


class InterventionPage(Schema):
    count: int
    page: int
    pages: int
    next: str | None
    previous: str | None
    results: list[InterventionSummary]


class VersionSummary(Schema):
    number: int
    published_at: str
    change: str
    change_note: str
    url: str
    page_url: str
    changes_url: str | None


class Term(Schema):
    slug: str
    name: str


class Finding(Schema):
    id: int
    outcome: str
    outcome_name: str
    domain: str
    measure: str
    informant: str
    timepoint: str
    statistics_form: str
    statistics: dict[str, Any]
    p_value: float | None
    effect_size: float | None
    effect_se: float | None
    effect_ci_lower: float | None
    effect_ci_upper: float | None
    effect_method: str
    improvement_index: float | None
    source_location: str


class Study(Schema):
    id: int
    url: str
    page_url: str
    authors: str
    year: int
    title: str
    design: str
    country: str | None
    doi: str
    details: dict[str, Any]
    findings: list[Finding]


class Rating(Schema):
    scale: Term
    level: dict[str, Any]
    rated_on: str | None
    basis: str
    reason: str
    standards_version: str
    created_at: str
    superseded_at: str | None
    current: bool


class CostEstimate(Schema):
    per: str
    unit_cost: str | None
    price_year: int | None
    details: dict[str, Any]
    estimated_on: str | None
    created_at: str
    superseded_at: str | None
    current: bool


class InterventionVersion(Schema):
    slug: str
    name: str
    version: VersionSummary
    latest_version: int
    archived: bool
    archive_reason: str
    details: dict[str, Any]
    terms: dict[str, list[Term]]
    target_outcomes: list[Term]
    ratings: list[Rating]
    cost_estimates: list[CostEstimate]
    studies: list[Study]
    versions_url: str


class StudyShown(Schema):
    study: Study
    # Slugs of the interventions whose latest versions show it.
    interventions: list[str]
    # When no latest version shows it: the newest version that did.
    only_in_earlier_version: VersionSummary | None


class RatingLevel(Schema):
    code: str
    label: str
    rank: int
    plain_meaning: str
    technical_meaning: str
    min_cost: str | None
    max_cost: str | None


class RatingScale(Schema):
    slug: str
    name: str
    description: str
    version: str
    levels: list[RatingLevel]


class Outcome(Schema):
    slug: str
    name: str


class OutcomeArea(Schema):
    slug: str
    name: str
    outcomes: list[Outcome]


class AgeBand(Schema):
    slug: str
    name: str
    min_age_months: int
    max_age_months: int


class Taxonomies(Schema):
    age_bands: list[AgeBand]
    outcome_areas: list[OutcomeArea]
    need_levels: list[Term]
    settings: list[Term]
    delivery_models: list[Term]
    topics: list[Term]
