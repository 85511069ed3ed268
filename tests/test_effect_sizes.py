"""The effect-size maths, checked three ways: against statsmodels (an independent
implementation), against examples worked by hand below, and by properties that
must hold for any numbers (hypothesis).

"Two decimal places" (what a page shows) is abs=0.005; worked examples are held
tighter, since their arithmetic is exact up to the digits written out.
"""

import math
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from statsmodels.stats.meta_analysis import (
    combine_effects,
    effectsize_2proportions,
    effectsize_smd,
)

from ratings.effect_sizes import (
    COX_DIVISOR,
    Z_95,
    CannotCompute,
    EffectSize,
    Method,
    ReportedEffect,
    combine_within_study,
    cox_index,
    hedges_g,
    hedges_g_from_f,
    hedges_g_from_t,
    improvement_index,
    oriented,
    percentage,
    pool_random_effects,
    reported,
    significant,
    small_sample_correction,
)
from ratings.finding_effects import effect_of, raw_effect

TWO_PLACES = 0.005
EXACT = 1e-9
WORKED = 5e-6  # worked examples carry six significant figures

# statsmodels warns about the square root of its untruncated, negative tau-squared
# when studies agree; the tests compare with the truncated value.
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning:statsmodels.*")

# Deterministic, and no example database written into the checkout.
properties = settings(derandomize=True, database=None, deadline=None, max_examples=200)

means = st.floats(-1000, 1000, allow_nan=False)
sds = st.floats(0.01, 500, allow_nan=False)
group_sizes = st.integers(2, 5000)


# --- statsmodels as the independent check ---


def statsmodels_g(mean1, sd1, n1, mean2, sd2, n2) -> tuple[float, float]:
    g, variance = effectsize_smd(mean1, sd1, n1, mean2, sd2, n2)
    return float(g), math.sqrt(variance)


def statsmodels_cox(events1, n1, events2, n2) -> tuple[float, float]:
    """Log odds ratio with 0.5 added to every cell when one is empty, over 1.65."""
    # statsmodels 0.15 adds a float zero_correction to the events whether or not a cell
    # is empty (and to the group sizes only when one is), so ask for it only then.
    empty_cell = 0 in (events1, n1 - events1, events2, n2 - events2)
    log_odds_ratio, variance = effectsize_2proportions(
        np.array([events1]),
        np.array([n1]),
        np.array([events2]),
        np.array([n2]),
        statistic="odds-ratio",
        zero_correction=0.5 if empty_cell else None,
    )
    return float(log_odds_ratio[0]) / 1.65, math.sqrt(float(variance[0])) / 1.65


def statsmodels_pool(effects: list[EffectSize]):
    return combine_effects(
        np.array([e.estimate for e in effects]),
        np.array([e.variance for e in effects]),
        method_re="chi2",  # DerSimonian and Laird
        use_t=False,
    )


# --- Hedges' g from means ---


@pytest.mark.parametrize(
    "stats",
    [
        (10.0, 2.0, 10, 8.0, 2.0, 10),
        (118.2, 24.1, 58, 131.5, 26.3, 55),  # a negative difference
        (5.0, 1.0, 2, 3.0, 1.0, 2),  # the smallest groups allowed
        (3.1, 0.4, 400, 3.0, 0.9, 25),  # unequal groups and spreads
        (50.0, 10.0, 30, 50.0, 12.0, 31),  # no difference at all
    ],
)
def test_hedges_g_matches_statsmodels(stats):
    effect = hedges_g(*stats)
    g, se = statsmodels_g(*stats)
    assert effect.estimate == pytest.approx(g, abs=TWO_PLACES)
    assert effect.se == pytest.approx(se, abs=TWO_PLACES)
    assert effect.ci_lower == pytest.approx(g - 1.959964 * se, abs=TWO_PLACES)
    assert effect.ci_upper == pytest.approx(g + 1.959964 * se, abs=TWO_PLACES)
    assert effect.method == Method.MEANS


@properties
@given(means, sds, group_sizes, means, sds, group_sizes)
def test_hedges_g_matches_statsmodels_for_any_numbers(mean1, sd1, n1, mean2, sd2, n2):
    effect = hedges_g(mean1, sd1, n1, mean2, sd2, n2)
    g, se = statsmodels_g(mean1, sd1, n1, mean2, sd2, n2)
    assert effect.estimate == pytest.approx(g, rel=1e-9, abs=1e-9)
    assert effect.se == pytest.approx(se, rel=1e-9, abs=1e-9)


def test_hedges_g_worked_by_hand():
    # Means 10 and 8, both SDs 2, 10 children per group.
    # Pooled SD = sqrt((9 x 4 + 9 x 4) / 18) = 2, so Cohen's d = (10 - 8) / 2 = 1.
    # J = 1 - 3 / (4 x 20 - 9) = 1 - 3/71 = 68/71 = 0.957746, so g = 0.957746.
    # Variance = 20 / (10 x 10) + g^2 / (2 x (20 - 3.94))
    #          = 0.2 + 0.917278 / 32.12 = 0.2 + 0.028558 = 0.228558; SE = 0.478077.
    # 95% CI = 0.957746 -/+ 1.959964 x 0.478077 = 0.957746 -/+ 0.937014 = 0.020732 to 1.894761.
    effect = hedges_g(10, 2, 10, 8, 2, 10)
    assert small_sample_correction(10, 10) == pytest.approx(68 / 71, abs=EXACT)
    assert effect.estimate == pytest.approx(68 / 71, abs=EXACT)
    assert effect.se == pytest.approx(0.478077, abs=WORKED)
    assert effect.ci_lower == pytest.approx(0.020732, abs=WORKED)
    assert effect.ci_upper == pytest.approx(1.894761, abs=WORKED)


def test_hedges_g_with_two_children_per_group_worked_by_hand():
    # Means 5 and 3, both SDs 1, 2 per group: d = 2.
    # J = 1 - 3 / (4 x 4 - 9) = 1 - 3/7 = 4/7, so g = 8/7 = 1.142857: a large correction.
    # Variance = 4 / 4 + (8/7)^2 / (2 x (4 - 3.94)) = 1 + 1.306122 / 0.12 = 11.884354;
    # SE = 3.447370: an interval so wide it says almost nothing, as it should.
    effect = hedges_g(5, 1, 2, 3, 1, 2)
    assert effect.estimate == pytest.approx(8 / 7, abs=EXACT)
    assert effect.se == pytest.approx(3.447369, abs=WORKED)
    assert effect.ci_lower < 0 < effect.ci_upper


def test_a_lower_mean_in_the_intervention_group_gives_a_negative_g():
    # The mirror image of the worked example: the same size, the other sign.
    effect = hedges_g(8, 2, 10, 10, 2, 10)
    assert effect.estimate == pytest.approx(-68 / 71, abs=EXACT)
    assert effect.se == pytest.approx(0.478077, abs=WORKED)


@pytest.mark.parametrize(
    ("stats", "message"),
    [
        ((5, 1, 1, 3, 1, 10), "at least 2"),
        ((5, 1, 10, 3, 1, 0), "at least 2"),
        ((5, 0, 10, 3, 1, 10), "more than 0"),
        ((5, 1, 10, 3, -1, 10), "more than 0"),
    ],
)
def test_hedges_g_refuses_numbers_that_give_no_effect_size(stats, message):
    with pytest.raises(CannotCompute, match=message):
        hedges_g(*stats)


def test_numbers_beyond_any_real_study_are_refused_not_overflowed():
    # A standard deviation of 1e-308 makes g about 1e314: more than a float holds.
    with pytest.raises(CannotCompute, match="too extreme"):
        hedges_g(1e6, 1e-308, 10, -1e6, 1e-308, 10)
    with pytest.raises(CannotCompute, match="too extreme"):
        hedges_g_from_t(1e200, 10, 10)


# --- Hedges' g from a t or F statistic ---


def test_g_from_t_worked_by_hand():
    # t = 2.5 with 30 per group: d = 2.5 x sqrt(1/30 + 1/30) = 2.5 x 0.258199 = 0.645497.
    # J = 1 - 3 / (4 x 60 - 9) = 1 - 3/231 = 0.987013, so g = 0.637114.
    effect = hedges_g_from_t(2.5, 30, 30)
    assert effect.estimate == pytest.approx(0.637114, abs=WORKED)
    assert effect.method == Method.T_STATISTIC


@pytest.mark.parametrize(
    "stats",
    [
        (10.0, 2.0, 10, 8.0, 2.0, 10),
        (118.2, 24.1, 58, 131.5, 26.3, 55),
        (5.0, 1.0, 2, 3.0, 1.0, 2),
        (3.1, 0.4, 400, 3.0, 0.9, 25),
    ],
)
def test_g_from_t_and_from_f_agree_with_g_from_means(stats):
    mean1, sd1, n1, mean2, sd2, n2 = stats
    pooled_sd = math.sqrt(((n1 - 1) * sd1**2 + (n2 - 1) * sd2**2) / (n1 + n2 - 2))
    t = (mean1 - mean2) / (pooled_sd * math.sqrt(1 / n1 + 1 / n2))
    from_means = hedges_g(*stats)
    from_t = hedges_g_from_t(t, n1, n2)
    from_f = hedges_g_from_f(t**2, n1, n2, group1_higher=t > 0)
    for effect in (from_t, from_f):
        assert effect.estimate == pytest.approx(from_means.estimate, abs=EXACT)
        assert effect.se == pytest.approx(from_means.se, abs=EXACT)
        assert effect.estimate == pytest.approx(statsmodels_g(*stats)[0], abs=TWO_PLACES)


def test_f_has_no_sign_so_the_caller_gives_the_direction():
    higher = hedges_g_from_f(6.25, 30, 30, group1_higher=True)
    lower = hedges_g_from_f(6.25, 30, 30, group1_higher=False)
    assert higher.estimate == pytest.approx(0.637114, abs=WORKED)  # t = 2.5, as above
    assert lower.estimate == pytest.approx(-0.637114, abs=WORKED)
    with pytest.raises(CannotCompute, match="cannot be negative"):
        hedges_g_from_f(-1, 30, 30, group1_higher=True)


def test_g_from_t_needs_two_per_group():
    with pytest.raises(CannotCompute, match="at least 2"):
        hedges_g_from_t(2.0, 1, 30)


# --- The Cox index ---


@pytest.mark.parametrize(
    "counts",
    [
        (31, 100, 40, 100),
        (9, 60, 17, 58),
        (40, 100, 31, 100),  # the other way round: positive
        (1, 2, 1, 3),  # tiny groups
        (0, 20, 5, 20),  # nobody in one group had the outcome
        (20, 20, 15, 20),  # everybody in one group had it
        (0, 10, 10, 10),  # nobody in one group, everybody in the other
        (3, 3, 0, 1),
    ],
)
def test_cox_index_matches_statsmodels(counts):
    effect = cox_index(*counts)
    estimate, se = statsmodels_cox(*counts)
    assert effect.estimate == pytest.approx(estimate, abs=TWO_PLACES)
    assert effect.se == pytest.approx(se, abs=TWO_PLACES)
    assert effect.method == Method.COX


@properties
@given(st.data(), st.integers(1, 2000), st.integers(1, 2000))
def test_cox_index_matches_statsmodels_for_any_counts(data, n1, n2):
    events1 = data.draw(st.integers(0, n1))
    events2 = data.draw(st.integers(0, n2))
    assume(not (events1 == 0 and events2 == 0) and not (events1 == n1 and events2 == n2))
    effect = cox_index(events1, n1, events2, n2)
    estimate, se = statsmodels_cox(events1, n1, events2, n2)
    assert effect.estimate == pytest.approx(estimate, rel=1e-9, abs=1e-9)
    assert effect.se == pytest.approx(se, rel=1e-9, abs=1e-9)


def test_cox_index_worked_by_hand():
    # 31 of 100 children entered care against 40 of 100.
    # Odds ratio = (31 x 60) / (69 x 40) = 1860 / 2760 = 0.673913; ln = -0.394654.
    # Cox index = -0.394654 / 1.65 = -0.239184.
    # SE = sqrt(1/31 + 1/69 + 1/40 + 1/60) / 1.65 = sqrt(0.088418) / 1.65 = 0.297351 / 1.65
    #    = 0.180213.
    effect = cox_index(31, 100, 40, 100)
    assert effect.estimate == pytest.approx(-0.239184, abs=WORKED)
    assert effect.se == pytest.approx(0.180213, abs=WORKED)
    assert (percentage(31, 100), percentage(40, 100)) == (31.0, 40.0)


def test_cox_index_with_no_events_in_one_group_worked_by_hand():
    # 0 of 20 against 5 of 20: a cell is empty, so 0.5 goes into every cell:
    # 0.5 and 20.5 against 5.5 and 15.5.
    # Odds ratio = (0.5 x 15.5) / (20.5 x 5.5) = 7.75 / 112.75 = 0.068736; ln = -2.677480.
    # Cox index = -2.677480 / 1.65 = -1.622715.
    # SE = sqrt(1/0.5 + 1/20.5 + 1/5.5 + 1/15.5) / 1.65 = sqrt(2.295114) / 1.65 = 0.918160.
    effect = cox_index(0, 20, 5, 20)
    assert effect.estimate == pytest.approx(-1.622715, abs=WORKED)
    assert effect.se == pytest.approx(0.918160, abs=WORKED)


def test_everybody_with_the_outcome_mirrors_nobody_with_it():
    # 20 of 20 against 15 of 20 is 0 of 20 against 5 of 20 with "yes" and "no" swapped.
    assert cox_index(20, 20, 15, 20).estimate == pytest.approx(1.622715, abs=WORKED)


def test_nobody_in_one_group_and_everybody_in_the_other_is_a_large_finite_effect():
    # 0 of 10 against 10 of 10: cells 0.5, 10.5, 10.5, 0.5.
    # ln((0.5 x 0.5) / (10.5 x 10.5)) = ln(0.002268) = -6.089045; / 1.65 = -3.690330.
    assert cox_index(0, 10, 10, 10).estimate == pytest.approx(-3.690330, abs=WORKED)


@pytest.mark.parametrize(
    ("counts", "message"),
    [
        ((0, 20, 0, 25), "every person in both groups had the same result"),
        ((20, 20, 25, 25), "every person in both groups had the same result"),
        ((21, 20, 5, 20), "between 0 and the size of the group"),
        ((-1, 20, 5, 20), "between 0 and the size of the group"),
        ((0, 0, 5, 20), "at least 1"),
    ],
)
def test_cox_index_refuses_counts_that_give_no_effect_size(counts, message):
    with pytest.raises(CannotCompute, match=message):
        cox_index(*counts)


# --- Reported effect sizes ---


def test_a_reported_effect_with_its_interval_worked_by_hand():
    # 0.42 (95% CI 0.12 to 0.72): SE = (0.72 - 0.12) / (2 x 1.959964) = 0.6 / 3.919928 = 0.153064.
    effect = reported(0.42, ci_lower=0.12, ci_upper=0.72)
    assert effect.se == pytest.approx(0.153064, abs=WORKED)
    assert (effect.ci_lower, effect.ci_upper) == (0.12, 0.72)
    assert effect.method == Method.REPORTED


def test_a_reported_asymmetric_interval_is_kept_as_reported():
    # Ratios are often reported with intervals that are not centred on the estimate.
    effect = reported(0.30, ci_lower=0.05, ci_upper=0.65)
    assert (effect.ci_lower, effect.ci_upper) == (0.05, 0.65)
    assert effect.se == pytest.approx(0.6 / (2 * Z_95), abs=EXACT)


def test_a_reported_effect_with_its_standard_error():
    # 0.25 with SE 0.1: 0.25 -/+ 1.959964 x 0.1 = 0.054004 to 0.445996.
    effect = reported(-0.25, se=0.1)
    assert (effect.estimate, effect.se) == (-0.25, 0.1)
    assert effect.ci_lower == pytest.approx(-0.445996, abs=WORKED)
    assert effect.ci_upper == pytest.approx(-0.054004, abs=WORKED)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({}, "needs its standard error or its interval"),
        ({"ci_lower": 0.1}, "both ends of the confidence interval"),
        ({"se": 0.1, "ci_upper": 0.9}, "both ends of the confidence interval"),
        ({"ci_lower": 0.6, "ci_upper": 0.9}, "must contain the effect size"),
        ({"ci_lower": 0.9, "ci_upper": 0.1}, "must be below the upper end"),
        ({"ci_lower": 0.5, "ci_upper": 0.5}, "must be below the upper end"),
        ({"se": 0}, "more than 0"),
        ({"se": -0.2}, "more than 0"),
    ],
)
def test_a_reported_effect_without_a_usable_uncertainty_is_refused(arguments, message):
    with pytest.raises(CannotCompute, match=message):
        reported(0.5, **arguments)


# --- Orientation: positive means better for the child ---


def test_orientation_leaves_a_higher_is_better_measure_alone():
    effect = hedges_g(10, 2, 10, 8, 2, 10)
    assert oriented(effect, higher_is_better=True) == effect


def test_orientation_flips_a_lower_is_better_measure():
    # A difficulties score 2 points lower in the intervention group: g = -0.957746 on the
    # measure, +0.957746 for the child, and the interval flips with it.
    effect = oriented(hedges_g(8, 2, 10, 10, 2, 10), higher_is_better=False)
    assert effect.estimate == pytest.approx(68 / 71, abs=EXACT)
    assert effect.se == pytest.approx(0.478077, abs=WORKED)
    assert effect.ci_lower == pytest.approx(0.020732, abs=WORKED)
    assert effect.ci_upper == pytest.approx(1.894761, abs=WORKED)


def test_orientation_flips_a_reported_asymmetric_interval_end_for_end():
    # 0.30 (0.05 to 0.65) on a measure where lower is better: -0.30 (-0.65 to -0.05).
    effect = oriented(reported(0.30, ci_lower=0.05, ci_upper=0.65), higher_is_better=False)
    assert (effect.estimate, effect.ci_lower, effect.ci_upper) == (-0.30, -0.65, -0.05)
    assert effect.se == pytest.approx(0.6 / (2 * Z_95), abs=EXACT)


def test_orientation_of_a_reported_effect_with_only_a_standard_error():
    effect = oriented(reported(0.30, se=0.1), higher_is_better=False)
    assert (effect.estimate, effect.se) == (-0.30, 0.1)
    assert effect.ci_lower == pytest.approx(-0.30 - Z_95 * 0.1, abs=EXACT)


def test_fewer_children_entering_care_is_a_positive_effect():
    # Entering care: fewer is better. 9 of 60 against 17 of 58.
    # Odds ratio = (9 x 41) / (51 x 17) = 369 / 867 = 0.425606; ln = -0.854242;
    # / 1.65 = -0.517723 on the measure, +0.517723 for the child.
    effect = oriented(cox_index(9, 60, 17, 58), higher_is_better=False)
    assert effect.estimate == pytest.approx(0.517723, abs=WORKED)


effects = st.one_of(
    st.builds(hedges_g, means, sds, group_sizes, means, sds, group_sizes),
    st.builds(hedges_g_from_t, st.floats(-50, 50), group_sizes, group_sizes),
    st.builds(
        lambda estimate, below, above: reported(
            estimate, ci_lower=estimate - below, ci_upper=estimate + above
        ),
        st.floats(-3, 3),
        st.floats(0.01, 2),
        st.floats(0.01, 2),
    ),
    st.builds(lambda estimate, se: reported(estimate, se=se), st.floats(-3, 3), st.floats(0.01, 2)),
)


@properties
@given(effects, st.booleans())
def test_orientation_twice_gives_back_the_same_effect(effect, higher_is_better):
    twice = oriented(oriented(effect, higher_is_better), higher_is_better)
    assert twice.estimate == effect.estimate
    assert twice.se == effect.se
    assert (twice.ci_lower, twice.ci_upper) == pytest.approx((effect.ci_lower, effect.ci_upper))


@properties
@given(effects, st.booleans())
def test_every_interval_contains_its_estimate_either_way_round(effect, higher_is_better):
    effect = oriented(effect, higher_is_better)
    assert effect.ci_lower <= effect.estimate <= effect.ci_upper
    assert effect.se > 0


@properties
@given(st.data(), st.integers(1, 500), st.integers(1, 500))
def test_swapping_yes_and_no_flips_the_cox_index(data, n1, n2):
    events1, events2 = data.draw(st.integers(0, n1)), data.draw(st.integers(0, n2))
    assume(not (events1 == 0 and events2 == 0) and not (events1 == n1 and events2 == n2))
    effect = cox_index(events1, n1, events2, n2)
    swapped = cox_index(n1 - events1, n1, n2 - events2, n2)
    assert swapped.estimate == pytest.approx(-effect.estimate, abs=1e-9)
    assert swapped.se == pytest.approx(effect.se, abs=1e-12)
    assert effect.ci_lower <= effect.estimate <= effect.ci_upper


# --- The improvement index ---


@pytest.mark.parametrize(
    ("g", "index"),
    [
        (0.0, 0.0),  # no effect: the average child stays at the 50th percentile
        (0.25, 9.87),  # Phi(0.25) = 0.598706: from the 50th to about the 60th percentile
        (-0.25, -9.87),
        (0.5, 19.15),  # Phi(0.5) = 0.691462
        (1.0, 34.13),  # Phi(1) = 0.841345
    ],
)
def test_improvement_index_worked_by_hand(g, index):
    assert improvement_index(g) == pytest.approx(index, abs=TWO_PLACES)


@properties
@given(st.floats(-5, 5), st.floats(0.001, 1))
def test_improvement_index_grows_with_g_and_stays_within_50_points(g, step):
    assert -50 < improvement_index(g) < 50
    assert improvement_index(g + step) > improvement_index(g)
    assert improvement_index(-g) == pytest.approx(-improvement_index(g), abs=1e-9)


# --- Significance ---


@pytest.mark.parametrize(
    ("p_value", "interval", "expected"),
    [
        (0.003, (-0.1, 0.5), True),  # as reported, even if the interval touches zero
        (0.05, (0.1, 0.5), False),  # p must be below .05
        (0.049, (0.1, 0.5), True),
        (None, (0.01, 0.5), True),  # not reported: the interval leaves out zero
        (None, (-0.5, -0.01), True),  # a significant harm is significant too
        (None, (-0.1, 0.5), False),
        (None, (0.0, 0.5), False),  # touching zero is not leaving it out
    ],
)
def test_significance_as_reported_or_from_the_interval(p_value, interval, expected):
    assert significant(p_value, *interval) is expected


# --- DerSimonian-Laird pooling ---


def studies(*pairs: tuple[float, float]) -> list[EffectSize]:
    return [EffectSize(estimate, se, Method.MEANS) for estimate, se in pairs]


def test_pooling_identical_studies_worked_by_hand():
    # Two studies, each g = 0.3 with SE 0.1 (weight 1 / 0.01 = 100).
    # Q = 0, so tau-squared = 0 and I-squared = 0: the studies agree entirely.
    # Pooled = 0.3 with SE = sqrt(1 / 200) = 0.070711.
    pooled = pool_random_effects(studies((0.3, 0.1), (0.3, 0.1)))
    assert pooled.estimate == pytest.approx(0.3, abs=EXACT)
    assert pooled.se == pytest.approx(0.070711, abs=WORKED)
    assert (pooled.tau_squared, pooled.i_squared, pooled.q) == (0.0, 0.0, 0.0)
    assert pooled.studies == 2


def test_pooling_disagreeing_studies_worked_by_hand():
    # g = 0.1 and g = 0.8, each SE 0.1 (weight 100). Fixed-effect mean = 0.45.
    # Q = 100 x 0.35^2 + 100 x 0.35^2 = 24.5 on 1 degree of freedom.
    # C = 200 - (100^2 + 100^2) / 200 = 100; tau-squared = (24.5 - 1) / 100 = 0.235.
    # Random-effects weights = 1 / (0.01 + 0.235) each, so the pooled g stays 0.45, with
    # SE = sqrt(0.245 / 2) = 0.35: five times the fixed-effect SE.
    # I-squared = (24.5 - 1) / 24.5 = 95.92%.
    pooled = pool_random_effects(studies((0.1, 0.1), (0.8, 0.1)))
    assert pooled.estimate == pytest.approx(0.45, abs=EXACT)
    assert pooled.q == pytest.approx(24.5, abs=EXACT)
    assert pooled.tau_squared == pytest.approx(0.235, abs=EXACT)
    assert pooled.se == pytest.approx(0.35, abs=EXACT)
    assert pooled.i_squared == pytest.approx(95.918367, abs=WORKED)
    assert pooled.ci_lower == pytest.approx(0.45 - 1.959964 * 0.35, abs=WORKED)


@pytest.mark.parametrize(
    "pairs",
    [
        ((0.1, 0.1), (0.8, 0.1)),
        ((0.52, 0.19), (-0.10, 0.12), (0.35, 0.25)),
        ((0.2, 0.05), (0.9, 0.3), (-0.4, 0.2), (0.05, 0.08)),
    ],
)
def test_pooling_disagreeing_studies_matches_statsmodels(pairs):
    effects = studies(*pairs)
    ours, theirs = pool_random_effects(effects), statsmodels_pool(effects)
    assert theirs.tau2 > 0  # these studies disagree more than chance allows
    assert ours.estimate == pytest.approx(theirs.mean_effect_re, abs=TWO_PLACES)
    _, (lower, upper), *_ = theirs.conf_int(alpha=0.05, use_t=False)
    assert (ours.ci_lower, ours.ci_upper) == pytest.approx((lower, upper), abs=TWO_PLACES)
    assert ours.tau_squared == pytest.approx(theirs.tau2, abs=TWO_PLACES)
    assert ours.i_squared == pytest.approx(100 * theirs.i2, abs=TWO_PLACES)
    assert ours.q == pytest.approx(theirs.q, abs=TWO_PLACES)


def test_pooling_agreeing_studies_matches_statsmodels_truncated_at_zero():
    # statsmodels reports the raw (q - df) / c, which is negative when studies agree
    # better than chance; DerSimonian and Laird truncate it at zero, leaving the
    # fixed-effect estimate.
    effects = studies((0.30, 0.10), (0.32, 0.15), (0.28, 0.12))
    ours, theirs = pool_random_effects(effects), statsmodels_pool(effects)
    assert theirs.tau2 < 0 and theirs.i2 < 0
    assert (ours.tau_squared, ours.i_squared) == (0.0, 0.0)
    assert ours.estimate == pytest.approx(theirs.mean_effect_fe, abs=EXACT)
    (lower, upper), *_ = theirs.conf_int(alpha=0.05, use_t=False)
    assert (ours.ci_lower, ours.ci_upper) == pytest.approx((lower, upper), abs=EXACT)


pooled_inputs = st.lists(
    st.tuples(st.floats(-2, 2), st.floats(0.02, 1)), min_size=2, max_size=10
).map(lambda pairs: studies(*pairs))


@properties
@given(pooled_inputs)
def test_pooling_matches_statsmodels_for_any_studies(effects):
    ours, theirs = pool_random_effects(effects), statsmodels_pool(effects)
    tau_squared = max(0.0, float(theirs.tau2))
    assert ours.tau_squared == pytest.approx(tau_squared, rel=1e-6, abs=1e-9)
    assert ours.q == pytest.approx(float(theirs.q), rel=1e-6, abs=1e-9)
    if theirs.tau2 > 0:
        assert ours.estimate == pytest.approx(float(theirs.mean_effect_re), rel=1e-6, abs=1e-9)
        assert ours.se == pytest.approx(float(theirs.sd_eff_w_re), rel=1e-6, abs=1e-9)
        assert ours.i_squared == pytest.approx(100 * float(theirs.i2), rel=1e-6, abs=1e-9)
    else:
        assert ours.estimate == pytest.approx(float(theirs.mean_effect_fe), rel=1e-6, abs=1e-9)
        assert ours.se == pytest.approx(float(theirs.sd_eff_w_fe), rel=1e-6, abs=1e-9)
        assert ours.i_squared == 0.0
    lowest = min(e.estimate for e in effects)
    highest = max(e.estimate for e in effects)
    assert lowest - 1e-9 <= ours.estimate <= highest + 1e-9
    assert 0 <= ours.i_squared < 100


def test_each_studys_weight_is_its_share_of_the_pooled_estimate_worked_by_hand():
    # g = 0.1 (SE 0.1) and g = 0.8 (SE 0.2). Fixed-effect weights 100 and 25 (total 125),
    # fixed mean = (10 + 20) / 125 = 0.24. Q = 100 x 0.14^2 + 25 x 0.56^2 = 9.8 on 1 df;
    # C = 125 - (100^2 + 25^2) / 125 = 40, so tau-squared = 8.8 / 40 = 0.22.
    # Random-effects weights 1 / 0.23 and 1 / 0.26: shares 0.26 / 0.49 and 0.23 / 0.49.
    pooled = pool_random_effects(studies((0.1, 0.1), (0.8, 0.2)))
    assert pooled.tau_squared == pytest.approx(0.22, abs=EXACT)
    assert pooled.weights == pytest.approx((100 * 0.26 / 0.49, 100 * 0.23 / 0.49), abs=EXACT)
    # Each weight times its study's estimate, summed, is the pooled estimate.
    assert pooled.estimate == pytest.approx((0.1 * 0.26 + 0.8 * 0.23) / 0.49, abs=EXACT)


# statsmodels' random-effects weights with a negative tau-squared can be NaN (unused here).
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@properties
@given(pooled_inputs)
def test_weights_add_up_to_100_and_match_statsmodels(effects):
    ours, theirs = pool_random_effects(effects), statsmodels_pool(effects)
    # statsmodels leaves a negative tau-squared untruncated; at zero the random-effects
    # weights are the fixed-effect ones.
    expected = theirs.weights_rel_re if theirs.tau2 > 0 else theirs.weights_rel_fe
    assert len(ours.weights) == len(effects)
    assert sum(ours.weights) == pytest.approx(100, abs=1e-9)
    assert ours.weights == pytest.approx(100 * expected, rel=1e-6, abs=1e-9)
    shared = sum(w * e.estimate for w, e in zip(ours.weights, effects, strict=True)) / 100
    assert shared == pytest.approx(ours.estimate, abs=1e-9)
    # A more precise study never weighs less.
    by_se = sorted(zip(ours.weights, effects, strict=True), key=lambda pair: pair[1].se)
    assert all(a[0] >= b[0] - 1e-9 for a, b in zip(by_se, by_se[1:], strict=False))


def test_pooling_needs_two_studies():
    with pytest.raises(CannotCompute, match="at least two"):
        pool_random_effects(studies((0.3, 0.1)))


# --- Several findings of one study ---


def test_findings_of_one_study_combine_into_their_mean_with_the_mean_standard_error():
    # (0.2, SE 0.1) and (0.4, SE 0.2): mean 0.3, SE (0.1 + 0.2) / 2 = 0.15.
    combined = combine_within_study(studies((0.2, 0.1), (0.4, 0.2)))
    assert combined.estimate == pytest.approx(0.3, abs=EXACT)
    assert combined.se == pytest.approx(0.15, abs=EXACT)
    assert combined.method == Method.COMBINED


def test_one_finding_is_its_own_combination_and_none_is_refused():
    (only,) = studies((0.2, 0.1))
    assert combine_within_study([only]) is only
    with pytest.raises(CannotCompute, match="no findings"):
        combine_within_study([])


# --- A finding's effect, from whichever statistics it reports ---


NO_STATISTICS = dict.fromkeys(
    [
        "intervention_mean",
        "intervention_sd",
        "comparison_mean",
        "comparison_sd",
        "intervention_events",
        "comparison_events",
        "intervention_n",
        "comparison_n",
        "t_statistic",
        "reported_effect_size",
        "reported_se",
        "reported_ci_lower",
        "reported_ci_upper",
    ]
)


def finding(form: str, higher_is_better: bool = True, **statistics) -> SimpleNamespace:
    return SimpleNamespace(
        statistics_form=form,
        higher_is_better=higher_is_better,
        **{**NO_STATISTICS, **statistics},
    )


def test_each_form_of_statistics_uses_its_own_method():
    continuous = finding(
        "continuous",
        intervention_mean=10,
        intervention_sd=2,
        intervention_n=10,
        comparison_mean=8,
        comparison_sd=2,
        comparison_n=10,
    )
    t = finding("t_statistic", t_statistic=2.5, intervention_n=30, comparison_n=30)
    binary = finding(
        "binary", intervention_events=31, intervention_n=100, comparison_events=40, comparison_n=100
    )
    given_effect = finding(
        "effect_size", reported_effect_size=0.3, reported_ci_lower=0.05, reported_ci_upper=0.65
    )
    assert effect_of(continuous).estimate == pytest.approx(68 / 71, abs=EXACT)
    assert effect_of(continuous).method == Method.MEANS
    assert effect_of(t).estimate == pytest.approx(0.637114, abs=WORKED)
    assert effect_of(t).method == Method.T_STATISTIC
    assert effect_of(binary).estimate == pytest.approx(-0.239184, abs=WORKED)
    assert effect_of(binary).method == Method.COX
    assert isinstance(effect_of(given_effect), ReportedEffect)
    assert (effect_of(given_effect).ci_lower, effect_of(given_effect).ci_upper) == (0.05, 0.65)


def test_a_findings_effect_is_turned_so_positive_is_better():
    lower_is_better = finding(
        "t_statistic", higher_is_better=False, t_statistic=-2.5, intervention_n=30, comparison_n=30
    )
    assert raw_effect(lower_is_better).estimate == pytest.approx(-0.637114, abs=WORKED)
    assert effect_of(lower_is_better).estimate == pytest.approx(0.637114, abs=WORKED)


@pytest.mark.parametrize(
    ("statistics", "message"),
    [
        (finding("continuous", intervention_mean=1.0), "missing: intervention_sd"),
        (finding("t_statistic", t_statistic=2.0, intervention_n=1, comparison_n=30), "at least 2"),
        (finding("binary", intervention_events=3, comparison_events=4), "missing: intervention_n"),
        (finding("effect_size"), "missing: reported_effect_size"),
        (finding("effect_size", reported_effect_size=0.3), "standard error or its interval"),
        (finding("odds_ratio"), "Unknown form of statistics"),
    ],
)
def test_a_finding_that_gives_no_effect_size_says_why(statistics, message):
    with pytest.raises(CannotCompute, match=message):
        effect_of(statistics)


def test_the_cox_divisor_is_the_one_the_standard_names():
    assert COX_DIVISOR == 1.65
    assert pytest.approx(1.959964, abs=1e-6) == Z_95
