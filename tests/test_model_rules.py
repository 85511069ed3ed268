"""Each cross-field rule is stated once, on the model: the admin and the import ask it."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from interventions.models import AgeBand, Intervention
from ratings.models import Finding, UnitCostEstimate
from tests.test_admin import change_url, page_form, type_in

pytestmark = pytest.mark.django_db


def messages_of(instance) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as raised:
        instance.clean()
    return raised.value.message_dict


def test_the_finding_model_states_its_statistics_rules():
    finding = Finding(
        statistics_form="continuous",
        intervention_mean=10.0,
        intervention_sd=0.0,
        intervention_n=20,
        comparison_mean=12.0,
        comparison_sd=3.0,
        comparison_n=20,
        higher_is_better=False,
    )
    assert messages_of(finding) == {
        "intervention_sd": ["A standard deviation must be more than 0."]
    }


def test_the_finding_model_refuses_statistics_from_another_form():
    finding = Finding(statistics_form="t_statistic", t_statistic=2.0, intervention_n=20)
    finding.comparison_n, finding.intervention_mean = 20, 3.0
    assert messages_of(finding)["intervention_mean"][0].startswith("Leave this empty")


def test_the_cost_model_states_its_amount_rules():
    estimate = UnitCostEstimate(unit_cost=Decimal("100"), staff_time=Decimal("-1"))
    assert messages_of(estimate) == {"staff_time": ["An amount cannot be negative."]}
    estimate = UnitCostEstimate(unit_cost=Decimal("100"), staff_time=Decimal("50"))
    assert "The parts add up to £50.00" in messages_of(estimate)["unit_cost"][0]


def test_the_age_models_state_their_range_rules():
    band = AgeBand(name="Odd", slug="odd", min_age_months=24, max_age_months=12)
    assert messages_of(band) == {
        "max_age_months": ["The oldest age must not be below the youngest."]
    }
    intervention = Intervention(min_age_months=-12, max_age_months=400)
    assert messages_of(intervention) == {
        "min_age_months": ["The youngest age can be at most 9 months before birth."],
        "max_age_months": ["The oldest age can be at most 300 months (25 years)."],
    }


def test_the_age_band_admin_explains_the_models_rule(curator_client):
    band = AgeBand.objects.create(
        name="5 to 11", slug="5-to-11", min_age_months=60, max_age_months=143
    )
    data = page_form(curator_client, change_url(band), "ageband_form")
    response = curator_client.post(change_url(band), type_in(data, max_age_months=12))
    assert response.status_code == 200
    assert "The oldest age must not be below the youngest." in response.content.decode()
    band.refresh_from_db()
    assert band.max_age_months == 143
