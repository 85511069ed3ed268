"""Build the catalogue document from the database, in the order the format fixes.

Every list is sorted here in Python, not by the database: servers with
different collations order slugs like "a-b" and "ab" differently, and the
same catalogue must export to the same text from any server.
"""

import json
from typing import Any

from django.db import models

from interventions.models import Catalogue, Intervention, OutcomeDomain, Topic
from publishing.catalogue_io import FORMAT, VERSION, layout
from publishing.catalogue_io.values import to_file
from publishing.models import Listing, Version
from ratings.models import RatingScale, Study


def export_catalogue() -> dict[str, Any]:
    """The whole catalogue as a JSON-ready dict."""
    return {
        "format": FORMAT,
        "version": VERSION,
        "demonstration": Catalogue.objects.filter(pk=1, is_demonstration=True).exists(),
        "taxonomies": _taxonomies(),
        "rating_scales": _rating_scales(),
        "interventions": _interventions(),
        "studies": _studies(),
    }


def dump(document: dict[str, Any]) -> str:
    """The document as catalogue-file text: sorted keys, two-space indent, UTF-8, final newline."""
    return json.dumps(document, sort_keys=True, indent=2, ensure_ascii=False) + "\n"


def _fields(instance: models.Model, names: list[str]) -> dict[str, Any]:
    meta = instance._meta
    return {name: to_file(meta.get_field(name), getattr(instance, name)) for name in names}


def _by_position(terms: Any) -> list:
    return sorted(terms, key=lambda term: (term.position, term.slug))


def _oldest_first(records: Any) -> list:
    return sorted(records, key=lambda record: (record.created_at, record.pk))


def _taxonomies() -> dict[str, list[dict[str, Any]]]:
    taxonomies = {}
    for key, model in layout.TAXONOMIES.items():
        names = layout.TERM_FIELDS + layout.EXTRA_TERM_FIELDS.get(model, [])
        terms = model.objects.all()
        if model in (OutcomeDomain, Topic):
            terms = terms.prefetch_related("outcomes")
        taxonomies[key] = [_term(term, names) for term in _by_position(terms)]
    return taxonomies


def _term(term: models.Model, names: list[str]) -> dict[str, Any]:
    record = _fields(term, names)
    if isinstance(term, OutcomeDomain):
        outcomes = _by_position(term.outcomes.all())
        record[layout.OUTCOMES] = [_fields(o, layout.TERM_FIELDS) for o in outcomes]
    if isinstance(term, Topic):
        record[layout.OUTCOMES] = sorted(outcome.slug for outcome in term.outcomes.all())
    return record


def _rating_scales() -> list[dict[str, Any]]:
    scales = RatingScale.objects.prefetch_related("levels")
    return [
        {
            **_fields(scale, layout.SCALE_FIELDS),
            layout.LEVELS: [
                _fields(level, layout.LEVEL_FIELDS)
                for level in sorted(scale.levels.all(), key=lambda level: level.rank)
            ],
        }
        for scale in sorted(scales, key=lambda scale: scale.slug)
    ]


def _interventions() -> list[dict[str, Any]]:
    interventions = Intervention.objects.prefetch_related(
        *layout.INTERVENTION_TERMS,
        "ratings__scale",
        "ratings__level",
        "cost_estimates",
        "versions",
    ).select_related("listing__replaced_by")
    return [_intervention(i) for i in sorted(interventions, key=lambda i: i.slug)]


def _intervention(intervention: Intervention) -> dict[str, Any]:
    record = _fields(intervention, layout.INTERVENTION_FIELDS)
    for key in layout.INTERVENTION_TERMS:
        record[key] = sorted(term.slug for term in getattr(intervention, key).all())
    record[layout.RATINGS] = [
        {
            "scale": rating.scale.slug,
            "level": rating.level.code,
            **_fields(rating, layout.RATING_FIELDS),
        }
        for rating in _oldest_first(intervention.ratings.all())
    ]
    record[layout.COST_ESTIMATES] = [
        _fields(estimate, layout.COST_FIELDS)
        for estimate in _oldest_first(intervention.cost_estimates.all())
    ]
    record[layout.PUBLISHED] = _published(intervention)
    return record


def _published(intervention: Intervention) -> dict[str, Any]:
    versions = sorted(intervention.versions.all(), key=lambda version: version.number)
    listing = getattr(intervention, "listing", None) if versions else None
    archived = None
    if listing is not None and listing.is_archived:
        archived = {
            "archived_at": to_file(Listing._meta.get_field("archived_at"), listing.archived_at),
            "reason": listing.archive_reason,
            "replaced_by": listing.replaced_by.slug if listing.replaced_by else None,
        }
    published_at = Version._meta.get_field("published_at")
    return {
        "versions": [
            {
                "number": version.number,
                "published_at": to_file(published_at, version.published_at),
                "publisher": version.publisher_name,
                "change": version.change,
                "change_note": version.change_note,
                "content": version.content,
            }
            for version in versions
        ],
        "archived": archived,
    }


def _studies() -> list[dict[str, Any]]:
    studies = Study.objects.prefetch_related(
        "interventions", "findings__intervention", "findings__outcome"
    )
    return [_study(study) for study in sorted(studies, key=lambda study: study.pk)]


def _study(study: Study) -> dict[str, Any]:
    return {
        **_fields(study, layout.STUDY_FIELDS),
        layout.STUDY_INTERVENTIONS: sorted(i.slug for i in study.interventions.all()),
        layout.FINDINGS: [
            {
                "intervention": finding.intervention.slug,
                "outcome": finding.outcome.slug,
                layout.FINDING_ID: finding.pk,
                **_fields(finding, layout.FINDING_FIELDS),
            }
            # In the order they were recorded.
            for finding in sorted(study.findings.all(), key=lambda finding: finding.pk)
        ],
    }
