"""The effect size of one finding, from whichever statistics it reports.

Works on anything with a finding's attributes (a model instance, a historical
model in a migration, or a namespace built from the catalogue format), so the
site, the migrations, the import and the demo generator compute it one way.
"""

from ratings import effect_sizes
from ratings.effect_sizes import CannotCompute, EffectSize

__all__ = ["CannotCompute", "effect_of"]


def _given(finding, *names: str) -> list:
    """The named statistics, all of which must be given."""
    values = [getattr(finding, name) for name in names]
    missing = [name for name, value in zip(names, values, strict=True) if value is None]
    if missing:
        raise CannotCompute(f"These statistics are missing: {', '.join(missing)}.")
    return values


def raw_effect(finding) -> EffectSize:
    """The effect on the measure's own direction (positive: the intervention group is higher)."""
    form = finding.statistics_form
    if form == "continuous":
        return effect_sizes.hedges_g(
            *_given(
                finding,
                "intervention_mean",
                "intervention_sd",
                "intervention_n",
                "comparison_mean",
                "comparison_sd",
                "comparison_n",
            )
        )
    if form == "t_statistic":
        return effect_sizes.hedges_g_from_t(
            *_given(finding, "t_statistic", "intervention_n", "comparison_n")
        )
    if form == "binary":
        return effect_sizes.cox_index(
            *_given(
                finding,
                "intervention_events",
                "intervention_n",
                "comparison_events",
                "comparison_n",
            )
        )
    if form == "effect_size":
        (estimate,) = _given(finding, "reported_effect_size")
        return effect_sizes.reported(
            estimate,
            finding.reported_se,
            finding.reported_ci_lower,
            finding.reported_ci_upper,
        )
    raise CannotCompute(f"Unknown form of statistics: {form!r}.")


def effect_of(finding) -> EffectSize:
    """The finding's effect, turned so that a positive value is better for the child,
    with an interval that agrees with the p-value the study reported."""
    effect = effect_sizes.oriented(raw_effect(finding), finding.higher_is_better)
    return effect_sizes.agreeing_with_p_value(effect, getattr(finding, "p_value", None))
