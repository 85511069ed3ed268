"""Build, store and serve the bulk open-data files.

A file is built from the published listing and versions when first asked for
after the catalogue changed (publishing's catalogue_changed signal forgets the
old ones; a fingerprint of the listing catches any change made another way,
such as an import), and then served from the database until the next change.
"""

import csv
import io
import json

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone

from opendata import tables
from opendata.models import DataFile
from publishing.catalogue_io import FORMAT, VERSION
from publishing.catalogue_io.exporter import _rating_scales, _taxonomies
from publishing.downloads import safe_cell
from publishing.models import Listing, Version

LICENCE = "Open Government Licence v3.0"
LICENCE_URL = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"
CSV = "text/csv; charset=utf-8"
TABLES = {
    "interventions.csv": tables.INTERVENTIONS,
    "studies.csv": tables.STUDIES,
    "findings.csv": tables.FINDINGS,
    "ratings.csv": tables.RATINGS,
}
NAMES = ["catalogue.json", *TABLES]


def fingerprint() -> str:
    """Changes whenever anything public changes: one aggregate over the listing."""
    facts = Listing.objects.aggregate(
        n=Count("pk"),
        versions=Sum("version_number"),
        published=Max("published_at"),
        archived=Count("archived_at"),
        last_archived=Max("archived_at"),
    )
    return "|".join(str(facts[key]) for key in sorted(facts))


def last_updated():
    """When the published catalogue last changed, or None if nothing is published."""
    facts = Listing.objects.aggregate(published=Max("published_at"), archived=Max("archived_at"))
    return max((when for when in facts.values() if when), default=None)


def _csv(columns: dict, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(columns)
    for row in rows:
        writer.writerow(safe_cell(row[key]) for key in columns)
    # A byte-order mark, so spreadsheet programs read the £ sign as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def _catalogue(listings) -> bytes:
    """The catalogue format's reference data, and every published version of every
    published intervention: never a working copy, so no draft."""
    versions: dict[int, list] = {}
    for version in Version.objects.filter(intervention__listing__isnull=False).order_by(
        "intervention_id", "number"
    ):
        versions.setdefault(version.intervention_id, []).append(
            {
                "number": version.number,
                "published_at": version.published_at.isoformat(),
                "change": version.change,
                "change_note": version.change_note,
                "content": version.content,
            }
        )
    document = {
        "format": FORMAT,
        "version": VERSION,
        "published_only": True,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "taxonomies": _taxonomies(),
        "rating_scales": _rating_scales(),
        "interventions": [
            {
                "slug": row.slug,
                "archived": None
                if row.archived_at is None
                else {"archived_at": row.archived_at.isoformat(), "reason": row.archive_reason},
                "versions": versions.get(row.intervention_id, []),
            }
            for row in listings
        ],
    }
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()


def build_all(base_url: str) -> dict[str, DataFile]:
    """Build every file afresh and store it; returns them by name."""
    stamp = fingerprint()
    listings = list(tables.published())

    def link(row) -> str:
        return base_url + reverse("interventions:detail", args=[row.slug])

    contents = {
        "catalogue.json": (_catalogue(listings), "application/json"),
        "interventions.csv": (
            _csv(tables.INTERVENTIONS, tables.intervention_rows(listings, link)),
            CSV,
        ),
        "studies.csv": (_csv(tables.STUDIES, tables.study_rows(listings)), CSV),
        "findings.csv": (_csv(tables.FINDINGS, tables.finding_rows(listings)), CSV),
        "ratings.csv": (_csv(tables.RATINGS, tables.rating_rows(listings)), CSV),
    }
    now = timezone.now()
    built = {}
    with transaction.atomic():
        DataFile.objects.all().delete()
        for name, (content, content_type) in contents.items():
            built[name] = DataFile.objects.create(
                name=name,
                content=content,
                content_type=content_type,
                built_at=now,
                fingerprint=stamp,
            )
    return built


def current(name: str, request: HttpRequest) -> DataFile:
    """The file as of the catalogue now, built if it is missing or out of date."""
    stored = DataFile.objects.filter(name=name).first()
    if stored is None or stored.fingerprint != fingerprint():
        # The configured address, so an odd Host header never reaches the stored files.
        base = settings.SITE_URL or f"{request.scheme}://{request.get_host()}"
        stored = build_all(base)[name]
    return stored
