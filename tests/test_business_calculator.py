"""The calculator's arithmetic against examples worked out by hand."""

from decimal import Decimal

import pytest

from business import calculator
from business.calculator import CostFacts

INDEXES = {2022: Decimal("80.000"), 2024: Decimal("100.000")}


def test_a_cost_moves_between_price_years_by_the_ratio_of_the_indexes():
    # £1,000 at 2022 prices x 100 / 80 = £1,250 at 2024 prices, and back again.
    assert calculator.convert(Decimal("1000"), 2022, 2024, INDEXES) == Decimal("1250.00")
    assert calculator.convert(Decimal("1250"), 2024, 2022, INDEXES) == Decimal("1000.00")


def test_a_price_year_without_an_index_is_refused_by_name():
    with pytest.raises(calculator.MissingPriceYear, match="2019"):
        calculator.convert(Decimal("1000"), 2019, 2024, INDEXES)


def test_set_up_is_counted_once_when_the_one_off_cost_is_known():
    # £1,200 a family of which £200 is set-up spread per place; £5,000 one-off set-up.
    # 40 families a year for 2 years: running (1,200 - 200) x 80 = £80,000,
    # set-up £5,000 once, total £85,000 (not 80 x £1,200 + £5,000 = £101,000).
    facts = CostFacts(
        Decimal("1200"), 2024, set_up_share=Decimal("200"), set_up_one_off=Decimal("5000")
    )
    cost = calculator.local_cost(facts, 40, 2, 2024, INDEXES)
    assert cost.running_per_place == Decimal("1000")
    assert cost.running == Decimal("80000")
    assert cost.set_up == Decimal("5000")
    assert cost.total == Decimal("85000")
    assert cost.per_place == Decimal("1062.50")


def test_without_a_one_off_figure_set_up_stays_inside_the_unit_cost():
    facts = CostFacts(Decimal("1200"), 2024, set_up_share=Decimal("200"))
    cost = calculator.local_cost(facts, 40, 2, 2024, INDEXES)
    assert cost.set_up is None
    assert cost.total == Decimal("96000")  # 80 x £1,200, set-up spread inside


def test_set_up_and_running_costs_both_move_to_the_chosen_price_year():
    # At 2022 prices: running £800, set-up £4,000. At 2024 prices: x 1.25.
    facts = CostFacts(
        Decimal("1000"), 2022, set_up_share=Decimal("200"), set_up_one_off=Decimal("4000")
    )
    cost = calculator.local_cost(facts, 10, 1, 2024, INDEXES)
    assert cost.running_per_place == Decimal("1000.00")
    assert cost.set_up == Decimal("5000.00")
    assert cost.total == Decimal("15000.00")


def test_cases_avoided_and_cost_per_case_with_their_ranges():
    # Entered care: 62 of 200 with the intervention (31%), 100 of 250 without (40%).
    # Difference 0.09. Standard error sqrt(0.31 x 0.69 / 200 + 0.4 x 0.6 / 250)
    # = sqrt(0.0010695 + 0.00096) = 0.045050; 95% interval 0.09 +/- 1.96 x 0.045050
    # = 0.0017 to 0.1783: between 0 and 18 children in 100, about 9.
    difference = calculator.risk_difference(62, 200, 100, 250, event_is_bad=True)
    assert difference.estimate == pytest.approx(0.09)
    assert difference.ci_lower == pytest.approx(0.00170, abs=1e-4)
    assert difference.ci_upper == pytest.approx(0.17830, abs=1e-4)
    assert difference.per_100() == (9, 0, 18)
    # 80 children and £85,000: 7.2 cases (0.136 to 14.26); £85,000 / 7.2 = £11,805.56
    # a case, from £85,000 / 14.264 = £5,959 to £85,000 / 0.136 = about £622,000.
    avoided = calculator.cases_avoided(difference, 80, Decimal("85000"))
    assert avoided.cases == pytest.approx(7.2)
    assert avoided.cases_low == pytest.approx(0.136, abs=0.01)
    assert avoided.cases_high == pytest.approx(14.264, abs=0.01)
    assert avoided.cost_per_case == Decimal("11805.56")
    assert float(avoided.cost_per_case_low) == pytest.approx(5959, abs=5)
    assert float(avoided.cost_per_case_high) == pytest.approx(622000, rel=0.05)


def test_when_the_interval_includes_no_difference_there_is_no_upper_cost_per_case():
    # 31 of 100 against 40 of 100: 0.09, interval -0.042 to 0.222.
    difference = calculator.risk_difference(31, 100, 40, 100, event_is_bad=True)
    assert difference.could_be_none
    avoided = calculator.cases_avoided(difference, 100, Decimal("50000"))
    assert avoided.cost_per_case_high is None
    assert avoided.cost_per_case == Decimal("5555.56")  # 50,000 / 9


def test_a_good_event_counts_the_other_way_round():
    difference = calculator.risk_difference(60, 100, 50, 100, event_is_bad=False)
    assert difference.estimate == pytest.approx(0.10)
