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


HISTORY_ROWS = 200
CHANGE_TYPES = {"+": "Added", "~": "Changed", "-": "Deleted"}


def _changed_fields(record) -> list[dict]:
    """The fields this change touched, as the admin labels them, with before and after."""
    if record.history_type != "~" or record.prev_record is None:
        return []
    delta = record.diff_against(record.prev_record)
    meta = record.instance._meta
    return [
        {
            "field": str(meta.get_field(change.field).verbose_name).capitalize(),
            "old": change.old,
            "new": change.new,
        }
        for change in delta.changes
    ]


def changes(intervention: Intervention, limit: int = HISTORY_ROWS) -> list[dict]:
    """Every recorded change to the working copy, the evidence under it included, newest
    first: the intervention's own, its studies', findings', ratings' and costs'."""
    records = [
        record
        for rows in _histories(intervention)
        for record in rows.select_related("history_user").order_by("-history_date")[:limit]
    ]
    records.sort(key=lambda record: record.history_date, reverse=True)
    return [
        {
            "when": record.history_date,
            "who": record.history_user,
            "kind": str(record.instance._meta.verbose_name).capitalize(),
            "what": str(record.instance),
            "change": CHANGE_TYPES.get(record.history_type, record.history_type),
            "fields": _changed_fields(record),
            "reason": record.history_change_reason or "",
        }
        for record in records[:limit]
    ]
