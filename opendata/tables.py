"""The open-data tables: what each column holds, in plain words (the Data page shows
these), and the rows, read only from published versions' snapshots."""

from collections.abc import Iterable
from typing import Any

from publishing.models import Listing
from ratings.effect_sizes import improvement_index

INTERVENTIONS = {
    "slug": "The intervention's lasting identifier, also the end of its web address.",
    "name": "Its name.",
    "version": "The number of the published version these facts come from.",
    "published_at": "When that version was published, Greenwich time (2025-01-31T09:00:00+00:00).",
    "archived": "Yes if it has been taken off the list; its pages stay online.",
    "min_age_months": "Youngest age it is for, in months (negative: before birth).",
    "max_age_months": "Oldest age it is for, in months.",
    "evidence_level": "Evidence strength code, such as 3 or NL2.",
    "evidence_label": "What the evidence strength code means.",
    "cost_rating": "Cost rating code, from 1 (low) to 5 (high).",
    "cost_label": "What the cost rating means.",
    "unit_cost": "Cost for each child or family, in pounds.",
    "unit_cost_per": "Whether the unit cost is for each child or each family.",
    "price_year": "The year whose prices the unit cost is in.",
    "uk_tested": "Yes if a rigorous study tested it in the UK.",
    "available_in_uk": "Yes if it can be bought in the UK.",
    "outcomes": "Outcomes it aims to improve, separated by semicolons.",
    "topics": "Topic identifiers, separated by semicolons.",
    "link": "Its page on this site.",
}
STUDIES = {
    "study_id": "The study's lasting identifier (its page is /studies/<id>/).",
    "interventions": "Slugs of the interventions whose published versions show it.",
    "authors": "Authors.",
    "year": "Year of publication.",
    "title": "Title.",
    "publication": "Where it was published.",
    "doi": "Digital object identifier, if any.",
    "url": "Web address of the report, if any.",
    "design": "Study design, such as a randomised controlled trial.",
    "country": "Two-letter country code of where it took place.",
    "intervention_n": "Children or families in the intervention group.",
    "comparison_n": "Children or families in the comparison group.",
    "attrition_overall": "Percentage who left the study before the end.",
    "attrition_differential": "Difference in leaving between the groups, in percentage points.",
    "follow_up_months": "Months from the end of the intervention to the last measure.",
    "independent": "Yes if run independently of the developer.",
}
FINDINGS = {
    "finding_id": "The finding's lasting identifier.",
    "study_id": "The study it comes from.",
    "intervention": "Slug of the intervention it is about.",
    "outcome": "Outcome identifier.",
    "outcome_name": "Outcome, in words.",
    "outcome_area": "Outcome area identifier.",
    "measure": "The measure (questionnaire, test or record) used.",
    "informant": "Who reported the measure.",
    "timepoint": "When it was measured.",
    "statistics_form": "Which statistics the study reported.",
    "intervention_mean": "Intervention group mean, as reported.",
    "intervention_sd": "Intervention group standard deviation, as reported.",
    "comparison_mean": "Comparison group mean, as reported.",
    "comparison_sd": "Comparison group standard deviation, as reported.",
    "intervention_events": "Events (such as entering care) in the intervention group.",
    "comparison_events": "Events in the comparison group.",
    "intervention_n": "Intervention group size for this finding.",
    "comparison_n": "Comparison group size for this finding.",
    "t_statistic": "The t statistic the study reported, if any.",
    "reported_effect_size": "The effect size the study reported, if any.",
    "reported_se": "The standard error the study reported, if any.",
    "reported_ci_lower": "Lower end of the interval the study reported, if any.",
    "reported_ci_upper": "Upper end of the interval the study reported, if any.",
    "p_value": "The p value the study reported, if any.",
    "effect_size": "Standardised effect size (Hedges' g) we worked out; positive is better.",
    "effect_se": "Standard error of the effect size.",
    "effect_ci_lower": "Lower end of its 95% confidence interval.",
    "effect_ci_upper": "Upper end of its 95% confidence interval.",
    "effect_method": "How we worked out the effect size (see /methods/).",
    "improvement_index": "Places an average comparison child would move up, in 100.",
    "source_location": "Where in the report the numbers are (page or table).",
}
RATINGS = {
    "intervention": "Slug of the intervention rated.",
    "version": "Published version the rating comes from.",
    "scale": "Rating scale: evidence-strength or cost.",
    "code": "The level's code.",
    "label": "The level's name.",
    "rated_on": "When the rating was decided.",
    "reason": "Why, in words.",
    "standards_version": "The version of the rating rules used.",
    "created_at": "When it was recorded, in Greenwich time.",
    "superseded_at": "When a newer rating replaced it; empty if it is current.",
    "current": "Yes if it is the current rating.",
}


def published() -> Iterable[Listing]:
    """Every published intervention with its latest version: one query."""
    rows = Listing.objects.select_related("version").defer("search_text", "search_vector")
    return rows.order_by("slug")


def intervention_rows(listings, link) -> Iterable[dict[str, Any]]:
    for row in listings:
        yield {
            "slug": row.slug,
            "name": row.name,
            "version": row.version_number,
            "published_at": row.published_at.isoformat(),
            "archived": row.is_archived,
            "min_age_months": row.min_age_months,
            "max_age_months": row.max_age_months,
            "evidence_level": row.evidence_code,
            "evidence_label": row.evidence_label,
            "cost_rating": row.cost_code,
            "cost_label": row.cost_label,
            "unit_cost": row.unit_cost,
            "unit_cost_per": row.cost_per,
            "price_year": row.price_year,
            "uk_tested": row.uk_tested,
            "available_in_uk": row.available_in_uk,
            "outcomes": list(row.outcome_names),
            "topics": list(row.topics),
            "link": link(row),
        }


def study_rows(listings) -> Iterable[dict[str, Any]]:
    studies: dict[int, dict[str, Any]] = {}
    for row in listings:
        for study in row.version.content["studies"]:
            found = studies.setdefault(
                study["id"],
                {"study_id": study["id"], "interventions": []}
                | {
                    key: study.get(key)
                    for key in STUDIES
                    if key not in ("study_id", "interventions")
                },
            )
            found["interventions"].append(row.slug)
    return [studies[key] for key in sorted(studies)]


def finding_rows(listings) -> Iterable[dict[str, Any]]:
    for row in listings:
        content = row.version.content
        for study in content["studies"]:
            for finding in study["findings"]:
                outcome = content["outcomes"].get(finding["outcome"], {})
                g = finding.get("effect_size")
                yield {key: finding.get(key) for key in FINDINGS} | {
                    "finding_id": finding["id"],
                    "study_id": study["id"],
                    "intervention": row.slug,
                    "outcome_name": outcome.get("name"),
                    "outcome_area": outcome.get("domain"),
                    "improvement_index": round(improvement_index(g), 4) if g is not None else None,
                }


def rating_rows(listings) -> Iterable[dict[str, Any]]:
    for row in listings:
        for rating in row.version.content["ratings"]:
            yield {
                "intervention": row.slug,
                "version": row.version_number,
                "scale": rating["scale"]["slug"],
                "code": rating["level"]["code"],
                "label": rating["level"]["label"],
                "rated_on": rating.get("rated_on"),
                "reason": rating.get("reason"),
                "standards_version": rating.get("standards_version"),
                "created_at": rating.get("created_at"),
                "superseded_at": rating.get("superseded_at"),
                "current": rating.get("superseded_at") is None,
            }
