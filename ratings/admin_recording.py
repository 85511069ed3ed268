"""Adding ratings and costs in the admin: always through record(), never an overwrite."""

from django.db import models

from ratings.models import Rating, RatingScale, UnitCostEstimate


def adopt(unsaved: models.Model, saved: models.Model) -> None:
    """Make the admin's unsaved instance the row record() created, for the admin's log and
    redirect."""
    for field in saved._meta.concrete_fields:
        setattr(unsaved, field.attname, getattr(saved, field.attname))
    unsaved._state.adding = False
    unsaved._state.db = saved._state.db


def record_rating(rating: Rating, user) -> Rating:
    """Record it; an evidence rating, confirmed or overridden, is a review of the evidence."""
    recorded = Rating.record(
        intervention=rating.intervention,
        level=rating.level,
        basis=rating.basis,
        reason=rating.reason,
        suggestion=rating.suggestion,
        rated_on=rating.rated_on,
        rated_by=user,
    )
    if recorded.scale.slug == RatingScale.EVIDENCE:
        intervention = recorded.intervention
        intervention.evidence_last_reviewed = recorded.rated_on
        intervention._change_reason = "Evidence reviewed: a new evidence rating was recorded"
        intervention.save(update_fields=["evidence_last_reviewed", "updated_at"])
    return recorded


def record_cost(estimate: UnitCostEstimate, user) -> UnitCostEstimate:
    fields = {
        field.name: getattr(estimate, field.name)
        for field in UnitCostEstimate._meta.concrete_fields
        if field.editable and field.name not in ("id", "intervention")
    }
    return UnitCostEstimate.record(intervention=estimate.intervention, **fields)


RECORDERS = {Rating: record_rating, UnitCostEstimate: record_cost}


def save_added_only(request, formset) -> None:
    """Save an add-only inline formset: existing rows are read-only, new rows are recorded."""
    recorder = RECORDERS[formset.model]
    new_rows = formset.save(commit=False)  # existing rows never count as changed
    recorded = []
    for row in new_rows:
        saved = recorder(row, request.user)
        adopt(row, saved)
        recorded.append(row)
    formset.new_objects = recorded
