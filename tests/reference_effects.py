"""Effect sizes worked out without the store's own code: statsmodels and scipy, the
independent implementations the pages' numbers are checked against."""

import math

from scipy.stats import norm
from statsmodels.stats.meta_analysis import effectsize_2proportions, effectsize_smd

TWO_PLACES = 0.005 + 1e-9  # what a page shows: equal when rounded to two decimals
Z = norm.ppf(0.975)


def smd(mean1, sd1, n1, mean2, sd2, n2, higher_is_better):
    g, variance = effectsize_smd(mean1, sd1, n1, mean2, sd2, n2)
    g = g if higher_is_better else -g
    return g, math.sqrt(variance)


def expected_effect(finding) -> tuple[float, float]:
    """(effect size, standard error) worked out without the store's own code."""
    f = finding
    if f.statistics_form == "continuous":
        return smd(
            f.intervention_mean,
            f.intervention_sd,
            f.intervention_n,
            f.comparison_mean,
            f.comparison_sd,
            f.comparison_n,
            f.higher_is_better,
        )
    if f.statistics_form == "t_statistic":
        # Groups with standard deviation 1 whose means differ so as to give this t.
        difference = f.t_statistic * math.sqrt(1 / f.intervention_n + 1 / f.comparison_n)
        return smd(difference, 1, f.intervention_n, 0, 1, f.comparison_n, f.higher_is_better)
    if f.statistics_form == "binary":
        log_odds, variance = effectsize_2proportions(
            f.intervention_events,
            f.intervention_n,
            f.comparison_events,
            f.comparison_n,
            statistic="odds-ratio",
        )
        cox = log_odds / 1.65 * (1 if f.higher_is_better else -1)
        return cox, math.sqrt(variance) / 1.65
    sign = 1 if f.higher_is_better else -1
    return sign * f.reported_effect_size, f.reported_se


def improvement(g: float) -> float:
    return (norm.cdf(g) - 0.5) * 100
