"""Freeze what the public sees of an intervention into a JSON snapshot.

A snapshot holds everything an intervention's public pages show, with names
copied rather than referenced, so renaming a term or correcting a study later
never changes a published version:

    {"format": 1,
     "intervention": {the catalogue format's intervention fields, "uk_tested"},
     "terms": {"need_levels": [{"slug", "name"}], "topics", "delivery_models",
               "settings": [...], "target_outcomes": [outcome slugs]},
     "outcomes": {slug: {"name", "domain"}},  every outcome it mentions
     "domains": {slug: {"name", "subject", "position"}},
     "ratings": [{"scale": {"slug", "name"}, "level": {"code", "label", "rank",
                  "plain_meaning"}, rating fields}],  oldest first
     "cost_estimates": [cost fields],  oldest first
     "studies": [{study fields, "findings": [{"id", "outcome", finding fields,
                  computed effect fields}]}]}

Values are written as in the catalogue format (publishing/catalogue_io/values.py).
Building one reads the working copy in a fixed number of queries.
"""

import hashlib
import json
from typing import Any

from django.db import models
from django.db.models import Prefetch

from interventions.models import Intervention, Outcome
from publishing import derived
from publishing.catalogue_io import layout
from publishing.catalogue_io.values import to_file
from ratings.models import Finding, Rating, Study

FORMAT = 1
# The working copy's bookkeeping, not content: saving without a change moves these.
NOT_CONTENT = {"status", "created_at", "updated_at"}
INTERVENTION_FIELDS = [name for name in layout.INTERVENTION_FIELDS if name not in NOT_CONTENT]
STUDY_FIELDS = [name for name in layout.STUDY_FIELDS if name not in NOT_CONTENT]
EFFECT_FIELDS = list(Finding.EFFECT_FIELDS)
TERM_KEYS = ["need_levels", "topics", "delivery_models", "settings"]


def _fields(instance: models.Model, names: list[str]) -> dict[str, Any]:
    meta = instance._meta
    return {name: to_file(meta.get_field(name), getattr(instance, name)) for name in names}


def working_copy(pk: int) -> Intervention:
    """The intervention with everything a snapshot needs: seven queries."""
    return Intervention.objects.prefetch_related(
        *TERM_KEYS,
        Prefetch("target_outcomes", queryset=Outcome.objects.select_related("domain")),
        Prefetch("ratings", queryset=Rating.objects.select_related("scale", "level")),
        "cost_estimates",
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("study", "outcome__domain"),
            to_attr="all_findings",
        ),
        Prefetch("studies", queryset=Study.objects.all()),
    ).get(pk=pk)


def build(intervention: Intervention, as_of=None) -> dict[str, Any]:
    """The snapshot of an intervention loaded by `working_copy`.

    With `as_of` (a date-time), the evidence as it stood then: the studies, ratings
    and cost estimates recorded by that moment, each current if not yet superseded.
    The text is today's. Used to rebuild a history from dated records
    (publish.publish_history)."""

    def recorded(rows):
        return [row for row in rows if as_of is None or row.created_at <= as_of]

    studies = recorded(intervention.studies.all())
    known = {study.pk for study in studies}
    findings = sorted(
        (f for f in intervention.all_findings if f.study_id in known), key=lambda f: f.pk
    )
    studies = sorted(studies, key=lambda s: (-s.year, s.authors, s.pk))
    outcomes = {o.slug: o for o in intervention.target_outcomes.all()}
    outcomes.update({f.outcome.slug: f.outcome for f in findings})
    record = _fields(intervention, INTERVENTION_FIELDS)
    record["uk_tested"] = derived.uk_tested(studies, findings)
    return {
        "format": FORMAT,
        "intervention": record,
        "terms": {
            **{
                key: [
                    {"slug": term.slug, "name": term.name}
                    for term in sorted(getattr(intervention, key).all(), key=_term_order)
                ]
                for key in TERM_KEYS
            },
            "target_outcomes": [
                o.slug for o in sorted(intervention.target_outcomes.all(), key=_outcome_order)
            ],
        },
        "outcomes": {
            slug: {"name": o.name, "domain": o.domain.slug, "position": o.position}
            for slug, o in sorted(outcomes.items())
        },
        "domains": {
            o.domain.slug: {
                "name": o.domain.name,
                "subject": o.domain.subject,
                "position": o.domain.position,
            }
            for o in sorted(outcomes.values(), key=lambda o: o.domain.slug)
        },
        "ratings": [
            _as_of(_rating(r), r, as_of)
            for r in sorted(recorded(intervention.ratings.all()), key=_oldest_first)
        ],
        "cost_estimates": [
            _as_of(_fields(estimate, layout.COST_FIELDS), estimate, as_of)
            for estimate in sorted(recorded(intervention.cost_estimates.all()), key=_oldest_first)
        ],
        "studies": [
            {
                **_fields(study, STUDY_FIELDS),
                "findings": [
                    {
                        "id": finding.pk,
                        "outcome": finding.outcome.slug,
                        **_fields(finding, layout.FINDING_FIELDS),
                        **_fields(finding, EFFECT_FIELDS),
                    }
                    for finding in findings
                    if finding.study_id == study.pk
                ],
            }
            for study in studies
        ],
    }


def of(intervention: Intervention | int, as_of=None) -> dict[str, Any]:
    """The snapshot of the intervention's working copy as it is now (or as of a moment)."""
    return build(working_copy(getattr(intervention, "pk", intervention)), as_of=as_of)


def current_level(content: dict[str, Any], scale: str) -> dict[str, Any] | None:
    """The level of a snapshot's current rating on a scale, or None if not rated."""
    for rating in content["ratings"]:
        if rating["scale"]["slug"] == scale and rating["superseded_at"] is None:
            return rating["level"]
    return None


def current_cost(content: dict[str, Any]) -> dict[str, Any] | None:
    """A snapshot's current unit-cost estimate, or None."""
    current = [cost for cost in content["cost_estimates"] if cost["superseded_at"] is None]
    return current[-1] if current else None


def content_hash(content: dict[str, Any]) -> str:
    text = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _as_of(record: dict[str, Any], row, as_of) -> dict[str, Any]:
    """A record superseded only after `as_of` was still current then."""
    if as_of is not None and row.superseded_at is not None and row.superseded_at > as_of:
        record["superseded_at"] = None
    return record


def _rating(rating: Rating) -> dict[str, Any]:
    return {
        "scale": {"slug": rating.scale.slug, "name": rating.scale.name},
        "level": {
            "code": rating.level.code,
            "label": rating.level.label,
            "rank": rating.level.rank,
            "plain_meaning": rating.level.plain_meaning,
        },
        **_fields(rating, layout.RATING_FIELDS),
    }


def _term_order(term) -> tuple:
    return (term.position, term.name)


def _outcome_order(outcome: Outcome) -> tuple:
    return (outcome.domain.position, outcome.domain.name, outcome.position, outcome.name)


def _oldest_first(record) -> tuple:
    return (record.created_at, record.pk)
