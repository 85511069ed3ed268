"""Which keys each record in a catalogue file has, and the model each belongs to.

Keys listed in the `*_FIELDS` lists are model fields of the same name, written
with `values.to_file`. The other keys (references by slug, code or id, and
nested lists) are handled by name in the exporter, validation and importer.
"""

from django.db import models

from interventions.models import (
    AgeBand,
    DeliveryModel,
    NeedLevel,
    Outcome,
    OutcomeDomain,
    Setting,
    Topic,
)
from ratings.models import STATISTICS_FIELDS

TOP_KEYS = [
    "format",
    "version",
    "demonstration",
    "taxonomies",
    "rating_scales",
    "interventions",
    "studies",
]

# Taxonomy key in the file -> its model, in the order the format lists them.
TAXONOMIES: dict[str, type[models.Model]] = {
    "age_bands": AgeBand,
    "need_levels": NeedLevel,
    "settings": Setting,
    "delivery_models": DeliveryModel,
    "topics": Topic,
    "outcome_domains": OutcomeDomain,
}
TERM_FIELDS = ["slug", "name", "description", "position"]
EXTRA_TERM_FIELDS: dict[type[models.Model], list[str]] = {
    AgeBand: ["min_age_months", "max_age_months"],
    OutcomeDomain: ["subject"],
}
OUTCOMES = "outcomes"  # an outcome domain's outcomes; a topic's, as slugs (optional)

SCALE_FIELDS = ["slug", "name", "description", "version"]
LEVELS = "levels"
LEVEL_FIELDS = [
    "code",
    "label",
    "rank",
    "plain_meaning",
    "technical_meaning",
    "min_cost",
    "max_cost",
]

INTERVENTION_FIELDS = [
    "slug",
    "name",
    "other_names",
    "kind",
    "developer",
    "contact",
    "summary",
    "description",
    "min_age_months",
    "max_age_months",
    "target_population",
    "eligibility_criteria",
    "exclusion_criteria",
    "sessions",
    "duration_weeks",
    "workforce",
    "training",
    "supervision",
    "licensing",
    "fidelity_monitoring",
    "change_need",
    "change_activities",
    "change_short_term",
    "change_long_term",
    "change_mechanism",
    "available_in_uk",
    "status",
    "evidence_last_reviewed",
    "created_at",
    "updated_at",
]
# Intervention key -> the taxonomy its slugs refer to (a many-to-many field of that name).
INTERVENTION_TERMS: dict[str, type[models.Model]] = {
    "need_levels": NeedLevel,
    "topics": Topic,
    "delivery_models": DeliveryModel,
    "settings": Setting,
    "target_outcomes": Outcome,
}
RATINGS = "ratings"
RATING_REFERENCES = ["scale", "level"]
RATING_FIELDS = [
    "rated_on",
    "basis",
    "reason",
    "suggestion",
    "standards_version",
    "created_at",
    "superseded_at",
]
COST_ESTIMATES = "cost_estimates"
# Version 2: what the public has seen, as published versions (publishing/snapshot.py).
PUBLISHED = "published"
PUBLISHED_KEYS = ["versions", "archived"]
VERSION_KEYS = ["number", "published_at", "publisher", "change", "change_note", "content"]
ARCHIVED_KEYS = ["archived_at", "reason", "replaced_by"]
COST_FIELDS = [
    "per",
    "unit_cost",
    "price_year",
    "staff_time",
    "training",
    "licence",
    "materials",
    "set_up",
    "other",
    "set_up_cost_total",
    "assumptions",
    "estimated_on",
    "created_at",
    "superseded_at",
]

STUDY_FIELDS = [
    "id",
    "authors",
    "year",
    "title",
    "publication",
    "doi",
    "url",
    "design",
    "country",
    "setting",
    "intervention_n",
    "comparison_n",
    "attrition_overall",
    "attrition_differential",
    "baseline_equivalence",
    "follow_up_months",
    "independent",
    "population",
    "ethnicity",
    "summary",
    "quality_notes",
    "cost_benefit",
    "created_at",
    "updated_at",
]
STUDY_INTERVENTIONS = "interventions"
FINDINGS = "findings"
FINDING_REFERENCES = ["intervention", "outcome"]
# Version 2: a finding's id, kept on import because published snapshots name it.
FINDING_ID = "id"
STATISTICS = list(STATISTICS_FIELDS)
FINDING_FIELDS = [
    "measure",
    "validated_measure",
    "higher_is_better",
    "informant",
    "timepoint",
    "months_after_end",
    "statistics_form",
    *STATISTICS,
    "p_value",
    "source_location",
    "notes",
]
