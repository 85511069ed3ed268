"""The database itself refuses records that break the domain's rules."""

from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction

from interventions.models import AgeBand, Catalogue
from ratings.effect_sizes import CannotCompute, Method
from ratings.finding_effects import effect_of
from ratings.models import STATISTICS_BY_FORM, STATISTICS_FIELDS, Finding, Rating
from tests.factories import (
    finding_fields,
    level,
    make_cost,
    make_finding,
    make_intervention,
    make_outcome,
    make_study,
    rate,
)

pytestmark = pytest.mark.django_db


def refused(action) -> bool:
    """Run action in a savepoint with every deferred rule checked at once."""
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            action()
    except IntegrityError:
        return True
    return False


# A plausible computed effect, so that a test of another rule breaks only that rule.
SOME_EFFECT = {
    "effect_size": 0.2,
    "effect_se": 0.1,
    "effect_ci_lower": 0.0,
    "effect_ci_upper": 0.4,
    "effect_method": Method.MEANS,
}


def insert_finding(study, intervention, **overrides) -> Finding:
    """Straight into the database, past Finding.save(): saving works the effect size out
    and refuses most bad statistics itself, and these tests are about the database."""
    fields = {**SOME_EFFECT, **finding_fields(study, intervention, **overrides)}
    return Finding.objects.bulk_create([Finding(**fields)])[0]


def test_youngest_age_cannot_be_after_oldest_age():
    assert refused(lambda: make_intervention(min_age_months=60, max_age_months=24))
    assert refused(
        lambda: AgeBand.objects.create(name="Odd", slug="odd", min_age_months=5, max_age_months=1)
    )


def test_pre_birth_ages_are_allowed_but_not_before_pregnancy():
    assert not refused(lambda: make_intervention(min_age_months=-6, max_age_months=24))
    assert refused(lambda: make_intervention(min_age_months=-12, max_age_months=24))


def test_sample_sizes_must_be_positive():
    intervention = make_intervention()
    assert refused(lambda: make_study(intervention, comparison_n=0))
    study = make_study(intervention)
    assert refused(lambda: insert_finding(study, intervention, intervention_n=0))


def test_attrition_is_a_percentage():
    intervention = make_intervention()
    assert refused(lambda: make_study(intervention, attrition_overall=Decimal("140")))


@pytest.mark.parametrize(
    "change",
    [
        # continuous form missing a standard deviation
        {"comparison_sd": None},
        # continuous form also carrying events
        {"intervention_events": 10, "comparison_events": 12},
        # binary form with means left in
        {
            "statistics_form": Finding.StatisticsForm.BINARY,
            "intervention_events": 3,
            "comparison_events": 9,
        },
        # reported effect size without a standard error or interval
        {
            "statistics_form": Finding.StatisticsForm.EFFECT_SIZE,
            "intervention_mean": None,
            "intervention_sd": None,
            "comparison_mean": None,
            "comparison_sd": None,
            "reported_effect_size": 0.3,
        },
    ],
)
def test_a_finding_holds_exactly_one_form_of_statistics(change):
    intervention = make_intervention()
    study = make_study(intervention)
    assert refused(lambda: insert_finding(study, intervention, **change))


def test_each_statistics_form_on_its_own_is_accepted():
    intervention = make_intervention()
    study = make_study(intervention)
    make_finding(study, intervention)
    binary = {
        "statistics_form": Finding.StatisticsForm.BINARY,
        "intervention_mean": None,
        "intervention_sd": None,
        "comparison_mean": None,
        "comparison_sd": None,
        "intervention_events": 31,
        "intervention_n": 100,
        "comparison_events": 40,
        "comparison_n": 100,
    }
    make_finding(study, intervention, **binary)
    reported = {
        "statistics_form": Finding.StatisticsForm.EFFECT_SIZE,
        "intervention_mean": None,
        "intervention_sd": None,
        "comparison_mean": None,
        "comparison_sd": None,
        "reported_effect_size": 0.25,
        "reported_ci_lower": 0.05,
        "reported_ci_upper": 0.45,
    }
    make_finding(study, intervention, **reported)
    t_statistic = {
        "statistics_form": Finding.StatisticsForm.T_STATISTIC,
        "intervention_mean": None,
        "intervention_sd": None,
        "comparison_mean": None,
        "comparison_sd": None,
        "t_statistic": -2.4,
    }
    make_finding(study, intervention, **t_statistic)
    assert study.findings.count() == 4


def test_standard_deviations_must_be_positive_and_events_within_n():
    intervention = make_intervention()
    study = make_study(intervention)
    assert refused(lambda: insert_finding(study, intervention, intervention_sd=0))
    binary = {
        "statistics_form": Finding.StatisticsForm.BINARY,
        "intervention_mean": None,
        "intervention_sd": None,
        "comparison_mean": None,
        "comparison_sd": None,
        "intervention_events": 101,
        "intervention_n": 100,
        "comparison_events": 40,
        "comparison_n": 100,
    }
    assert refused(lambda: insert_finding(study, intervention, **binary))


def test_a_reported_interval_must_contain_the_estimate():
    intervention = make_intervention()
    study = make_study(intervention)
    reported = {
        "statistics_form": Finding.StatisticsForm.EFFECT_SIZE,
        "intervention_mean": None,
        "intervention_sd": None,
        "comparison_mean": None,
        "comparison_sd": None,
        "reported_effect_size": 0.6,
        "reported_ci_lower": 0.05,
        "reported_ci_upper": 0.45,
    }
    assert refused(lambda: insert_finding(study, intervention, **reported))


def test_a_finding_must_be_about_an_intervention_its_study_evaluated():
    evaluated, other = make_intervention(), make_intervention()
    study = make_study(evaluated)
    assert refused(lambda: make_finding(study, other))
    assert not refused(lambda: make_finding(study, evaluated))


def test_only_one_current_rating_per_intervention_and_scale(scales):
    intervention = make_intervention()
    first = rate(intervention, "evidence-strength", "2")
    assert refused(
        lambda: Rating.objects.create(
            intervention=intervention, scale=first.scale, level=first.level, standards_version="x"
        )
    )


def test_a_new_rating_supersedes_the_old_one_and_keeps_it(scales):
    intervention = make_intervention()
    first = rate(intervention, "evidence-strength", "2", reason="One pre-post study.")
    second = rate(intervention, "evidence-strength", "3", reason="A trial in Leeds.")
    first.refresh_from_db()
    assert first.superseded_at is not None and first.level.code == "2"
    assert second.is_current
    assert list(intervention.ratings.current()) == [second]
    # A cost rating is on another scale and does not supersede evidence ratings.
    rate(intervention, "cost", "3")
    assert intervention.ratings.current().count() == 2


def test_a_ratings_level_must_be_on_its_scale(scales):
    evidence, cost = scales
    intervention = make_intervention()
    cost_level = level("cost", "3")
    assert refused(
        lambda: Rating.objects.create(
            intervention=intervention, scale=evidence, level=cost_level, standards_version="x"
        )
    )


def test_an_override_needs_a_reason(scales):
    intervention = make_intervention()
    assert refused(
        lambda: rate(intervention, "evidence-strength", "3", basis=Rating.Basis.OVERRIDE)
    )


def test_costs_cannot_be_negative_and_one_estimate_is_current():
    intervention = make_intervention()
    assert refused(lambda: make_cost(intervention, training=Decimal("-1")))
    make_cost(intervention)
    assert refused(lambda: make_cost(intervention))


def test_there_is_only_one_catalogue_row():
    Catalogue.objects.create(id=1, is_demonstration=True)
    assert refused(lambda: Catalogue.objects.create(id=2))


def test_outcome_names_are_unique_within_a_domain():
    outcome = make_outcome(name="Behaviour problems", slug="behaviour-problems")
    assert refused(
        lambda: make_outcome(domain=outcome.domain, name="Behaviour problems", slug="other")
    )


STATISTIC_VALUES = {
    "intervention_mean": 10.0,
    "intervention_sd": 4.0,
    "comparison_mean": 12.0,
    "comparison_sd": 4.5,
    "intervention_events": 20,
    "comparison_events": 30,
    "intervention_n": 80,
    "comparison_n": 80,
    "t_statistic": 2.1,
    "reported_effect_size": 0.3,
    "reported_se": 0.1,
    "reported_ci_lower": 0.1,
    "reported_ci_upper": 0.5,
}


def statistics(form: str, fields) -> dict:
    """A finding's statistics: exactly `fields` filled in, every other statistic empty."""
    return {
        "statistics_form": form,
        **{name: STATISTIC_VALUES[name] if name in fields else None for name in STATISTICS_FIELDS},
    }


@pytest.mark.parametrize("form", list(STATISTICS_BY_FORM))
def test_the_database_agrees_with_the_statistics_each_form_requires(form):
    """The mapping the admin and the import check against is the database's rule."""
    required, optional = STATISTICS_BY_FORM[form]
    intervention = make_intervention()
    study = make_study(intervention)
    # A reported effect size also needs its uncertainty: a standard error will do.
    minimum = set(required) | ({"reported_se"} if form == "effect_size" else set())
    assert not refused(lambda: insert_finding(study, intervention, **statistics(form, minimum)))
    assert not refused(
        lambda: insert_finding(
            study, intervention, **statistics(form, set(required) | set(optional))
        )
    )
    for missing in required:
        assert refused(
            lambda fields=minimum - {missing}: insert_finding(
                study, intervention, **statistics(form, fields)
            )
        ), f"{form} without {missing} was accepted"
    for extra in set(STATISTICS_FIELDS) - set(required) - set(optional):
        assert refused(
            lambda fields=minimum | {extra}: insert_finding(
                study, intervention, **statistics(form, fields)
            )
        ), f"{form} with {extra} was accepted"


# --- The effect size is computed, stored and required ---


def test_saving_a_finding_stores_its_effect_size_worked_out_from_the_statistics():
    intervention = make_intervention()
    study = make_study(intervention)
    finding = make_finding(study, intervention)
    finding.refresh_from_db()
    effect = effect_of(finding)
    assert finding.effect_size == effect.estimate > 0  # lower difficulties: better
    assert (finding.effect_se, finding.effect_method) == (effect.se, Method.MEANS)
    assert (finding.effect_ci_lower, finding.effect_ci_upper) == (effect.ci_lower, effect.ci_upper)

    # Changing the statistics, even through update_fields, changes the effect size.
    finding.comparison_mean = 11.2
    finding.p_value = 0.9  # no difference: a p-value below 0.05 would contradict it
    finding.save(update_fields=["comparison_mean", "p_value"])
    finding.refresh_from_db()
    assert finding.effect_size == 0.0


def test_saving_statistics_that_give_no_effect_size_is_refused_before_the_database():
    intervention = make_intervention()
    study = make_study(intervention)
    with pytest.raises(CannotCompute, match="at least 2"):
        make_finding(study, intervention, intervention_n=1)
    assert not Finding.objects.exists()


@pytest.mark.parametrize(
    "effect",
    [
        {"effect_size": None},
        {"effect_se": None},
        {"effect_se": 0.0},
        {"effect_ci_lower": 0.3},  # the interval leaves out the estimate (0.2)
        {"effect_ci_upper": 0.1},
        {"effect_ci_lower": None},
        {"effect_method": ""},
    ],
)
def test_a_finding_cannot_be_stored_without_a_sound_effect_size(effect):
    intervention = make_intervention()
    study = make_study(intervention)
    assert not refused(lambda: insert_finding(study, intervention))
    assert refused(lambda: insert_finding(study, intervention, **effect))


# --- A unit cost's breakdown adds up to it ---


@pytest.mark.parametrize(
    ("breakdown", "accepted"),
    [
        ({}, True),  # no breakdown at all
        ({"staff_time": "600.00", "licence": "250.00"}, True),  # exactly £850
        ({"staff_time": "600.00", "licence": "249.00"}, True),  # £1 short: rounding
        ({"staff_time": "600.00", "licence": "251.00"}, True),  # £1 over: rounding
        ({"staff_time": "600.00", "licence": "248.99"}, False),
        ({"staff_time": "600.00", "licence": "251.01"}, False),
        ({"staff_time": "600.00"}, False),  # £250 unaccounted for
        ({"other": "0.00"}, False),  # a breakdown of nothing
    ],
)
def test_a_unit_costs_breakdown_adds_up_to_it(breakdown, accepted):
    intervention = make_intervention()
    parts = {name: Decimal(value) for name, value in breakdown.items()}
    assert refused(lambda: make_cost(intervention, unit_cost=Decimal("850.00"), **parts)) != (
        accepted
    )
