"""Each rule across a record's fields is written once, in its model's rule table
(evidence_store/record_rules.py). From that one entry come the database constraint (the
last line of defence, for anything that writes past clean()), the plain message clean()
puts on the field at fault (so the admin's forms show it), and the import's refusal."""

import copy
import itertools
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django import forms
from django.db import IntegrityError, models, transaction
from django.db.models import Value

from evidence_store.record_rules import Rule, check_constraints, problems
from interventions.models import AGE_BAND_RULES, INTERVENTION_RULES, AgeBand, Intervention
from ratings.admin_forms import ModelRulesForm
from ratings.models import (
    COST_RULES,
    FINDING_RULES,
    RATING_LEVEL_RULES,
    RATING_RULES,
    STUDY_RULES,
    Finding,
    Rating,
    RatingLevel,
    Study,
    UnitCostEstimate,
)
from tests import factories
from tests import test_catalogue_io as catalogue_io
from tests.test_admin import change_url, page_form, type_in
from tests.test_catalogue_io import assert_rejected, index_of

pytestmark = pytest.mark.django_db

# The catalogue files' fixtures: an export of a rich catalogue, ready to import.
rich_catalogue = catalogue_io.rich_catalogue
document = catalogue_io.document

TABLES = {
    Study: STUDY_RULES,
    Finding: FINDING_RULES,
    UnitCostEstimate: COST_RULES,
    Rating: RATING_RULES,
    RatingLevel: RATING_LEVEL_RULES,
    AgeBand: AGE_BAND_RULES,
    Intervention: INTERVENTION_RULES,
}


# --- clean() decides as PostgreSQL does ---


def samples(field: models.Field) -> list[Any]:
    """Values either side of every bound the rules use, and empty where allowed."""
    if isinstance(field, models.DecimalField):
        values = [Decimal(v) for v in ("-1", "0", "0.5", "1", "1000")]
    elif isinstance(field, models.FloatField):
        values = [-0.5, 0.0, 0.2, 0.45, 1.0]
    elif isinstance(field, models.IntegerField):
        values = [-10, -9, 0, 1, 2, 300, 301]
    else:
        values = ["", "override", "confirmed", "a reason"]
    return [None, *values] if field.null else values


RULES = [
    pytest.param(model, rule, id=f"{name}.{rule.field}")
    for model, table in TABLES.items()
    for name, rules in table.items()
    for rule in rules
]


@pytest.mark.parametrize(("model", "rule"), RULES)
def test_clean_breaks_a_rule_exactly_when_the_database_would_refuse_the_row(model, rule):
    """SQL's NULLs included: a comparison with an empty value passes a CHECK constraint."""
    names = sorted(rule.fields)
    fields = [model._meta.get_field(name) for name in names]
    for combination in itertools.product(*(samples(field) for field in fields)):
        values = dict(zip(names, combination, strict=True))
        database = rule.condition.check(
            {
                n: Value(v, output_field=f)
                for n, v, f in zip(names, combination, fields, strict=True)
            }
        )
        assert (rule.holds(values) is not False) == database, values


def test_a_rule_the_python_side_cannot_decide_is_refused_when_it_is_written():
    with pytest.raises(TypeError, match="plain lookup"):
        Rule("measure", models.Q(measure__icontains="SDQ"), "Name the measure.")
    with pytest.raises(TypeError, match="value or F"):
        Rule("unit_cost", models.Q(unit_cost__gt=models.F("staff_time") + 1), "Too cheap.")


def test_one_message_per_field_and_no_rule_on_a_field_already_at_fault():
    table = {
        "in_range": (Rule("low", models.Q(low__gte=0), "Low must be 0 or more."),),
        "ordered": (Rule("high", models.Q(low__lte=models.F("high")), "High below low."),),
    }
    assert problems(table, {"low": -5, "high": -9}) == {"low": "Low must be 0 or more."}
    assert problems(table, {"low": 5, "high": 1}) == {"high": "High below low."}
    assert problems(table, {"low": None, "high": 1}) == {}  # unknown, as in SQL
    (in_range, ordered) = check_constraints(table)
    assert (in_range.name, ordered.name) == ("in_range", "ordered")


def test_every_constraint_built_from_a_table_is_on_its_model():
    for model, table in TABLES.items():
        on_model = {c.name: c for c in model._meta.constraints}
        for built in check_constraints(table):
            assert on_model[built.name] == built


# --- One case per rule: the database refuses it, clean() and a form explain it ---


def a_study() -> Study:
    return factories.make_study(factories.make_intervention())


def a_finding(**statistics) -> Finding:
    intervention = factories.make_intervention()
    study = factories.make_study(intervention)
    return factories.make_finding(study, intervention, **statistics)


NO_SCORES = {
    "intervention_mean": None,
    "intervention_sd": None,
    "comparison_mean": None,
    "comparison_sd": None,
}
BINARY = {
    **NO_SCORES,
    "statistics_form": "binary",
    "intervention_events": 31,
    "intervention_n": 100,
    "comparison_events": 40,
    "comparison_n": 100,
}
REPORTED = {
    **NO_SCORES,
    "statistics_form": "effect_size",
    "intervention_n": None,
    "comparison_n": None,
    "reported_effect_size": 0.25,
    "reported_se": 0.1,
    "reported_ci_lower": 0.05,
    "reported_ci_upper": 0.45,
}


def a_rating() -> Rating:
    factories.make_scales()
    return factories.rate(factories.make_intervention(), "evidence-strength", "3", reason="Why.")


def a_cost_level() -> RatingLevel:
    factories.make_scales()
    return factories.level("cost", "3")


def an_age_band() -> AgeBand:
    return AgeBand.objects.create(
        name="5 to 11", slug="5-11", min_age_months=60, max_age_months=143
    )


@dataclass(frozen=True)
class Case:
    constraint: str
    make: Callable[[], models.Model]  # a sound record, saved
    bad: dict[str, Any]
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.constraint}.{self.field}"


GROUP_OF_NOBODY = "A group must have at least 1 child or family."
CASES = [
    Case(
        "study_intervention_n_positive",
        a_study,
        {"intervention_n": 0},
        "intervention_n",
        f"{GROUP_OF_NOBODY} Leave it empty if the study does not say.",
    ),
    Case(
        "study_comparison_n_positive",
        a_study,
        {"comparison_n": 0},
        "comparison_n",
        f"{GROUP_OF_NOBODY} Leave it empty if the study does not say.",
    ),
    Case(
        "finding_intervention_n_positive",
        lambda: a_finding(**REPORTED),
        {"intervention_n": 0},
        "intervention_n",
        GROUP_OF_NOBODY,
    ),
    Case(
        "finding_comparison_n_positive",
        lambda: a_finding(**BINARY),
        {"comparison_n": 0, "comparison_events": 0},
        "comparison_n",
        GROUP_OF_NOBODY,
    ),
    Case(
        "finding_sds_positive",
        a_finding,
        {"intervention_sd": 0.0},
        "intervention_sd",
        "A standard deviation must be more than 0.",
    ),
    Case(
        "finding_sds_positive",
        a_finding,
        {"comparison_sd": -2.5},
        "comparison_sd",
        "A standard deviation must be more than 0.",
    ),
    Case(
        "finding_events_not_more_than_n",
        lambda: a_finding(**BINARY),
        {"intervention_events": 101},
        "intervention_events",
        "Cannot be more than the number in the group (100).",
    ),
    Case(
        "finding_events_not_more_than_n",
        lambda: a_finding(**BINARY),
        {"comparison_n": 39},
        "comparison_events",
        "Cannot be more than the number in the group (39).",
    ),
    Case(
        "finding_reported_se_positive",
        lambda: a_finding(**REPORTED),
        {"reported_se": 0.0},
        "reported_se",
        "A standard error must be more than 0.",
    ),
    Case(
        "finding_reported_ci_both_ends_or_neither",
        lambda: a_finding(**REPORTED),
        {"reported_ci_lower": None},
        "reported_ci_lower",
        "Give both ends of the confidence interval, or neither.",
    ),
    Case(
        "finding_reported_ci_both_ends_or_neither",
        lambda: a_finding(**REPORTED),
        {"reported_ci_upper": None},
        "reported_ci_upper",
        "Give both ends of the confidence interval, or neither.",
    ),
    Case(
        "finding_reported_ci_lower_below_upper",
        lambda: a_finding(**REPORTED),
        {"reported_ci_lower": 0.45, "reported_effect_size": 0.45},
        "reported_ci_lower",
        "The lower end must be below the upper end.",
    ),
    Case(
        "finding_reported_ci_contains_estimate",
        lambda: a_finding(**REPORTED),
        {"reported_effect_size": 0.6},
        "reported_effect_size",
        "The effect size must lie inside its confidence interval (0.05 to 0.45). Check the "
        "signs and which end is which.",
    ),
    Case(
        "cost_amounts_not_negative",
        lambda: factories.make_cost(factories.make_intervention(), staff_time=None),
        {"unit_cost": Decimal("-1.00")},
        "unit_cost",
        "An amount cannot be negative.",
    ),
    *(
        Case(
            "cost_amounts_not_negative",
            lambda: factories.make_cost(factories.make_intervention()),  # all staff time
            # £1 less in all (the breakdown still adds up, give or take £1), or £850 in all.
            {
                name: Decimal("-1.00"),
                **({"training": Decimal("851.00")} if name == "staff_time" else {}),
            },
            name,
            "An amount cannot be negative.",
        )
        for name in [*UnitCostEstimate.BREAKDOWN_FIELDS, "set_up_cost_total"]
    ),
    Case(
        "rating_override_has_reason",
        a_rating,
        {"basis": "override", "reason": ""},
        "reason",
        "Say why you are overriding the suggested level.",
    ),
    Case(
        "rating_level_cost_band_ordered",
        a_cost_level,
        {"min_cost": Decimal("1000.00"), "max_cost": Decimal("500.00")},
        "max_cost",
        "The top of the cost band must be above its bottom.",
    ),
    Case(
        "age_band_min_not_after_max",
        an_age_band,
        {"max_age_months": 12},
        "max_age_months",
        "The oldest age must not be below the youngest.",
    ),
    Case(
        "intervention_min_age_not_after_max",
        factories.make_intervention,
        {"max_age_months": 24},
        "max_age_months",
        "The oldest age must not be below the youngest.",
    ),
    Case(
        "intervention_ages_in_range",
        factories.make_intervention,
        {"min_age_months": -12},
        "min_age_months",
        "The youngest age can be at most 9 months before birth.",
    ),
    Case(
        "intervention_ages_in_range",
        factories.make_intervention,
        {"max_age_months": 301},
        "max_age_months",
        "The oldest age can be at most 300 months (25 years).",
    ),
]


def test_every_rule_has_a_case_below():
    """A rule added to a table without a case here fails this test."""
    in_tables = {
        (name, rule.field)
        for table in TABLES.values()
        for name, rules in table.items()
        for rule in rules
    }
    assert in_tables == {(case.constraint, case.field) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=str)
def test_the_database_refuses_a_broken_rule_written_past_clean(case):
    record = case.make()
    with pytest.raises(IntegrityError, match=case.constraint), transaction.atomic():
        type(record).objects.filter(pk=record.pk).update(**case.bad)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_clean_explains_a_broken_rule_on_the_field_at_fault(case):
    record = case.make()
    for name, value in case.bad.items():
        setattr(record, name, value)
    with pytest.raises(forms.ValidationError) as raised:
        record.clean()
    assert raised.value.message_dict == {case.field: [case.message]}


def form_data(record: models.Model, fields: list[str]) -> dict[str, Any]:
    data = {}
    for name in fields:
        value = getattr(record, record._meta.get_field(name).attname)
        data[name] = "" if value is None else value
    return data


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_form_shows_the_rules_message_on_its_field_and_nothing_about_constraints(case):
    record = case.make()
    model = type(record)
    fields = [f.name for f in model._meta.concrete_fields if f.editable and not f.primary_key]
    form_class = forms.modelform_factory(model, form=ModelRulesForm, fields=fields)
    form = form_class(data={**form_data(record, fields), **case.bad}, instance=record)
    assert not form.is_valid()
    shown = [message for messages in form.errors.values() for message in messages]
    assert form.errors[case.field] == [case.message], form.errors
    assert not any("violated" in message for message in shown), shown


# --- The admin, for the two rules it used to write out itself ---


def test_the_study_admin_explains_a_group_of_nobody(curator_client, published_intervention):
    study = factories.make_study(published_intervention)
    data = page_form(curator_client, change_url(study), "study_form")
    response = curator_client.post(change_url(study), type_in(data, comparison_n="0"))
    assert response.status_code == 200
    assert f"{GROUP_OF_NOBODY} Leave it empty if the study does not say." in (
        response.content.decode()
    )
    study.refresh_from_db()
    assert study.comparison_n == 118


# --- The import refuses a broken rule with its message, where it is in the file ---


def finding_with_interval(doc: dict[str, Any]) -> tuple[int, int]:
    return next(
        (i, j)
        for i, study in enumerate(doc["studies"])
        for j, finding in enumerate(study["findings"])
        if finding["reported_ci_lower"] is not None
    )


def edit_interval(change: dict[str, Any]):
    def edit(doc: dict[str, Any]) -> str:
        study, finding = finding_with_interval(doc)
        doc["studies"][study]["findings"][finding].update(change)
        return f"studies[{study}].findings[{finding}]"

    return edit


def edit_study(doc: dict[str, Any]) -> str:
    doc["studies"][0]["comparison_n"] = 0
    return "studies[0]"


def edit_cost_band(doc: dict[str, Any]) -> str:
    scale = index_of(doc["rating_scales"], "slug", "cost")
    levels = doc["rating_scales"][scale]["levels"]
    middle = next(i for i, level in enumerate(levels) if level["min_cost"] and level["max_cost"])
    levels[middle]["min_cost"], levels[middle]["max_cost"] = (
        levels[middle]["max_cost"],
        levels[middle]["min_cost"],
    )
    return f"rating_scales[{scale}].levels[{middle}]"


def edit_rating(doc: dict[str, Any]) -> str:
    intervention = next(i for i, record in enumerate(doc["interventions"]) if record["ratings"])
    doc["interventions"][intervention]["ratings"][0].update(basis="override", reason="  ")
    return f"interventions[{intervention}].ratings[0]"


def edit_age_band(doc: dict[str, Any]) -> str:
    doc["taxonomies"]["age_bands"][0]["max_age_months"] = -9
    doc["taxonomies"]["age_bands"][0]["min_age_months"] = 0
    return "taxonomies.age_bands[0]"


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        pytest.param(
            edit_study,
            "comparison_n: a group must have at least 1 child or family. Leave it empty if "
            "the study does not say",
            id="study group of nobody",
        ),
        pytest.param(
            edit_interval({"reported_ci_upper": None, "reported_se": 0.1}),
            "reported_ci_upper: give both ends of the confidence interval, or neither",
            id="one end of an interval",
        ),
        pytest.param(
            edit_interval({"reported_effect_size": -0.5}),
            "reported_effect_size: the effect size must lie inside its confidence interval",
            id="estimate outside its interval",
        ),
        pytest.param(
            edit_cost_band,
            "max_cost: the top of the cost band must be above its bottom",
            id="cost band upside down",
        ),
        pytest.param(
            edit_rating,
            "reason: say why you are overriding the suggested level",
            id="override without a reason",
        ),
        pytest.param(
            edit_age_band,
            "max_age_months: the oldest age must not be below the youngest",
            id="age band upside down",
        ),
    ],
)
def test_the_import_refuses_a_broken_rule_with_its_message(document, tmp_path, edit, message):
    bad = copy.deepcopy(document)
    where = edit(bad)
    assert_rejected(tmp_path, bad, f"{where}.{message}")
