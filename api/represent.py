"""Turn published rows (listings, versions and their snapshots) into the API's answers.

Everything here reads a published version's snapshot or the listing built from it,
never a working copy, so a draft cannot reach the API by construction.
"""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from publishing.models import Listing, Version
from ratings.effect_sizes import improvement_index

STUDY_KEYS_SHOWN = {"id", "authors", "year", "title", "design", "country", "doi", "findings"}
# Working-copy bookkeeping that a reader of the published record does not need.
NOT_PUBLISHED = {"created_at", "updated_at"}
FINDING_STATISTICS_SKIP = {
    "id",
    "outcome",
    "measure",
    "informant",
    "timepoint",
    "statistics_form",
    "p_value",
    "source_location",
    "effect_size",
    "effect_se",
    "effect_ci_lower",
    "effect_ci_upper",
    "effect_method",
}
FINDING_DESCRIPTION = {"validated_measure", "higher_is_better", "months_after_end", "notes"}


def absolute(request: HttpRequest, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(name, args=args))


def _level(code: str, label: str) -> dict | None:
    return {"code": code, "label": label} if code else None


def listing_summary(listing: Listing, request: HttpRequest) -> dict[str, Any]:
    return {
        "slug": listing.slug,
        "name": listing.name,
        "summary": listing.summary,
        "url": absolute(request, "api-v1:intervention", listing.slug),
        "page_url": absolute(request, "interventions:detail", listing.slug),
        "version": listing.version_number,
        "first_published_at": listing.first_published_at.isoformat(),
        "published_at": listing.published_at.isoformat(),
        "min_age_months": listing.min_age_months,
        "max_age_months": listing.max_age_months,
        "evidence": _level(listing.evidence_code, listing.evidence_label),
        "cost": _level(listing.cost_code, listing.cost_label),
        "unit_cost": str(listing.unit_cost) if listing.unit_cost is not None else None,
        "unit_cost_per": listing.cost_per or None,
        "price_year": listing.price_year,
        "uk_tested": listing.uk_tested,
        "available_in_uk": listing.available_in_uk,
        "outcomes": list(listing.outcomes),
        "topics": list(listing.topics),
        "archived": listing.is_archived,
    }


def version_summary(version: Version, slug: str, request: HttpRequest) -> dict[str, Any]:
    changes = None
    if version.number > 1:
        changes = request.build_absolute_uri(
            reverse("interventions:changes", args=[slug])
            + f"?from={version.number - 1}&to={version.number}"
        )
    return {
        "number": version.number,
        "published_at": version.published_at.isoformat(),
        "change": version.change,
        "change_note": version.change_note,
        "url": absolute(request, "api-v1:version", slug, version.number),
        "page_url": absolute(request, "interventions:version", slug, version.number),
        "changes_url": changes,
    }


def finding(record: dict[str, Any], content: dict[str, Any]) -> dict[str, Any]:
    outcome = content["outcomes"].get(record["outcome"], {})
    g = record.get("effect_size")
    return {
        "id": record["id"],
        "outcome": record["outcome"],
        "outcome_name": outcome.get("name", ""),
        "domain": outcome.get("domain", ""),
        "measure": record.get("measure", ""),
        "informant": record.get("informant", ""),
        "timepoint": record.get("timepoint", ""),
        "statistics_form": record.get("statistics_form", ""),
        "statistics": {
            key: value
            for key, value in record.items()
            if key not in FINDING_STATISTICS_SKIP and key not in FINDING_DESCRIPTION
        }
        | {key: record.get(key) for key in FINDING_DESCRIPTION},
        "p_value": record.get("p_value"),
        "effect_size": g,
        "effect_se": record.get("effect_se"),
        "effect_ci_lower": record.get("effect_ci_lower"),
        "effect_ci_upper": record.get("effect_ci_upper"),
        "effect_method": record.get("effect_method") or "",
        "improvement_index": improvement_index(g) if g is not None else None,
        "source_location": record.get("source_location") or "",
    }


def study(record: dict[str, Any], content: dict[str, Any], request: HttpRequest) -> dict:
    return {
        "id": record["id"],
        "url": absolute(request, "api-v1:study", record["id"]),
        "page_url": absolute(request, "ratings:study", record["id"]),
        "authors": record["authors"],
        "year": record["year"],
        "title": record["title"],
        "design": record["design"],
        "country": record.get("country"),
        "doi": record.get("doi") or "",
        "details": {
            key: value
            for key, value in record.items()
            if key not in STUDY_KEYS_SHOWN and key not in NOT_PUBLISHED
        },
        "findings": [finding(f, content) for f in record["findings"]],
    }


def rating(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "scale": record["scale"],
        "level": record["level"],
        "rated_on": record.get("rated_on"),
        "basis": record.get("basis") or "",
        "reason": record.get("reason") or "",
        "standards_version": record.get("standards_version") or "",
        "created_at": record["created_at"],
        "superseded_at": record.get("superseded_at"),
        "current": record.get("superseded_at") is None,
    }


COST_SHOWN = {"per", "unit_cost", "price_year", "estimated_on", "created_at", "superseded_at"}


def cost(record: dict[str, Any]) -> dict[str, Any]:
    return {
        "per": record.get("per") or "",
        "unit_cost": record.get("unit_cost"),
        "price_year": record.get("price_year"),
        "details": {k: v for k, v in record.items() if k not in COST_SHOWN},
        "estimated_on": record.get("estimated_on"),
        "created_at": record["created_at"],
        "superseded_at": record.get("superseded_at"),
        "current": record.get("superseded_at") is None,
    }


def version_detail(version: Version, listing: Listing, request: HttpRequest) -> dict[str, Any]:
    """A version exactly as published: its text, terms, ratings with their history,
    costs, and its studies with every finding's statistics and computed numbers."""
    content = version.content
    record = content["intervention"]
    slug = listing.slug
    return {
        "slug": slug,
        "name": record["name"],
        "version": version_summary(version, slug, request),
        "latest_version": listing.version_number,
        "archived": listing.is_archived,
        "archive_reason": listing.archive_reason,
        "details": {k: v for k, v in record.items() if k not in {"slug", "name"}},
        "terms": {
            key: value for key, value in content["terms"].items() if key != "target_outcomes"
        },
        "target_outcomes": [
            {"slug": s, "name": content["outcomes"].get(s, {}).get("name", "")}
            for s in content["terms"]["target_outcomes"]
        ],
        "ratings": [rating(r) for r in content["ratings"]],
        "cost_estimates": [cost(c) for c in content["cost_estimates"]],
        "studies": [study(s, content, request) for s in content["studies"]],
        "versions_url": absolute(request, "api-v1:versions", slug),
    }
