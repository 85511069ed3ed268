"""Write a validated catalogue document into an empty database: all of it, or nothing.

Records are inserted in file order, so a re-export lists ratings, estimates and
findings in the same order. Study ids are kept (they are public addresses).
Timestamps are stored exactly as in the file: records with `auto_now` fields
are inserted with a raw save, the way `loaddata` does, which skips `auto_now`.
Each imported record then gets one "created" entry in its change history,
saying where it came from, so curators see where the record's history began.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone

from interventions.models import Catalogue, Intervention, Outcome, OutcomeDomain, Topic
from publishing import listing, snapshot
from publishing.catalogue_io import layout
from publishing.catalogue_io.errors import CatalogueError
from publishing.catalogue_io.values import from_file, parse_datetime
from publishing.models import Listing, Version
from publishing.publish import publish_history
from ratings.finding_effects import CannotCompute
from ratings.models import Finding, Rating, RatingLevel, RatingScale, Study, UnitCostEstimate

# Any one of these means the database already holds a catalogue.
CATALOGUE_CONTENT: list[type[models.Model]] = [
    Intervention,
    Version,
    Study,
    RatingScale,
    *layout.TAXONOMIES.values(),
    Outcome,
]


def database_holds_catalogue() -> bool:
    return any(model.objects.exists() for model in CATALOGUE_CONTENT)


@dataclass
class ImportCounts:
    terms: int = 0
    rating_scales: int = 0
    interventions: int = 0
    ratings: int = 0
    cost_estimates: int = 0
    studies: int = 0
    findings: int = 0
    versions: int = 0

    def __str__(self) -> str:
        return ", ".join(
            f"{count} {name.replace('_', ' ') if count != 1 else _SINGULAR[name]}"
            for name, count in vars(self).items()
        )


_SINGULAR = {
    "terms": "term",
    "rating_scales": "rating scale",
    "interventions": "intervention",
    "ratings": "rating",
    "cost_estimates": "cost estimate",
    "studies": "study",
    "findings": "finding",
    "versions": "published version",
}


def import_catalogue(document: dict[str, Any], source: str = "a catalogue file") -> ImportCounts:
    """Write a document that `validation.validate_catalogue` accepted. Raises CatalogueError.

    `source` names the file in each record's first history entry.
    """
    try:
        with transaction.atomic():
            if database_holds_catalogue():
                raise CatalogueError("", "the database already holds a catalogue")
            writer = _Writer()
            counts = writer.write(document)
            writer.record_history(f"Imported from {source}")
            writer.publications(document)
            _reset_id_sequences([Study, Finding, Catalogue])
            # Check the deferred foreign keys now, inside this block, so a broken
            # rule rolls back here (and in a test's savepoint) rather than at commit.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    except DatabaseError as error:
        reason = " ".join(str(error).split())
        raise CatalogueError("", f"the database refused the catalogue: {reason}") from error
    return counts


def _reset_id_sequences(model_list: list[type[models.Model]]) -> None:
    """Ids were given explicitly, so move each id sequence past the highest one."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), model_list):
            cursor.execute(statement)


def _build(model: type[models.Model], record: dict[str, Any], names: list[str], **extra: Any):
    meta = model._meta
    values = {name: from_file(meta.get_field(name), record[name]) for name in names}
    return model(**values, **extra)


def _insert_as_given(instance: models.Model) -> None:
    # raw=True: keep created_at/updated_at as given instead of auto_now, as loaddata does.
    instance.save_base(raw=True, force_insert=True)


def _link(field_name: str, owner: models.Model, targets: list[models.Model]) -> None:
    """Add many-to-many rows directly: no m2m_changed signal, so no history entries."""
    m2m = owner._meta.get_field(field_name)
    through = m2m.remote_field.through
    through.objects.bulk_create(
        through(**{m2m.m2m_field_name(): owner, m2m.m2m_reverse_field_name(): target})
        for target in targets
    )


@dataclass
class _Writer:
    terms: dict[type[models.Model], dict[str, models.Model]] = field(default_factory=dict)
    scales: dict[str, RatingScale] = field(default_factory=dict)
    levels: dict[tuple[str, str], RatingLevel] = field(default_factory=dict)
    interventions: dict[str, Intervention] = field(default_factory=dict)
    counts: ImportCounts = field(default_factory=ImportCounts)
    # Every record whose model keeps a change history, in the order written.
    tracked: dict[type[models.Model], list[models.Model]] = field(default_factory=dict)

    def _track(self, instances: list[models.Model]) -> list[models.Model]:
        for instance in instances:
            self.tracked.setdefault(type(instance), []).append(instance)
        return instances

    def record_history(self, reason: str) -> None:
        """One "created" history entry per record, dated now: history begins here."""
        now = timezone.now()
        for model, instances in self.tracked.items():
            model.history.bulk_history_create(
                instances, default_change_reason=reason, default_date=now
            )

    def publications(self, document: dict[str, Any]) -> None:
        """The published versions, as the file has them; a file from before versions
        (format version 1) gets version 1 of each published or archived intervention."""
        if document["version"] < 2:
            public = (Intervention.Status.PUBLISHED, Intervention.Status.ARCHIVED)
            first = sorted(
                (i for i in self.interventions.values() if i.status in public),
                key=lambda i: i.slug,
            )
            self.counts.versions = publish_history(first)
            return
        for record in document["interventions"]:
            intervention = self.interventions[record["slug"]]
            published = record[layout.PUBLISHED]
            versions = Version.objects.bulk_create(
                Version(
                    intervention=intervention,
                    number=version["number"],
                    published_at=parse_datetime(version["published_at"]),
                    publisher_name=version["publisher"],
                    change=version["change"],
                    change_note=version["change_note"],
                    content=version["content"],
                    content_hash=snapshot.content_hash(version["content"]),
                )
                for version in published["versions"]
            )
            self.counts.versions += len(versions)
            if versions:
                listing.show(versions[-1], first_published_at=versions[0].published_at)
            archived = published["archived"]
            if archived:
                replaced_by = archived["replaced_by"]
                Listing.objects.filter(intervention=intervention).update(
                    archived_at=parse_datetime(archived["archived_at"]),
                    archive_reason=archived["reason"],
                    replaced_by=self.interventions[replaced_by] if replaced_by else None,
                )

    def write(self, document: dict[str, Any]) -> ImportCounts:
        Catalogue.objects.update_or_create(
            pk=1, defaults={"is_demonstration": document["demonstration"]}
        )
        self._taxonomies(document["taxonomies"])
        self._scales(document["rating_scales"])
        for record in document["interventions"]:
            self._intervention(record)
        for index, record in enumerate(document["studies"]):
            self._study(record, f"studies[{index}]")
        return self.counts

    def _taxonomies(self, taxonomies: dict[str, list[dict[str, Any]]]) -> None:
        outcomes: list[Outcome] = []
        for key, model in layout.TAXONOMIES.items():
            names = layout.TERM_FIELDS + layout.EXTRA_TERM_FIELDS.get(model, [])
            records = taxonomies[key]
            terms = self._track(model.objects.bulk_create(_build(model, r, names) for r in records))
            self.terms[model] = {term.slug: term for term in terms}
            if model is OutcomeDomain:
                for domain, record in zip(terms, records, strict=True):
                    outcomes += [
                        _build(Outcome, r, layout.TERM_FIELDS, domain=domain)
                        for r in record[layout.OUTCOMES]
                    ]
        outcomes = self._track(Outcome.objects.bulk_create(outcomes))
        self.terms[Outcome] = {outcome.slug: outcome for outcome in outcomes}
        for record in taxonomies["topics"]:
            needed = [self.terms[Outcome][slug] for slug in record.get(layout.OUTCOMES, [])]
            _link(layout.OUTCOMES, self.terms[Topic][record["slug"]], needed)
        self.counts.terms = sum(len(terms) for terms in self.terms.values())

    def _scales(self, records: list[dict[str, Any]]) -> None:
        for record in records:
            scale = _build(RatingScale, record, layout.SCALE_FIELDS)
            _insert_as_given(scale)
            self._track([scale])
            self.scales[scale.slug] = scale
            levels = RatingLevel.objects.bulk_create(
                _build(RatingLevel, r, layout.LEVEL_FIELDS, scale=scale)
                for r in record[layout.LEVELS]
            )
            self._track(levels)
            self.levels.update({(scale.slug, level.code): level for level in levels})
        self.counts.rating_scales = len(records)

    def _intervention(self, record: dict[str, Any]) -> None:
        intervention = _build(Intervention, record, layout.INTERVENTION_FIELDS)
        _insert_as_given(intervention)
        self._track([intervention])
        self.interventions[intervention.slug] = intervention
        for key, model in layout.INTERVENTION_TERMS.items():
            _link(key, intervention, [self.terms[model][slug] for slug in record[key]])
        for rating in record[layout.RATINGS]:
            scale = rating["scale"]
            instance = _build(
                Rating,
                rating,
                layout.RATING_FIELDS,
                intervention=intervention,
                scale=self.scales[scale],
                level=self.levels[(scale, rating["level"])],
            )
            _insert_as_given(instance)
            self._track([instance])
        for estimate in record[layout.COST_ESTIMATES]:
            instance = _build(
                UnitCostEstimate, estimate, layout.COST_FIELDS, intervention=intervention
            )
            _insert_as_given(instance)
            self._track([instance])
        self.counts.interventions += 1
        self.counts.ratings += len(record[layout.RATINGS])
        self.counts.cost_estimates += len(record[layout.COST_ESTIMATES])

    def _study(self, record: dict[str, Any], path: str) -> None:
        study = _build(Study, record, layout.STUDY_FIELDS)
        _insert_as_given(study)
        self._track([study])
        slugs = record[layout.STUDY_INTERVENTIONS]
        _link(layout.STUDY_INTERVENTIONS, study, [self.interventions[slug] for slug in slugs])
        findings = [
            _build(
                Finding,
                finding,
                layout.FINDING_FIELDS,
                study=study,
                intervention=self.interventions[finding["intervention"]],
                outcome=self.terms[Outcome][finding["outcome"]],
                # Kept from a version 2 file: published snapshots name findings by id.
                pk=finding.get(layout.FINDING_ID),
            )
            for finding in record[layout.FINDINGS]
        ]
        for index, finding in enumerate(findings):
            try:
                finding.compute_effect()  # bulk_create skips save(), which would do it
            except CannotCompute as reason:
                # Validation names this first; the writer still never stores a finding
                # without its effect size.
                raise CatalogueError(
                    f"{path}.{layout.FINDINGS}[{index}]",
                    f"no effect size can be worked out: {reason}",
                ) from None
        findings = Finding.objects.bulk_create(findings)
        self._track(findings)
        self.counts.studies += 1
        self.counts.findings += len(record[layout.FINDINGS])
