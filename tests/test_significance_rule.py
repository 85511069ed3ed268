"""One rule for "unlikely to be chance", and an interval that always agrees with it.

The verdict follows the p-value the study reported, or the 95% interval when it
reported none. Where the interval worked out from the study's numbers disagrees
with its p-value, the interval shown is the one the p-value implies.
"""

import importlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ratings.effect_sizes import (
    ALPHA,
    Z_95,
    CannotCompute,
    agreeing_with_p_value,
    hedges_g,
    reported,
    significant,
)
from ratings.models import Finding
from tests import factories
from tests.page_text import text_of
from tests.test_effect_sizes import effects, properties


def leaves_out_zero(effect) -> bool:
    return effect.ci_lower > 0 or effect.ci_upper < 0


def test_a_p_value_just_above_005_widens_an_interval_that_left_out_zero():
    effect = hedges_g(10.8, 4.0, 80, 9.5, 4.1, 80)  # g = 0.32, interval 0.0075 to 0.63
    assert leaves_out_zero(effect)

    shown = agreeing_with_p_value(effect, 0.052)

    assert shown.estimate == effect.estimate
    assert shown.from_p_value
    assert shown.ci_lower < 0 < shown.ci_upper
    # The interval the p-value implies: z for p = 0.052 is 1.943, so its width is
    # the estimate x 1.96 / 1.943 either side of it.
    assert shown.ci_lower == pytest.approx(effect.estimate * (1 - Z_95 / 1.9431), abs=1e-3)


def test_a_p_value_below_005_narrows_an_interval_that_reached_zero():
    effect = reported(0.2, se=0.11)  # interval -0.016 to 0.42
    assert not leaves_out_zero(effect)

    shown = agreeing_with_p_value(effect, 0.03)

    assert shown.from_p_value and leaves_out_zero(shown)
    assert shown.se == pytest.approx(0.2 / 2.1701, rel=1e-3)  # z for p = 0.03


def test_an_interval_that_agrees_is_left_exactly_as_worked_out():
    effect = hedges_g(13.4, 5.4, 105, 11.2, 5.1, 110)
    assert agreeing_with_p_value(effect, 0.003) is effect
    assert agreeing_with_p_value(effect, None) is effect


def test_a_p_value_of_zero_still_gives_a_finite_interval():
    shown = agreeing_with_p_value(reported(0.2, se=0.2), 0.0)
    assert shown.from_p_value and 0 < shown.ci_lower < shown.ci_upper < 0.4


def test_significant_with_no_effect_at_all_is_refused():
    with pytest.raises(CannotCompute, match="p-value is below 0.05 but the effect size is 0"):
        agreeing_with_p_value(reported(0.0, se=0.1), 0.01)


@properties
@given(effects, st.floats(0, 1))
def test_the_verdict_and_the_interval_shown_always_agree(effect, p_value):
    try:
        shown = agreeing_with_p_value(effect, p_value)
    except CannotCompute:
        assert effect.estimate == 0 and p_value < ALPHA
        return
    assert significant(p_value, shown.ci_lower, shown.ci_upper) is leaves_out_zero(shown)
    assert shown.estimate == effect.estimate


# Numbers whose own interval just leaves out 0 (0.0075 to 0.63), reported with p = 0.052.
BORDERLINE = {
    "higher_is_better": True,
    "intervention_mean": 10.8,
    "intervention_sd": 4.0,
    "intervention_n": 80,
    "comparison_mean": 9.5,
    "comparison_sd": 4.1,
    "comparison_n": 80,
    "p_value": 0.052,
}


def borderline_finding(study, intervention) -> Finding:
    return factories.make_finding(study, intervention, **BORDERLINE)


@pytest.mark.django_db
def test_the_page_calls_it_could_be_chance_with_an_interval_through_zero(client, scales):
    """The reader's case: p = 0.052, and numbers whose own interval just leaves out 0."""
    intervention = factories.make_intervention(slug="borderline")
    study = factories.make_study(intervention, title="The borderline trial")
    finding = borderline_finding(study, intervention)
    factories.publish(intervention)

    assert not finding.is_significant
    assert finding.effect_ci_lower < 0 < finding.effect_ci_upper
    study_page = text_of(client.get(study.get_absolute_url()))
    assert "Could be chance" in study_page
    assert "the interval is worked out from the p-value the study reported" in study_page
    page = text_of(client.get("/interventions/borderline/"))
    assert "p-value 0.052; the interval is worked out from it" in page
    assert f"{finding.effect_size:.2f}" in page


@pytest.mark.django_db
def test_the_migration_mends_intervals_stored_before_the_rule(scales):
    from django.apps import apps

    migration = importlib.import_module("ratings.migrations.0017_intervals_agree_with_p_values")
    intervention = factories.make_intervention()
    study = factories.make_study(intervention)
    borderline = borderline_finding(study, intervention)
    agreeing = factories.make_finding(study, intervention)
    # As stored before: the interval worked out from the numbers alone.
    Finding.objects.filter(pk=borderline.pk).update(effect_ci_lower=0.0075, effect_ci_upper=0.63)
    before = Finding.objects.get(pk=agreeing.pk)

    migration.agree_with_p_values(apps, None)

    borderline.refresh_from_db()
    assert borderline.effect_ci_lower < 0 < borderline.effect_ci_upper
    after = Finding.objects.get(pk=agreeing.pk)
    assert (after.effect_ci_lower, after.effect_ci_upper) == (
        before.effect_ci_lower,
        before.effect_ci_upper,
    )
