"""Build an intervention's row in the public list from its latest version.

Everything the list filters, counts, sorts, searches and shows on a card is
taken from the snapshot, so the list can never show what has not been published.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from publishing import derived, snapshot, topics
from publishing.catalogue_io.values import parse_date
from publishing.models import Listing, Version
from ratings.models import RatingScale


def facts(content: dict[str, Any]) -> dict[str, Any]:
    """The listing's columns for one snapshot."""
    data, terms = content["intervention"], content["terms"]
    outcomes, domains = content["outcomes"], content["domains"]
    targets = terms["target_outcomes"]
    evidence = snapshot.current_level(content, RatingScale.EVIDENCE)
    cost_level = snapshot.current_level(content, RatingScale.COST)
    cost = snapshot.current_cost(content)
    reviewed = data["evidence_last_reviewed"]
    target_domains = sorted({outcomes[slug]["domain"] for slug in targets})
    improved = derived.found_to_improve(content)
    return {
        "slug": data["slug"],
        "name": data["name"],
        "other_names": data["other_names"],
        "summary": data["summary"],
        "min_age_months": data["min_age_months"],
        "max_age_months": data["max_age_months"],
        "available_in_uk": data["available_in_uk"],
        "uk_tested": data["uk_tested"],
        "evidence_last_reviewed": parse_date(reviewed) if reviewed else None,
        "evidence_rank": evidence["rank"] if evidence else None,
        "evidence_code": evidence["code"] if evidence else "",
        "evidence_label": evidence["label"] if evidence else "",
        "cost_rank": cost_level["rank"] if cost_level else None,
        "cost_code": cost_level["code"] if cost_level else "",
        "cost_label": cost_level["label"] if cost_level else "",
        "unit_cost": Decimal(cost["unit_cost"]) if cost else None,
        "cost_per": cost["per"] if cost else "",
        "price_year": cost["price_year"] if cost else None,
        "need_levels": [term["slug"] for term in terms["need_levels"]],
        "settings": [term["slug"] for term in terms["settings"]],
        "delivery_models": [term["slug"] for term in terms["delivery_models"]],
        "outcomes": list(targets),
        "domains": target_domains,
        "outcome_names": [
            f"{domains[outcomes[slug]['domain']]['name']}: {outcomes[slug]['name']}"
            for slug in targets
        ],
        "need_level_names": [term["name"] for term in terms["need_levels"]],
        "study_ids": [study["id"] for study in content["studies"]],
        "improved_outcomes": improved.outcomes,
        **topics.columns(topics.ticked_in(content), targets, improved.outcomes, topics.needs()),
        "improved_domains": improved.domains,
        "harmful": improved.harmful,
        "improvements": improved.sizes,
        "search_text": derived.search_text(content),
    }


def show(version: Version, first_published_at: datetime | None = None) -> Listing:
    """Make `version` the one the list shows, and bring an archived entry back."""
    values = {
        **facts(version.content),
        "version": version,
        "version_number": version.number,
        "published_at": version.published_at,
        "archived_at": None,
        "archive_reason": "",
        "replaced_by": None,
    }
    listing, created = Listing.objects.update_or_create(
        intervention_id=version.intervention_id,
        defaults=values,
        create_defaults={
            **values,
            "first_published_at": first_published_at or version.published_at,
        },
    )
    return listing
