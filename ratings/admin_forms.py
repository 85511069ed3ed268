"""Admin forms for the evidence: every database rule explained in plain words.

Errors go on the field at fault. Besides pointing the curator at the right box,
that stops Django's own constraint check repeating the rule as 'Constraint "x"
is violated.': it skips any constraint that involves a field already in error.
"""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils import timezone

from ratings.derived import suggest
from ratings.models import (
    Finding,
    Rating,
    RatingLevel,
    RatingScale,
    Study,
    UnitCostEstimate,
)


class ModelRulesForm(forms.ModelForm):
    """A form whose cross-field rules are its model's clean()."""

    def _update_errors(self, errors):
        """One message per box: skip the model's message for a box already in error
        (e.g. "Enter a number."), since the model saw the old value there; say a message
        once where a field's validator and a rule say the same (a standard deviation of
        0); and a message about the whole record (e.g. no effect size) only once every box
        is right."""
        if hasattr(errors, "error_dict"):
            already_wrong = bool(self.errors)
            errors = ValidationError(
                {
                    name if name in self.fields else NON_FIELD_ERRORS: _once(messages)
                    for name, messages in errors.error_dict.items()
                    if name not in self.errors and not (name == NON_FIELD_ERRORS and already_wrong)
                }
            )
        super()._update_errors(errors)


def _once(errors: list[ValidationError]) -> list[ValidationError]:
    said: set[tuple[str, ...]] = set()
    kept = []
    for error in errors:
        if tuple(error.messages) not in said:
            said.add(tuple(error.messages))
            kept.append(error)
    return kept


class FindingForm(ModelRulesForm):
    """The statistics as reported: exactly the numbers the chosen form needs, and sane ones."""

    class Meta:
        model = Finding
        fields = "__all__"  # noqa: DJ007 - the admin picks the fields with its fieldsets
        error_messages = {
            "higher_is_better": {
                "required": "Say whether a higher or a lower score is better on this measure."
            }
        }

    # The rules themselves are the model's (Finding.clean), which the form's own
    # validation asks after putting the typed values on the instance.

    def _flag(self, name: str, message: str) -> None:
        if name in self.fields and name not in self.errors:
            self.add_error(name, message)


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


class StudyForm(ModelRulesForm):
    # Shown only after a save found a look-alike study (StudyAdmin.get_fieldsets).
    save_anyway = forms.BooleanField(
        label="It is a different study: save it anyway", required=False
    )

    class Meta:
        model = Study
        fields = "__all__"  # noqa: DJ007 - the admin picks the fields with its fieldsets

    def clean(self):
        cleaned = super().clean()
        self._warn_of_a_duplicate(cleaned)
        # The findings below are checked against this choice (see FindingFormSet).
        self.instance.chosen_interventions = cleaned.get("interventions")
        return cleaned

    def _warn_of_a_duplicate(self, cleaned) -> None:
        """A warning the curator can confirm past: two studies may share a title and year."""
        if cleaned.get("save_anyway"):
            return
        if self.instance.pk and not {"doi", "title", "year"} & set(self.changed_data):
            return  # already saved, and not re-cited: any look-alike was seen before
        doi, title, year = cleaned.get("doi"), cleaned.get("title"), cleaned.get("year")
        others = Study.objects.exclude(pk=self.instance.pk) if self.instance.pk else Study.objects
        same = None
        if doi:
            same = others.filter(doi__iexact=doi.strip()).first()
            why = "the same DOI"
        if same is None and title and year:
            same = others.filter(title__iexact=title.strip(), year=year).first()
            why = "the same title and year"
        if same is not None:
            self.add_error(
                "save_anyway",
                f"A study with {why} is already in the catalogue: {same.short_citation}, "
                f"“{same.title}”. Add the finding to that study instead, or, if this is a "
                "different study, tick “save it anyway” and save again.",
            )


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


class RatingForm(ModelRulesForm):
    """A new rating. The level must be on the chosen scale; cost ratings are not typed in:
    they follow from the unit cost. An override needs its reason: the model's rule
    (Rating.clean), which the form asks."""

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


class UnitCostEstimateForm(ModelRulesForm):
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

    # Negative amounts and a breakdown that does not add up: the model's rules
    # (UnitCostEstimate.clean), which the form asks. Here only what needs the cost scale.

    def clean(self):
        cleaned = super().clean()
        unit_cost = cleaned.get("unit_cost")
        if unit_cost is not None and unit_cost >= 0:
            self.instance.unit_cost = unit_cost
            if self.instance.cost_level() is None:
                self.add_error(
                    "unit_cost",
                    "No cost band on the cost scale covers this amount, so no cost rating "
                    "can follow from it. Ask an administrator to check the cost scale.",
                )
        return cleaned


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
