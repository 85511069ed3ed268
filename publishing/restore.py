"""Turn a version's snapshot back into model instances, for the templates to show.

The instances are never saved. Their related lists are filled in the way
`prefetch_related` fills them, so `intervention.studies.all()` and the
evidence summary (ratings/evidence.py) work on a published version exactly as
they would on the database, without a query. This is how Wagtail shows a
page revision: the content is JSON, shown through the model.
"""

from dataclasses import dataclass
from typing import Any

from django.db import models

from interventions.models import (
    DeliveryModel,
    Intervention,
    NeedLevel,
    Outcome,
    OutcomeDomain,
    Setting,
    Topic,
)
from publishing import snapshot
from publishing.catalogue_io import layout
from publishing.catalogue_io.values import from_file
from ratings.models import Finding, Rating, RatingLevel, RatingScale, Study, UnitCostEstimate

TERM_MODELS: dict[str, type[models.Model]] = {
    "need_levels": NeedLevel,
    "topics": Topic,
    "delivery_models": DeliveryModel,
    "settings": Setting,
}


@dataclass
class Restored:
    """A published version as objects: the intervention, and every finding."""

    intervention: Intervention
    findings: list[Finding]


def _build(model: type[models.Model], record: dict[str, Any], names: list[str], **extra):
    meta = model._meta
    values = {name: from_file(meta.get_field(name), record.get(name)) for name in names}
    return model(**values, **extra)


def _prefetched(owner: models.Model, name: str, items: list) -> None:
    """Fill `owner.<name>.all()` with items, as prefetch_related would."""
    manager = getattr(owner, name)
    queryset = manager.model._default_manager.none()
    queryset._result_cache = list(items)
    queryset._prefetch_done = True
    # Many-to-many managers name their cache; reverse foreign keys use the field's.
    key = getattr(manager, "prefetch_cache_name", None) or manager.field.remote_field.cache_name
    owner.__dict__.setdefault("_prefetched_objects_cache", {})[key] = queryset


def restore(content: dict[str, Any], pk: int) -> Restored:
    """The objects of one snapshot. `pk` is the intervention's id in this database."""
    data = content["intervention"]
    intervention = _build(Intervention, data, snapshot.INTERVENTION_FIELDS, pk=pk)
    intervention.uk_tested = data["uk_tested"]
    intervention.status = Intervention.Status.PUBLISHED

    # Terms get ids that are unique within the snapshot: grouping needs them, and
    # the database's own ids may differ after an import into another server.
    domains = {
        slug: OutcomeDomain(pk=n, slug=slug, **fields)
        for n, (slug, fields) in enumerate(sorted(content["domains"].items()), 1)
    }
    outcomes = {
        slug: Outcome(
            pk=n,
            slug=slug,
            name=fields["name"],
            position=fields.get("position", 0),
            domain=domains[fields["domain"]],
        )
        for n, (slug, fields) in enumerate(sorted(content["outcomes"].items()), 1)
    }
    terms = content["terms"]
    for key, model in TERM_MODELS.items():
        _prefetched(
            intervention,
            key,
            [model(pk=n, **term) for n, term in enumerate(terms[key], 1)],
        )
    _prefetched(intervention, "target_outcomes", [outcomes[s] for s in terms["target_outcomes"]])

    scales: dict[str, RatingScale] = {}
    ratings = []
    for n, record in enumerate(content["ratings"], 1):
        scale = scales.setdefault(
            record["scale"]["slug"], RatingScale(pk=len(scales) + 1, **record["scale"])
        )
        level = RatingLevel(pk=n, scale=scale, **record["level"])
        ratings.append(
            _build(
                Rating,
                record,
                layout.RATING_FIELDS,
                pk=n,
                intervention=intervention,
                scale=scale,
                level=level,
            )
        )
    # Newest first, in the order ratings superseded each other (as the page lists them).
    intervention.rating_history = ratings[::-1]
    costs = [
        _build(UnitCostEstimate, record, layout.COST_FIELDS, pk=n, intervention=intervention)
        for n, record in enumerate(content["cost_estimates"], 1)
    ]
    intervention.current_costs = [cost for cost in costs if cost.is_current]
    intervention.current_ratings = [rating for rating in ratings if rating.is_current]

    studies, findings = [], []
    for record in content["studies"]:
        study = _build(Study, record, snapshot.STUDY_FIELDS)
        own = [
            _build(
                Finding,
                finding,
                [*layout.FINDING_FIELDS, *snapshot.EFFECT_FIELDS],
                pk=finding["id"],
                study=study,
                intervention=intervention,
                outcome=outcomes[finding["outcome"]],
            )
            for finding in record["findings"]
        ]
        _prefetched(study, "findings", own)
        studies.append(study)
        findings += own
    _prefetched(intervention, "studies", studies)
    intervention.evidence_findings = findings
    return Restored(intervention, findings)
