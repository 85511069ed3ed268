"""Admin forms for the evidence: every database rule explained in plain words.

Errors go on the field at fault. Besides pointing the curator at the right box,
that stops Django's own constraint check repeating the rule as 'Constraint "x"
is violated.': it skips any constraint that involves a field already in error.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from ratings.cost_breakdown import breakdown_mismatch
from ratings.derived import suggest
from ratings.finding_effects import CannotCompute, effect_of
from ratings.models import (
    STATISTICS_BY_FORM,
    STATISTICS_FIELDS,
    Finding,
    Rating,
    RatingLevel,
    RatingScale,
    Study,
    UnitCostEstimate,
)

StatisticsForm = Finding.StatisticsForm

REQUIRED_STATISTICS = {form: required for form, (required, _) in STATISTICS_BY_FORM.items()}
# Forms whose effect size is a standardised mean difference: it needs two or more per group.
FROM_SCORES = {
    StatisticsForm.CONTINUOUS: "means and standard deviations",
    StatisticsForm.T_STATISTIC: "a t statistic",
}
ALLOWED_STATISTICS = {
    form: frozenset(required + optional)
    for form, (required, optional) in STATISTICS_BY_FORM.items()
}


class FindingForm(forms.ModelForm):
    """The statistics as reported: exactly the numbers the chosen form needs, and sane ones."""

    class Meta:
        model = Finding
        fields = "__all__"  # noqa: DJ007 - the admin picks the fields with its fieldsets

    def clean(self):
        cleaned = super().clean()
        self._check_statistics_form(cleaned)
        self._check_values(cleaned)
        return cleaned

    def _post_clean(self):
        super()._post_clean()  # puts the cleaned values on self.instance
        if not self.errors:
            self._check_effect_size()

    def _check_effect_size(self) -> None:
        """Saving works the effect size out; any reason it cannot is the curator's to fix.
        The checks above name the box at fault; this catches whatever they miss."""
        try:
            effect_of(self.instance)
        except CannotCompute as reason:
            self.add_error(
                None, f"No effect size can be worked out from these statistics. {reason}"
            )

    def _value(self, cleaned, name):
        return cleaned.get(name) if name in self.fields else None

    def _flag(self, name: str, message: str) -> None:
        # One message per box is enough; the first is the most specific.
        if name in self.fields and name not in self.errors:
            self.add_error(name, message)

    def _check_statistics_form(self, cleaned) -> None:
        chosen = cleaned.get("statistics_form")
        if chosen not in REQUIRED_STATISTICS:
            return
        label = StatisticsForm(chosen).label
        for name in REQUIRED_STATISTICS[chosen]:
            if self._value(cleaned, name) is None:
                self._flag(name, f"Needed for “{label}”.")
        for name in sorted(set(STATISTICS_FIELDS) - ALLOWED_STATISTICS[chosen]):
            if self._value(cleaned, name) is not None:
                self._flag(
                    name,
                    f"Leave this empty: it is not part of “{label}”. If these are the "
                    "numbers the study reports, choose the matching statistics form instead.",
                )
        has_ci = None not in (
            self._value(cleaned, "reported_ci_lower"),
            self._value(cleaned, "reported_ci_upper"),
        )
        has_se = self._value(cleaned, "reported_se") is not None
        if chosen == StatisticsForm.EFFECT_SIZE and not has_se and not has_ci:
            self._flag(
                "reported_se",
                "Give the standard error, or both ends of the 95% confidence interval.",
            )

    def _check_values(self, cleaned) -> None:
        from_scores = FROM_SCORES.get(cleaned.get("statistics_form"))
        for arm in ("intervention", "comparison"):
            sd = self._value(cleaned, f"{arm}_sd")
            if sd is not None and sd <= 0:
                self._flag(f"{arm}_sd", "A standard deviation must be more than 0.")
            n = self._value(cleaned, f"{arm}_n")
            if n is not None and from_scores and n < 2:
                self._flag(
                    f"{arm}_n",
                    f"An effect size from {from_scores} needs at least 2 children or "
                    "families in each group.",
                )
            if n is not None and n < 1:
                self._flag(f"{arm}_n", "A group must have at least 1 child or family.")
            events = self._value(cleaned, f"{arm}_events")
            if events is not None and n is not None and events > n:
                self._flag(
                    f"{arm}_events",
                    f"Cannot be more than the number in the group ({n}).",
                )
        se = self._value(cleaned, "reported_se")
        if se is not None and se <= 0:
            self._flag("reported_se", "A standard error must be more than 0.")
        self._check_groups_differ(cleaned)
        self._check_confidence_interval(cleaned)

    def _check_groups_differ(self, cleaned) -> None:
        """Nobody, or everybody, in both groups had the outcome: nothing to compare."""
        names = ("intervention_events", "intervention_n", "comparison_events", "comparison_n")
        values = [self._value(cleaned, name) for name in names]
        if None in values:
            return
        events1, n1, events2, n2 = values
        if events1 > n1 or events2 > n2:
            return
        if events1 == 0 and events2 == 0:
            who = "Nobody in either group"
        elif events1 == n1 and events2 == n2:
            who = "Everybody in both groups"
        else:
            return
        self._flag(
            "intervention_events",
            f"{who} had this outcome ({events1} of {n1} and {events2} of {n2}), so the "
            "groups cannot be compared and no effect size can be worked out. Check the "
            "numbers against the study.",
        )

    def _check_confidence_interval(self, cleaned) -> None:
        lower = self._value(cleaned, "reported_ci_lower")
        upper = self._value(cleaned, "reported_ci_upper")
        estimate = self._value(cleaned, "reported_effect_size")
        if lower is None and upper is None:
            return
        if lower is None or upper is None:
            missing = "reported_ci_lower" if lower is None else "reported_ci_upper"
            self._flag(missing, "Give both ends of the confidence interval, or neither.")
        elif lower >= upper:
            self._flag("reported_ci_lower", "The lower end must be below the upper end.")
        elif estimate is not None and not lower <= estimate <= upper:
            self._flag(
                "reported_effect_size",
                f"The effect size must lie inside its confidence interval ({lower} to "
                f"{upper}). Check the signs and which end is which.",
            )


class StandaloneFindingForm(FindingForm):
    """A finding edited on its own page: its intervention must be one the study evaluated."""

    def clean(self):
        cleaned = super().clean()
        study, intervention = cleaned.get("study"), cleaned.get("intervention")
        if study and intervention and not study.interventions.filter(pk=intervention.pk).exists():
            self._flag(
                "intervention",
                f"{study.short_citation} is not linked to {intervention}. Add the intervention "
                "to the study first (on the study's page), then record this finding.",
            )
        return cleaned


class StudyForm(forms.ModelForm):
    class Meta:
        model = Study
        fields = "__all__"  # noqa: DJ007 - the admin picks the fields with its fieldsets

    def clean(self):
        cleaned = super().clean()
        for name in ("intervention_n", "comparison_n"):
            if cleaned.get(name) == 0:
                self.add_error(name, "Leave it empty if not reported; a group cannot be 0.")
        # The findings below are checked against this choice (see FindingFormSet).
        self.instance.chosen_interventions = cleaned.get("interventions")
        return cleaned


class FindingFormSet(BaseInlineFormSet):
    """Findings of one study. Their interventions are linked to the study when it is saved,
    so the only conflict is a curator unlinking an intervention that still has findings."""

    def clean(self):
        super().clean()
        study = self.instance
        chosen = getattr(study, "chosen_interventions", None)
        if study.pk is None or chosen is None:
            return
        removed = set(study.interventions.all()) - set(chosen)
        still_used: dict = {}
        for form in self.forms:
            intervention = getattr(form, "cleaned_data", {}).get("intervention")
            if intervention in removed and not self._should_delete_form(form):
                still_used[intervention] = still_used.get(intervention, 0) + 1
        if still_used:
            raise ValidationError(
                [
                    f"{intervention} was removed from this study's interventions, but "
                    f"{count} finding{'s' if count > 1 else ''} below still "
                    f"refer{'' if count > 1 else 's'} to it. Delete or reassign "
                    f"{'them' if count > 1 else 'it'}, or keep {intervention} in the list."
                    for intervention, count in sorted(still_used.items(), key=lambda i: str(i[0]))
                ]
            )


class LevelChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: RatingLevel) -> str:
        return f"{obj.scale.name}: {obj.code} ({obj.label})"


class RatingForm(forms.ModelForm):
    """A new rating. The level must be on the chosen scale; an override needs its reason;
    cost ratings are not typed in: they follow from the unit cost."""

    class Meta:
        model = Rating
        fields = ["intervention", "scale", "level", "basis", "reason", "rated_on"]
        field_classes = {"level": LevelChoiceField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "level" in self.fields:
            self.fields["level"].queryset = RatingLevel.objects.select_related("scale").order_by(
                "scale__name", "rank"
            )

    def clean(self):
        cleaned = super().clean()
        scale, level = cleaned.get("scale"), cleaned.get("level")
        if scale and level and level.scale_id != scale.pk:
            codes = ", ".join(scale.levels.values_list("code", flat=True))
            self.add_error(
                "level",
                f"{level.code} is a level of the {level.scale.name} scale, not of "
                f"{scale.name}. Choose one of: {codes}.",
            )
        if cleaned.get("basis") == Rating.Basis.OVERRIDE and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Say why you are overriding the suggested level.")
        if scale and scale.slug == RatingScale.COST:
            self.add_error(
                "scale",
                "Cost ratings follow the unit cost. Add a unit-cost estimate instead: "
                "its cost rating is recorded with it.",
            )
        if cleaned.get("basis") == Rating.Basis.DERIVED:
            self.add_error("basis", "Only cost ratings follow from the unit cost.")
        self._check_date(cleaned)
        return cleaned

    def _check_date(self, cleaned) -> None:
        rated_on, scale = cleaned.get("rated_on"), cleaned.get("scale")
        if rated_on is None:
            return
        if rated_on > timezone.localdate():
            self.add_error("rated_on", "A rating cannot be dated in the future.")
            return
        intervention = cleaned.get("intervention") or getattr(self.instance, "intervention", None)
        if intervention is None or intervention.pk is None or scale is None:
            return
        current = Rating.objects.current().filter(intervention=intervention, scale=scale).first()
        if current and rated_on < current.rated_on:
            self.add_error(
                "rated_on",
                f"The current rating is dated {current.rated_on:%-d %B %Y}. A new rating "
                "supersedes it, so it cannot be dated earlier.",
            )


class UnitCostEstimateForm(forms.ModelForm):
    class Meta:
        model = UnitCostEstimate
        fields = [
            "intervention",
            "per",
            "unit_cost",
            "price_year",
            *UnitCostEstimate.BREAKDOWN_FIELDS,
            "set_up_cost_total",
            "assumptions",
            "estimated_on",
        ]

    def clean(self):
        cleaned = super().clean()
        for name in ["unit_cost", *UnitCostEstimate.BREAKDOWN_FIELDS, "set_up_cost_total"]:
            value = cleaned.get(name)
            if value is not None and value < 0:
                self.add_error(name, "An amount cannot be negative.")
        unit_cost = cleaned.get("unit_cost")
        self._check_breakdown(cleaned, unit_cost)
        if unit_cost is not None and unit_cost >= 0:
            self.instance.unit_cost = unit_cost
            if self.instance.cost_level() is None:
                self.add_error(
                    "unit_cost",
                    "No cost band on the cost scale covers this amount, so no cost rating "
                    "can follow from it. Ask an administrator to check the cost scale.",
                )
        return cleaned

    def _check_breakdown(self, cleaned, unit_cost) -> None:
        """The parts, where given, add up to the unit cost (ratings/cost_breakdown.py)."""
        names = UnitCostEstimate.BREAKDOWN_FIELDS
        if unit_cost is None or any(name in self.errors for name in ["unit_cost", *names]):
            return
        mismatch = breakdown_mismatch(unit_cost, (cleaned.get(name) for name in names))
        if mismatch:
            self.add_error("unit_cost", mismatch.explain())


class EvidenceRatingForm(RatingForm):
    """A rating checked against what the evidence standard suggests from the studies.

    "Confirmed" means the standard suggested this level, so a confirmed rating on another
    level is refused (that is an override, with a reason), and an override to the
    suggested level is too (that is a confirmation). The suggestion and its reasons are
    kept with an evidence rating (Rating.suggestion), so an override can be checked."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "level" in self.fields:
            self.fields["level"].error_messages.update(
                required="Choose a level.",
                invalid_choice="Choose one of the levels of the evidence-strength scale.",
            )

    def clean(self):
        cleaned = super().clean()
        intervention, scale, level = (cleaned.get(k) for k in ("intervention", "scale", "level"))
        if not (intervention and scale and level) or scale.slug != RatingScale.EVIDENCE:
            return cleaned
        suggestion = suggest(intervention)
        self.instance.suggestion = suggestion.explanation()
        basis = cleaned.get("basis")
        if basis == Rating.Basis.CONFIRMED and level.code != suggestion.level:
            self.add_error(
                "level",
                f"The standard suggests {suggestion.level} from the studies, not {level.code}. "
                f"To record {level.code}, override the suggestion and say why.",
            )
        elif basis == Rating.Basis.OVERRIDE and level.code == suggestion.level:
            self.add_error(
                "level",
                f"{level.code} is the level the standard suggests from the studies: confirm "
                "it rather than override it, or choose another level.",
            )
        return cleaned
