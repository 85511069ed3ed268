"""Who changed an intervention's working copy, including the evidence under it.

The change histories (django-simple-history) are kept per model; an
intervention's working copy is its own row plus its studies, findings,
ratings and cost estimates.
"""

from django.contrib.auth import get_user_model

from interventions.models import Intervention
from ratings.models import Finding, Rating, Study, UnitCostEstimate


def _histories(intervention: Intervention) -> list:
    """One queryset of history rows per kind of record in the working copy."""
    studies = Study.objects.filter(interventions=intervention).values("pk")
    return [
        Intervention.history.filter(id=intervention.pk),
        Study.history.filter(id__in=studies),
        Finding.history.filter(intervention_id=intervention.pk),
        Rating.history.filter(intervention_id=intervention.pk),
        UnitCostEstimate.history.filter(intervention_id=intervention.pk),
    ]


def last_editor(intervention: Intervention):
    """The user who made the most recent recorded change, or None if not known."""
    latest = None
    for rows in _histories(intervention):
        row = rows.order_by("-history_date").values("history_date", "history_user_id").first()
        if row and (latest is None or row["history_date"] > latest["history_date"]):
            latest = row
    if latest is None or latest["history_user_id"] is None:
        return None
    return get_user_model().objects.filter(pk=latest["history_user_id"]).first()
