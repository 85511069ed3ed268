from decimal import Decimal
from types import SimpleNamespace

import pytest

from interventions.formatting import (
    age_in_words,
    age_range_in_words,
    events_in_words,
    level_anchor,
    lower_first,
    money,
    months_in_words,
    number,
    ordinal,
    p_value,
    percent,
    signed,
    two_places,
    yes_no,
)
from interventions.templatetags import store_format


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


@pytest.mark.parametrize(
    ("value", "words"),
    [
        (0.4249, "0.42"),
        (-0.153, "\u22120.15"),  # a true minus sign
        (-0.004, "\u22120.004"),  # small, but not zero: never "0.00" or "minus zero"
        (0.0, "0.00"),
        (1.0, "1.00"),
        (None, ""),
    ],
)
def test_two_places_for_effect_sizes(value, words):
    assert two_places(value) == words


@pytest.mark.parametrize(
    ("value", "words"),
    [(16.283, "+16.28"), (-3.1, "\u22123.10"), (0.001, "+0.001"), (0.0, "0.00"), (None, "")],
)
def test_signed_shows_which_way_an_improvement_index_goes(value, words):
    assert signed(value) == words


@pytest.mark.parametrize(
    ("number_", "words"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (50, "50th"), (62, "62nd"), (99, "99th"), (111, "111th")],
)  # fmt: skip
def test_ordinal(number_, words):
    assert ordinal(number_) == words


def test_percent_rounds_half_up():
    assert [percent(31, 100), percent(1, 8), percent(1, 3), percent(2, 3)] == [
        "31%",
        "13%",
        "33%",
        "67%",
    ]


@pytest.mark.parametrize(
    ("scale", "code", "anchor"),
    [
        ("evidence-strength", "3+", "evidence-3-plus"),
        ("evidence-strength", "4", "evidence-4"),
        ("evidence-strength", "NL2", "evidence-nl2"),
        ("evidence-strength", "NE", "evidence-ne"),
        ("cost", "3", "cost-3"),
        ("evidence-strength", " 2? ", "evidence-2"),  # anything odd still gives a valid id
    ],
)
def test_level_anchor(scale, code, anchor):
    assert level_anchor(scale, code) == anchor


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Mental health and wellbeing", "mental health and wellbeing"),
        ("End of programme", "end of programme"),
        ("SDQ total difficulties", "SDQ total difficulties"),
        ("", ""),
    ],
)
def test_lower_first_keeps_acronyms(text, words):
    assert lower_first(text) == words


def test_current_rating_comes_from_either_prefetch():
    def rating(scale, current):
        return SimpleNamespace(scale=SimpleNamespace(slug=scale), is_current=current)

    old, new, evidence = rating("cost", False), rating("cost", True), rating("evidence", True)

    from_history = SimpleNamespace(rating_history=[new, old, evidence])
    from_current = SimpleNamespace(current_ratings=[evidence, new])
    assert store_format.current_rating(from_history, "cost") is new
    assert store_format.current_rating(from_current, "cost") is new
    assert store_format.current_rating(SimpleNamespace(current_ratings=[]), "cost") is None


def test_rare_and_near_certain_events_keep_the_precision_they_need():
    assert percent(5, 2498) == "0.2%"
    assert percent(3, 2341) == "0.1%"
    assert percent(2497, 2498) == "99.96%"
    assert percent(0, 2498) == "0%" and percent(2498, 2498) == "100%"
    assert percent(1, 10**7) == "less than 0.001%"
    assert events_in_words(88391, 176782) == "88,391 of 176,782 (50%)"


def test_an_interval_end_that_is_not_zero_never_shows_as_zero():
    assert two_places(0.0024) == "0.0024"
    assert two_places(-0.0031) == "\u22120.0031"
    assert two_places(0.0) == "0.00"
    assert two_places(0.00001) == "less than 0.0001"
