from decimal import Decimal

import pytest

from interventions.formatting import (
    age_in_words,
    age_range_in_words,
    events_in_words,
    money,
    months_in_words,
    number,
    p_value,
    yes_no,
)


@pytest.mark.parametrize(
    ("months", "words"),
    [
        (-9, "pre-birth"),
        (-1, "pre-birth"),
        (0, "birth"),
        (1, "1 month"),
        (18, "18 months"),
        (23, "23 months"),
        (24, "2 years"),
        (12 * 11, "11 years"),
        (30, "2 years 6 months"),
        (37, "3 years 1 month"),
    ],
)
def test_age_in_words(months, words):
    assert age_in_words(months) == words


@pytest.mark.parametrize(
    ("low", "high", "words"),
    [
        (36, 132, "3 to 11 years"),
        (-9, 24, "pre-birth to 2 years"),
        (-9, -1, "pre-birth"),
        (0, 60, "birth to 5 years"),
        (6, 18, "6 to 18 months"),
        (6, 36, "6 months to 3 years"),
        (36, 36, "3 years"),
        (144, 300, "12 to 25 years"),
        (18, 30, "18 months to 2 years 6 months"),
        (30, 48, "2 years 6 months to 4 years"),
    ],
)
def test_age_range_in_words(low, high, words):
    assert age_range_in_words(low, high) == words


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        (Decimal("850.00"), "£850"),
        (Decimal("1250"), "£1,250"),
        (Decimal("12.5"), "£12.50"),
        (Decimal("0.005"), "£0.01"),
        (2000000, "£2,000,000"),
        (Decimal("-40"), "-£40"),
        (None, ""),
    ],
)
def test_money(amount, words):
    assert money(amount) == words


def test_yes_no_says_when_not_reported():
    assert [yes_no(True), yes_no(False), yes_no(None)] == ["Yes", "No", "Not reported"]


@pytest.mark.parametrize(
    ("months", "words"),
    [(None, "Not reported"), (0, "none"), (1, "1 month"), (6, "6 months"), (24, "2 years")],
)
def test_months_in_words(months, words):
    assert months_in_words(months) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (None, "Not reported"),
        (0.0004, "less than 0.001"),
        (0.00099, "less than 0.001"),
        (0.001, "0.001"),
        (0.0015, "0.002"),
        (0.003, "0.003"),
        (0.0494, "0.049"),
        (0.1, "0.100"),
        (0.0504, "0.050"),
        (1.0, "1.000"),
    ],
)
def test_p_value_has_three_decimals(value, words):
    assert p_value(value) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0.0495, "0.0495"),
        (0.0496, "0.0496"),
        (0.04999, "0.0499"),  # rounded down: four decimals must not reach 0.05 either
        (0.05, "0.050"),  # at the threshold itself, three decimals as usual
    ],
)
def test_p_value_below_the_threshold_never_rounds_up_to_it(value, words):
    assert p_value(value) == words


def test_events_in_words_gives_count_and_percentage():
    assert events_in_words(31, 100) == "31 of 100 (31%)"
    assert events_in_words(1, 3) == "1 of 3 (33%)"
    assert events_in_words(None, 100) == "Not reported"
    assert events_in_words(3, 0) == "Not reported"


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (5.1, "5.1"),
        (12.0, "12"),
        (0.33333, "0.333"),
        (-0.25, "-0.25"),
        (1234.5, "1,234.5"),
        (-0.0001, "0"),
        (None, ""),
    ],
)
def test_number_drops_trailing_zeros(value, words):
    assert number(value) == words
