"""Effect sizes, their uncertainty, and pooling across studies.

Pure functions on plain numbers, standard library only, so the demo catalogue
generator can use them as well as the site. The formulas are the ones in
`../shared/brief/domain.md`; tests/test_effect_sizes.py checks them against
statsmodels and against worked examples.

Every estimate here is on the *measure's own direction*: positive means the
intervention group scored higher, or had more events. `oriented()` turns it
so that positive means better for the child.
"""

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from statistics import NormalDist
from typing import TypeVar

Z_95 = NormalDist().inv_cdf(0.975)  # 1.959963984540054
COX_DIVISOR = 1.65  # ln(odds ratio) / 1.65 puts a log odds ratio on the scale of d
ALPHA = 0.05
SMALLEST_P = 1e-300  # a reported p-value of 0 is read as this, so z stays finite


class Method:
    """How an effect size was worked out. Stored with each finding."""

    MEANS = "hedges_g_means"
    T_STATISTIC = "hedges_g_t"
    COX = "cox_index"
    REPORTED = "reported"
    COMBINED = "combined"  # several findings of one study, for pooling only; never stored

    CHOICES = [
        (MEANS, "Hedges' g from means, standard deviations and group sizes"),
        (T_STATISTIC, "Hedges' g from a t statistic and group sizes"),
        (COX, "Cox index from events and group sizes"),
        (REPORTED, "Effect size as reported by the study"),
    ]


@dataclass(frozen=True)
class EffectSize:
    estimate: float
    se: float
    method: str
    # The interval is the one the study's reported p-value implies, as the one worked out
    # from its numbers disagreed with it (see agreeing_with_p_value).
    from_p_value: bool = field(default=False, kw_only=True)

    @property
    def ci_lower(self) -> float:
        return self.estimate - Z_95 * self.se

    @property
    def ci_upper(self) -> float:
        return self.estimate + Z_95 * self.se

    @property
    def variance(self) -> float:
        return self.se**2


@dataclass(frozen=True)
class ReportedEffect(EffectSize):
    """An effect size taken as the study reported it: its interval may be asymmetric."""

    reported_lower: float | None = None
    reported_upper: float | None = None

    @property
    def ci_lower(self) -> float:
        return self.reported_lower if self.reported_lower is not None else super().ci_lower

    @property
    def ci_upper(self) -> float:
        return self.reported_upper if self.reported_upper is not None else super().ci_upper


class CannotCompute(ValueError):
    """The numbers given cannot produce an effect size; the message says why."""


E = TypeVar("E", bound=EffectSize)


def _finite(compute: Callable[..., E]) -> Callable[..., E]:
    """Numbers far beyond any real study's can overflow a float: refuse them like any
    other numbers that give no effect size, never with an arithmetic error."""

    @functools.wraps(compute)
    def checked(*args, **kwargs) -> E:
        try:
            effect = compute(*args, **kwargs)
        except (OverflowError, ZeroDivisionError):
            effect = None
        if effect is None or not (math.isfinite(effect.estimate) and math.isfinite(effect.se)):
            raise CannotCompute(
                "These numbers are too extreme to give an effect size. Check them against "
                "the study."
            )
        return effect

    return checked


def small_sample_correction(n1: int, n2: int) -> float:
    """Hedges' J = 1 - 3 / (4(n1 + n2) - 9)."""
    return 1 - 3 / (4 * (n1 + n2) - 9)


def _hedges_variance(g: float, n1: int, n2: int) -> float:
    # Hedges and Olkin's large-sample variance, in the form statsmodels uses.
    n = n1 + n2
    return n / (n1 * n2) + g**2 / (2 * (n - 3.94))


def _check_group_sizes(n1: int, n2: int) -> None:
    if n1 < 2 or n2 < 2:
        raise CannotCompute("Each group needs at least 2 people to work out an effect size.")


@_finite
def hedges_g(mean1: float, sd1: float, n1: int, mean2: float, sd2: float, n2: int) -> EffectSize:
    """Standardised mean difference (group 1 minus group 2) with the small-sample correction."""
    _check_group_sizes(n1, n2)
    if sd1 <= 0 or sd2 <= 0:
        raise CannotCompute("Standard deviations must be more than 0.")
    pooled_sd = math.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))
    g = (mean1 - mean2) / pooled_sd * small_sample_correction(n1, n2)
    return EffectSize(g, math.sqrt(_hedges_variance(g, n1, n2)), Method.MEANS)


@_finite
def hedges_g_from_t(t: float, n1: int, n2: int) -> EffectSize:
    """Hedges' g from an independent-samples t statistic (positive when group 1 is higher)."""
    _check_group_sizes(n1, n2)
    g = t * math.sqrt(1 / n1 + 1 / n2) * small_sample_correction(n1, n2)
    return EffectSize(g, math.sqrt(_hedges_variance(g, n1, n2)), Method.T_STATISTIC)


def hedges_g_from_f(f: float, n1: int, n2: int, *, group1_higher: bool) -> EffectSize:
    """Hedges' g from an F statistic with one numerator degree of freedom (F = t squared).
    F has no sign, so the caller says which group scored higher."""
    if f < 0:
        raise CannotCompute("An F statistic cannot be negative.")
    t = math.sqrt(f)
    return hedges_g_from_t(t if group1_higher else -t, n1, n2)


@_finite
def cox_index(events1: int, n1: int, events2: int, n2: int) -> EffectSize:
    """ln(odds ratio) / 1.65 (group 1 against group 2) and its standard error.

    When a cell of the two-by-two table is empty, 0.5 is added to every cell
    (the Haldane-Anscombe correction) so the odds ratio stays finite."""
    if n1 < 1 or n2 < 1:
        raise CannotCompute("Each group needs at least 1 person.")
    if not (0 <= events1 <= n1 and 0 <= events2 <= n2):
        raise CannotCompute("Events must be between 0 and the size of the group.")
    # Nobody, or everybody, in both groups: the groups do not differ and no odds ratio
    # exists. (Nobody in one group and everybody in the other is the largest effect
    # there can be; the correction below keeps it finite.)
    if (events1 == 0 and events2 == 0) or (events1 == n1 and events2 == n2):
        raise CannotCompute(
            "When every person in both groups had the same result, there is no effect size."
        )
    cells = [events1, n1 - events1, events2, n2 - events2]
    if 0 in cells:
        cells = [cell + 0.5 for cell in cells]
    a, b, c, d = cells
    log_odds_ratio = math.log((a * d) / (b * c))
    se = math.sqrt(1 / a + 1 / b + 1 / c + 1 / d)
    return EffectSize(log_odds_ratio / COX_DIVISOR, se / COX_DIVISOR, Method.COX)


@_finite
def reported(
    estimate: float,
    se: float | None = None,
    ci_lower: float | None = None,
    ci_upper: float | None = None,
) -> ReportedEffect:
    """An effect size as reported. Its standard error, when not given, comes from
    the 95% confidence interval: (upper - lower) / (2 x 1.96)."""
    if (ci_lower is None) != (ci_upper is None):
        raise CannotCompute("Give both ends of the confidence interval, or neither.")
    has_ci = ci_lower is not None
    if has_ci and not ci_lower < ci_upper:
        raise CannotCompute("The lower end of the confidence interval must be below the upper end.")
    if has_ci and not ci_lower <= estimate <= ci_upper:
        raise CannotCompute("The confidence interval must contain the effect size.")
    if se is None:
        if not has_ci:
            raise CannotCompute("A reported effect size needs its standard error or its interval.")
        se = (ci_upper - ci_lower) / (2 * Z_95)
    if se <= 0:
        raise CannotCompute("The standard error must be more than 0.")
    return ReportedEffect(
        estimate,
        se,
        Method.REPORTED,
        ci_lower if has_ci else None,
        ci_upper if has_ci else None,
    )


def oriented(effect: EffectSize, higher_is_better: bool) -> EffectSize:
    """The same effect, turned so that a positive value means better for the child."""
    if higher_is_better:
        return effect
    if isinstance(effect, ReportedEffect):
        flip = lambda value: None if value is None else -value  # noqa: E731
        return replace(
            effect,
            estimate=-effect.estimate,
            reported_lower=flip(effect.reported_upper),
            reported_upper=flip(effect.reported_lower),
        )
    return replace(effect, estimate=-effect.estimate)


def agreeing_with_p_value(effect: EffectSize, p_value: float | None) -> EffectSize:
    """The effect with an interval that agrees with the study's reported p-value.

    The verdict follows the reported p-value (see `significant`). An interval worked
    out from the group numbers can disagree with it, for example when the study's own
    analysis allowed for other differences between the groups. Then the interval shown
    is the one the p-value implies, standard error = |estimate| / z (Altman and Bland,
    BMJ 2011;343:d2090), so the interval and the verdict never contradict each other."""
    if p_value is None or _leaves_out_zero(effect.ci_lower, effect.ci_upper) == (p_value < ALPHA):
        return effect
    if effect.estimate == 0:
        raise CannotCompute(
            "The p-value is below 0.05 but the effect size is 0, so one of them is wrong. "
            "Check the numbers against the study."
        )
    z = -NormalDist().inv_cdf(max(p_value, SMALLEST_P) / 2)
    if p_value >= ALPHA:
        z = min(z, Z_95) * (1 - 1e-9)  # the interval reaches 0, not stopping short of it
    se = abs(effect.estimate) / max(z, 1e-9)
    return EffectSize(effect.estimate, se, effect.method, from_p_value=True)


def improvement_index(g: float) -> float:
    """Percentile points an average child in the comparison group would move up,
    had they received the intervention: (Phi(g) - 0.5) x 100."""
    return (NormalDist().cdf(g) - 0.5) * 100


def percentage(events: int, n: int) -> float:
    return 100 * events / n


def significant(p_value: float | None, ci_lower: float, ci_upper: float) -> bool:
    """Significant at the 5% level: as reported, or from the 95% interval when no
    p-value was reported (the interval leaves out zero). The two agree for every
    stored finding: see `agreeing_with_p_value`."""
    if p_value is not None:
        return p_value < ALPHA
    return _leaves_out_zero(ci_lower, ci_upper)


def _leaves_out_zero(ci_lower: float, ci_upper: float) -> bool:
    return ci_lower > 0 or ci_upper < 0


@dataclass(frozen=True)
class Pooled:
    """A random-effects (DerSimonian-Laird) summary of several studies' effects."""

    estimate: float
    se: float
    tau_squared: float
    i_squared: float  # percent of the variation that is between studies, 0 to 100
    q: float
    studies: int
    # Each study's share of the estimate, in percent and in the order given: its weight
    # 1 / (se² + tau²) over the sum of them all. They add up to 100.
    weights: tuple[float, ...] = ()

    @property
    def ci_lower(self) -> float:
        return self.estimate - Z_95 * self.se

    @property
    def ci_upper(self) -> float:
        return self.estimate + Z_95 * self.se


def pool_random_effects(effects: list[EffectSize]) -> Pooled:
    """DerSimonian and Laird's random-effects pooled estimate of two or more effects."""
    if len(effects) < 2:
        raise CannotCompute("Pooling needs at least two studies.")
    weights = [1 / effect.variance for effect in effects]
    total = sum(weights)
    fixed = sum(w * e.estimate for w, e in zip(weights, effects, strict=True)) / total
    q = sum(w * (e.estimate - fixed) ** 2 for w, e in zip(weights, effects, strict=True))
    df = len(effects) - 1
    c = total - sum(w**2 for w in weights) / total
    tau_squared = max(0.0, (q - df) / c)
    random_weights = [1 / (effect.variance + tau_squared) for effect in effects]
    random_total = sum(random_weights)
    estimate = sum(w * e.estimate for w, e in zip(random_weights, effects, strict=True))
    i_squared = max(0.0, (q - df) / q) * 100 if q > 0 else 0.0
    return Pooled(
        estimate=estimate / random_total,
        se=math.sqrt(1 / random_total),
        tau_squared=tau_squared,
        i_squared=i_squared,
        q=q,
        studies=len(effects),
        weights=tuple(100 * w / random_total for w in random_weights),
    )


def combine_within_study(effects: list[EffectSize]) -> EffectSize:
    """One effect for a study with several findings in the same outcome domain: the
    mean of the estimates with the mean standard error. This assumes the findings
    are perfectly correlated, which makes the interval wider, never narrower."""
    if not effects:
        raise CannotCompute("There are no findings to combine.")
    if len(effects) == 1:
        return effects[0]
    mean = sum(e.estimate for e in effects) / len(effects)
    se = sum(e.se for e in effects) / len(effects)
    return EffectSize(mean, se, Method.COMBINED)
