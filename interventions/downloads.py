"""The list's results as a file a commissioner can open in a spreadsheet: CSV or JSON.

One row per intervention, with the columns a business case needs. The rows
come from the list's own filters and sort (views.intervention_download).
"""

import csv
import io
import json
from collections.abc import Iterable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from interventions.formatting import age_range_in_words, yes_no
from interventions.models import Intervention
from interventions.templatetags.store_format import current_cost, current_rating
from ratings.models import RatingScale

COLUMNS = {
    "name": "Name",
    "link": "Link",
    "ages": "Ages",
    "min_age_months": "Youngest age (months)",
    "max_age_months": "Oldest age (months)",
    "outcomes": "Outcomes it aims to improve",
    "evidence_level": "Evidence level",
    "evidence_label": "Evidence level meaning",
    "cost_rating": "Cost rating",
    "cost_label": "Cost rating meaning",
    "unit_cost": "Unit cost (£)",
    "unit_cost_per": "Unit cost is for each",
    "price_year": "Price year",
    "uk_tested": "Tested in the UK",
    "available_in_uk": "Available in the UK",
    "need_levels": "Levels of need",
    "evidence_last_reviewed": "Evidence last reviewed",
}

# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def row(intervention: Intervention, link: str) -> dict[str, Any]:
    """One intervention's values, typed (numbers stay numbers; JSON keeps them so)."""
    evidence = current_rating(intervention, RatingScale.EVIDENCE)
    cost_rating = current_rating(intervention, RatingScale.COST)
    cost = current_cost(intervention)
    reviewed = intervention.evidence_last_reviewed
    return {
        "name": intervention.name,
        "link": link,
        "ages": age_range_in_words(intervention.min_age_months, intervention.max_age_months),
        "min_age_months": intervention.min_age_months,
        "max_age_months": intervention.max_age_months,
        "outcomes": [
            f"{outcome.domain.name}: {outcome.name}"
            for outcome in intervention.target_outcomes.all()
        ],
        "evidence_level": evidence.level.code if evidence else None,
        "evidence_label": evidence.level.label if evidence else None,
        "cost_rating": cost_rating.level.code if cost_rating else None,
        "cost_label": cost_rating.level.label if cost_rating else None,
        "unit_cost": str(cost.unit_cost) if cost else None,
        "unit_cost_per": cost.per if cost else None,
        "price_year": cost.price_year if cost else None,
        "uk_tested": intervention.uk_tested,
        "available_in_uk": intervention.available_in_uk,
        "need_levels": [level.name for level in intervention.need_levels.all()],
        "evidence_last_reviewed": reviewed.isoformat() if reviewed else None,
    }


def safe_cell(value: Any) -> Any:
    """A CSV cell: lists joined, yes/no in words, and text that a spreadsheet
    would run as a formula made plain text with a leading apostrophe."""
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, list):
        value = "; ".join(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return "" if value is None else value


def as_csv(rows: Iterable[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS.values())
    for values in rows:
        writer.writerow(safe_cell(values[key]) for key in COLUMNS)
    return out.getvalue()


def as_json(rows: list[dict[str, Any]], source: str) -> str:
    document = {"source": source, "count": len(rows), "interventions": rows}
    return json.dumps(document, ensure_ascii=False, indent=2)


def response(file_format: str, interventions: Iterable[Intervention], request: HttpRequest):
    rows = [
        row(intervention, request.build_absolute_uri(intervention.get_absolute_url()))
        for intervention in interventions
    ]
    filename = f"interventions-{timezone.localdate().isoformat()}.{file_format}"
    if file_format == "csv":
        # A byte-order mark, so spreadsheet programs read the £ sign as UTF-8.
        body, content_type = "\ufeff" + as_csv(rows), "text/csv; charset=utf-8"
    else:
        body = as_json(rows, request.build_absolute_uri())
        content_type = "application/json"
    reply = HttpResponse(body, content_type=content_type)
    reply["Content-Disposition"] = f'attachment; filename="{filename}"'
    return reply
