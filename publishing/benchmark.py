"""Measure the public pages: time and SQL queries, at the catalogue's size or larger.

`inflate()` copies the published catalogue inside the caller's transaction, so a
benchmark at 100 times the demo catalogue leaves the database as it found it. The
public pages read published versions and the listing, so those are copied too, each
copy's snapshots pointing at its own studies and findings.
"""

import copy as copying
import statistics
import time
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.db import connection, models
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from interventions.models import Intervention
from publishing import snapshot
from publishing.models import Listing, Version
from ratings.models import Finding, Rating, Study, UnitCostEstimate

BUDGET_MS = 100


@dataclass
class Measurement:
    label: str
    path: str
    status: int
    queries: int
    median_ms: float
    p95_ms: float

    def within(self, budget_ms: float) -> bool:
        return self.status == 200 and self.median_ms < budget_ms


def _copy(instance: models.Model, **overrides) -> models.Model:
    """An unsaved copy of a row: every stored column except the key and generated ones."""
    values = {
        field.attname: getattr(instance, field.attname)
        for field in instance._meta.concrete_fields
        if not field.primary_key and not getattr(field, "generated", False)
    }
    values.update(overrides)
    return type(instance)(**values)


def _copy_links(field: models.ManyToManyField, mapping: dict[int, models.Model]) -> None:
    """Copy a many-to-many table's rows for the copied rows of its model."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
    rows = through.objects.filter(**{f"{source}__in": mapping}).values_list(
        f"{source}_id", f"{target}_id"
    )
    through.objects.bulk_create(
        through(**{f"{source}_id": mapping[original].pk, f"{target}_id": other})
        for original, other in rows
    )


def _copied_content(content: dict, name: str, slug: str, studies: dict, findings: dict) -> dict:
    """A version's snapshot for a copy: its own name and address, its own studies and
    findings (ids not copied are kept: an old version may show a study since removed)."""
    content = copying.deepcopy(content)
    content["intervention"].update(name=name, slug=slug)
    for study in content["studies"]:
        if study["id"] in studies:
            study["id"] = studies[study["id"]].pk
        for finding in study["findings"]:
            finding["id"] = findings.get(finding["id"], finding["id"])
    return content


def inflate(times: int) -> int:
    """Add `times - 1` copies of every published intervention with its studies,
    findings, current ratings and cost estimate, its published versions and its
    listing. Returns the number published."""
    originals = list(Intervention.objects.published())
    studies = list(Study.objects.filter(interventions__in=originals).distinct())
    findings = list(Finding.objects.filter(intervention__in=originals))
    ratings = list(Rating.objects.current().filter(intervention__in=originals))
    costs = list(UnitCostEstimate.objects.current().filter(intervention__in=originals))
    versions = list(Version.objects.filter(intervention__in=originals).order_by("number"))
    listings = list(Listing.objects.filter(intervention__in=originals))
    for copy in range(1, times):
        new_interventions = {
            original.pk: _copy(
                original, name=f"{original.name} (copy {copy})", slug=f"{original.slug}-{copy}"
            )
            for original in originals
        }
        Intervention.objects.bulk_create(new_interventions.values())
        for field in Intervention._meta.many_to_many:
            _copy_links(field, new_interventions)

        new_studies = {study.pk: _copy(study) for study in studies}
        Study.objects.bulk_create(new_studies.values())
        study_links = Study.interventions.through
        study_links.objects.bulk_create(
            study_links(study_id=new_studies[study_id].pk, intervention_id=new.pk)
            for study_id, intervention_id in study_links.objects.filter(
                study__in=studies, intervention__in=originals
            ).values_list("study_id", "intervention_id")
            if (new := new_interventions.get(intervention_id))
        )
        new_findings = {
            finding.pk: _copy(
                finding,
                study_id=new_studies[finding.study_id].pk,
                intervention_id=new_interventions[finding.intervention_id].pk,
            )
            for finding in findings
        }
        Finding.objects.bulk_create(new_findings.values())
        for model, rows in ((Rating, ratings), (UnitCostEstimate, costs)):
            model.objects.bulk_create(
                _copy(row, intervention_id=new_interventions[row.intervention_id].pk)
                for row in rows
            )
        _copy_publications(versions, listings, new_interventions, new_studies, new_findings)
    if times > 1:
        # Fresh table statistics, as autovacuum would gather in production, so the
        # planner sees the copies; ANALYZE rolls back with the caller's transaction.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Intervention.objects.published().count()


def _copy_publications(
    versions: list[Version],
    listings: list[Listing],
    interventions: dict[int, Intervention],
    studies: dict[int, Study],
    findings: dict[int, Finding],
) -> None:
    """Each copy's versions, as the originals' with the copy's name, address and evidence,
    and its row in the list, showing its latest version."""
    finding_ids = {old: new.pk for old, new in findings.items()}
    new_versions = {}
    for version in versions:
        new = interventions[version.intervention_id]
        content = _copied_content(version.content, new.name, new.slug, studies, finding_ids)
        new_versions[version.pk] = _copy(
            version,
            intervention_id=new.pk,
            content=content,
            content_hash=snapshot.content_hash(content),
        )
    Version.objects.bulk_create(new_versions.values())
    Listing.objects.bulk_create(
        _copy(
            listing,
            intervention_id=interventions[listing.intervention_id].pk,
            version_id=new_versions[listing.version_id].pk,
            name=interventions[listing.intervention_id].name,
            slug=interventions[listing.intervention_id].slug,
            study_ids=[studies[pk].pk if pk in studies else pk for pk in listing.study_ids],
            replaced_by_id=(
                interventions[listing.replaced_by_id].pk
                if listing.replaced_by_id in interventions
                else listing.replaced_by_id
            ),
        )
        for listing in listings
    )


def pages() -> list[tuple[str, str]]:
    """The public pages worth timing, on the catalogue as it is."""
    richest = (
        Intervention.objects.published()
        .annotate(findings_count=Count("findings"))
        .order_by("-findings_count", "slug")
        .first()
    )
    study = Study.objects.public().order_by("pk").first()
    listing = reverse("interventions:list")
    found = [
        ("Home", reverse("interventions:home")),
        ("All interventions", listing),
        ("All interventions, last page", f"{listing}?page=999999"),
        ("Keyword search", f"{listing}?q=parenting+behaviour"),
    ]
    if richest:
        found.append(("Intervention with most findings", richest.get_absolute_url()))
    if study:
        found.append(("A study", study.get_absolute_url()))
    return found


def _host() -> str:
    """A host name the site accepts, as a browser would send it."""
    allowed = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host != "*"]
    return allowed[0] if allowed else "localhost"


def measure(targets: Iterable[tuple[str, str]], repeat: int) -> list[Measurement]:
    client = Client(HTTP_HOST=_host())
    results = []
    for label, path in targets:
        client.get(path)  # warm caches: templates, the query plan
        timings = []
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path)
                timings.append((time.perf_counter() - started) * 1000)
        timings.sort()
        results.append(
            Measurement(
                label=label,
                path=path,
                status=response.status_code,
                queries=len(queries),
                median_ms=statistics.median(timings),
                p95_ms=timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))],
            )
        )
    return results
