"""The forest plot's geometry: pure functions, checked by example and by properties
that must hold for any intervals (hypothesis)."""

import math
from xml.etree import ElementTree

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ratings import forest_plot
from ratings.forest_plot import (
    LIMIT,
    MOST_TICKS,
    REACH,
    Entry,
    Scale,
    axis_limits,
    layout,
    square_side,
    text_width,
    tick_label,
    tick_step,
    ticks,
    wrap,
)
from ratings.forest_plot_svg import svg

properties = settings(derandomize=True, database=None, deadline=None, max_examples=300)


def test_scale_maps_the_ends_and_the_middle_and_clamps_the_rest():
    scale = Scale(lower=-1, upper=1, left=10, right=210)

    assert [scale.x(v) for v in (-1, 0, 0.5, 1)] == [10, 110, 160, 210]
    assert scale.x(-5) == 10 and scale.x(5) == 210


@pytest.mark.parametrize(
    ("lower", "upper", "step"),
    [
        (-0.5, 0.5, 0.25),  # -0.5, -0.25, 0, 0.25, 0.5
        (-0.5, 2.0, 1),  # rounds out to -1 ... 2
        (-3, 3, 2),  # -4 ... 4 would be needed for 1.5; 2 fits
        (-0.05, 0.05, 0.025),
    ],
)
def test_tick_step_is_round_and_fits(lower, upper, step):
    assert tick_step(lower, upper) == step


def test_tick_step_needs_a_positive_length():
    with pytest.raises(ValueError, match="positive length"):
        tick_step(1, 1)


def test_axis_shows_both_sides_of_zero_even_when_every_effect_is_positive():
    lower, upper = axis_limits(0.1, 0.3)

    assert lower <= -REACH and upper >= REACH
    assert 0 in ticks(lower, upper)


def test_axis_stops_near_the_limit_for_huge_intervals():
    # -3 to 3, rounded out to the step of 2 that five ticks allow.
    assert axis_limits(-40, 25) == (-4, 4)
    assert ticks(-4, 4) == [-4, -2, 0, 2, 4]


@pytest.mark.parametrize(
    ("value", "label"), [(0.0, "0"), (-0.0, "0"), (0.5, "0.5"), (-0.25, "\u22120.25"), (2, "2")]
)
def test_tick_labels_use_a_true_minus_sign(value, label):
    assert tick_label(value) == label


intervals = st.tuples(
    st.floats(-20, 20, allow_nan=False), st.floats(0.001, 20, allow_nan=False)
).map(lambda pair: (pair[0], pair[0] + pair[1]))


@properties
@given(intervals)
def test_any_axis_is_round_covers_the_data_and_has_zero(interval):
    lowest, highest = interval

    lower, upper = axis_limits(lowest, highest)
    marks = ticks(lower, upper)

    step = marks[1] - marks[0]
    # Rounding out works to nine decimal places, so float noise never adds a tick:
    # an end may fall short of the data by less than that.
    noise = 1e-9
    assert -LIMIT - step < lower <= min(-REACH, max(lowest, -LIMIT)) + noise
    assert LIMIT + step > upper >= max(REACH, min(highest, LIMIT)) - noise
    assert 0 in marks
    assert 2 <= len(marks) <= MOST_TICKS
    assert marks[0] == pytest.approx(lower) and marks[-1] == pytest.approx(upper)
    gaps = {round(b - a, 9) for a, b in zip(marks, marks[1:], strict=False)}
    assert len(gaps) == 1  # evenly spaced


LONG_LABEL = (
    "Okafor (2019), 12 months after the programme ended: Strengths and Difficulties "
    "Questionnaire (SDQ) total difficulties score, as reported by the child's main carer"
)


def test_a_long_label_wraps_onto_lines_and_keeps_every_word():
    room = 200

    lines = wrap(LONG_LABEL, room)

    assert len(lines) > 1
    assert " ".join(lines) == LONG_LABEL
    assert all(text_width(line) <= room for line in lines)
    assert wrap("Short label", room) == ["Short label"]


def test_a_word_too_long_for_a_line_is_split_not_cut():
    word = "Hyperkineticconductdisorderinventory" * 3

    lines = wrap(f"SDQ {word}", 150)

    assert "".join(lines[1:]) == word and lines[0] == "SDQ"
    assert all(text_width(line) <= 150 for line in lines)


def test_capitals_and_wide_letters_are_allowed_more_room_than_narrow_ones():
    assert text_width("WWWW") > text_width("SDQS") > text_width("aaaa") > text_width("iiii")


ENTRIES = [
    Entry("Okafor (2019): SDQ", 0.42, 0.15, 0.69),
    Entry("Lindqvist (2020): Eyberg", -0.10, -0.40, 0.20),
]
POOLED = Entry("Average of 2 studies", 0.20, -0.05, 0.45)


def plot(entries=ENTRIES, pooled=POOLED):
    return layout(ident="forest-x", title="T", description="D", entries=entries, pooled=pooled)


def test_each_finding_is_a_row_with_its_square_inside_its_interval():
    drawn = plot()

    assert [row.label for row in drawn.rows] == ["Okafor (2019): SDQ", "Lindqvist (2020): Eyberg"]
    assert drawn.rows[0].line_y < drawn.rows[1].line_y < drawn.axis_y
    for row in drawn.rows:
        assert row.low_x < row.point_x < row.high_x
        assert row.square_x + row.square / 2 == pytest.approx(row.point_x)
        assert row.square_y + row.square / 2 == pytest.approx(row.line_y)


def test_better_results_sit_right_of_the_zero_line():
    drawn = plot()

    assert drawn.rows[0].point_x > drawn.zero_x > drawn.rows[1].point_x
    assert drawn.favours_intervention.startswith("Favours intervention")
    assert drawn.favours_comparison.endswith("Favours comparison")


def test_numbers_are_given_to_two_places_with_a_true_minus_sign():
    drawn = plot()

    assert drawn.rows[0].numbers == "0.42 (0.15 to 0.69)"
    assert drawn.rows[1].numbers == "\u22120.10 (\u22120.40 to 0.20)"
    assert drawn.diamond.numbers == "0.20 (\u22120.05 to 0.45)"


def test_the_diamond_spans_the_pooled_interval_below_the_findings():
    drawn = plot()

    points = [tuple(map(float, p.split(","))) for p in drawn.diamond.points.split()]
    xs = [x for x, _ in points]
    scale = Scale(*axis_limits(-0.40, 0.69), forest_plot.PAD, forest_plot.PLOT_RIGHT)
    assert min(xs) == pytest.approx(scale.x(-0.05))
    assert max(xs) == pytest.approx(scale.x(0.45))
    assert scale.x(0.20) in xs
    assert all(y > drawn.rows[-1].line_y for _, y in points)


def test_no_pooled_estimate_means_no_diamond_and_a_shorter_chart():
    assert plot(pooled=None).diamond is None
    assert plot(pooled=None).height < plot().height


def test_intervals_beyond_the_axis_end_in_an_arrow():
    drawn = plot(entries=[Entry("Tiny study", 0.5, -4.2, 5.2)], pooled=None)

    row = drawn.rows[0]
    assert row.low_x == drawn.left and row.high_x == drawn.plot_right
    assert row.arrow_left and row.arrow_right
    assert not plot().rows[0].arrow_left


def test_the_zero_line_never_crosses_a_label():
    drawn = plot(entries=[*ENTRIES, Entry(LONG_LABEL, 0.1, -0.2, 0.4)])

    for top, bottom in drawn.zero_segments:
        for row in [*drawn.rows, drawn.diamond]:
            label_top = row.lines[0].y - forest_plot.FONT
            assert bottom <= label_top or top >= row.lines[-1].y


def test_a_long_label_is_drawn_whole_and_its_row_grows_to_hold_it():
    short, long = plot(entries=[ENTRIES[0], Entry(LONG_LABEL, 0.1, -0.2, 0.4)], pooled=None).rows

    assert long.label == LONG_LABEL
    assert " ".join(line.text for line in long.lines) == LONG_LABEL
    assert len(long.lines) > 1 and len(short.lines) == 1
    assert [line.y for line in long.lines] == sorted({line.y for line in long.lines})
    assert long.line_y - long.lines[-1].y == short.line_y - short.lines[-1].y
    assert long.bottom - long.text_y > short.bottom - short.text_y
    assert long.text_y > short.line_y


def test_a_bigger_weight_draws_a_bigger_square_with_area_in_proportion():
    small, big = plot(
        entries=[
            Entry("Small study", 0.3, 0.0, 0.6, weight=20),
            Entry("Big study", 0.1, -0.1, 0.3, weight=80),
        ],
        pooled=POOLED,
    ).rows

    assert big.square > small.square
    assert (big.square / small.square) ** 2 == pytest.approx(80 / 20, rel=0.01)
    assert big.square <= forest_plot.LARGEST_SQUARE


def test_a_tiny_weight_still_draws_a_visible_square():
    assert square_side(0.01) == forest_plot.SMALLEST_SQUARE
    assert square_side(0) == forest_plot.SMALLEST_SQUARE
    assert square_side(100) == forest_plot.LARGEST_SQUARE


def test_without_weights_every_square_is_one_standard_size():
    rows = plot(pooled=None).rows

    assert {row.square for row in rows} == {forest_plot.SQUARE}


def test_ticks_sit_on_the_axis_at_their_values():
    drawn = plot()

    lower, upper = axis_limits(-0.40, 0.69)
    scale = Scale(lower, upper, forest_plot.PAD, forest_plot.PLOT_RIGHT)
    assert [t.x for t in drawn.ticks] == [scale.x(v) for v in ticks(lower, upper)]
    assert "0" in [t.label for t in drawn.ticks]
    assert drawn.zero_x == scale.x(0)


def test_a_chart_needs_a_finding():
    with pytest.raises(ValueError, match="at least one finding"):
        layout(ident="x", title="T", description="D", entries=[])


labels = st.text(alphabet="abcdefghijklmnopqrstuvwxyzSDQW(),:- 0123456789", max_size=300)


@properties
@given(st.lists(st.tuples(intervals, labels, st.floats(0, 100)), min_size=1, max_size=30))
def test_everything_is_drawn_inside_the_chart(rows):
    entries = [
        Entry(label, (low + high) / 2, low, high, weight) for (low, high), label, weight in rows
    ]

    drawn = layout(ident="x", title="T", description="D", entries=entries)

    previous_bottom = 0
    for row, entry in zip(drawn.rows, entries, strict=True):
        assert drawn.left <= row.low_x <= row.point_x <= row.high_x <= drawn.plot_right
        assert previous_bottom < row.text_y < row.line_y < drawn.axis_y < drawn.height
        assert row.line_y + row.square / 2 <= row.bottom
        assert row.square_y > row.lines[-1].y
        assert row.square_x >= 0 and row.square_x + row.square <= drawn.right
        # Every character is drawn (a word longer than a line is split across lines).
        drawn_text = "".join(line.text for line in row.lines).replace(" ", "")
        assert drawn_text == entry.label.replace(" ", "")
        assert all(text_width(line.text) <= drawn.right - drawn.left for line in row.lines)
        previous_bottom = row.bottom
    assert all(math.isfinite(t.x) and drawn.left <= t.x <= drawn.plot_right for t in drawn.ticks)


def test_the_svg_is_well_formed_escapes_its_text_and_draws_every_row():
    risky = Entry('Smith & Jones <2020>: "mood"', 0.3, -0.1, 0.7, weight=40)
    drawn = layout(ident="p", title="A & B", description="<d>", entries=[risky, *ENTRIES])
    markup = str(svg(drawn))

    chart = ElementTree.fromstring(markup).find("{http://www.w3.org/2000/svg}svg")
    ns = {"svg": "http://www.w3.org/2000/svg"}
    assert chart.find("svg:title", ns).text == "A & B"
    assert chart.find("svg:desc", ns).text == "<d>"
    rows = chart.findall("svg:g[@class='app-forest-plot__row']", ns)
    assert len(rows) == len(ENTRIES) + 1
    label = " ".join(tspan.text for tspan in rows[0].find("svg:text", ns))
    assert label == risky.label
    assert len(chart.findall("svg:g[@class='app-forest-plot__pooled']", ns)) == 0
