"""A forest plot, as geometry for a server-rendered SVG.

One row per finding: its label on one line, then a square at its effect size
and a line across its 95% confidence interval, with the numbers beside it. A diamond shows the
pooled estimate, a dashed line marks zero ("no difference"), and an axis with
ticks runs along the bottom. Pure functions on plain numbers; the template
`components/forest_plot.html` only draws what `layout` returns.

All sizes are in the SVG's own units: the SVG scales to the width of its
container, so the numbers here set proportions, not pixels.
"""

import math
from dataclasses import dataclass

from interventions.formatting import two_places

WIDTH = 360
PAD = 8  # left and right margin
FONT = 12  # text size
CHAR = 0.55 * FONT  # a generous average character width, to fit labels on their line
TOP = 22  # room above the rows for the "No difference" label
ROW = 36  # one row: a text line, then the interval
SQUARE = 8  # side of a finding's square
DIAMOND_HALF_HEIGHT = 7
ARROW = 6  # length of the arrowhead on an interval that runs off the axis
AXIS = 62  # below the rows: ticks, their labels, then the two "favours" labels
NUMBERS = 150  # the column of numbers right of the plot, e.g. "−0.10 (−0.40 to 0.20)"
PLOT_RIGHT = WIDTH - PAD - NUMBERS
LIMIT = 3.0  # the axis covers at most -3 to 3 (rounded out); longer intervals end in an arrow
REACH = 0.5  # the axis always shows at least -0.5 to 0.5, so both sides can be read
MOST_TICKS = 5
NO_DIFFERENCE = "No difference"
FAVOURS_COMPARISON = "\u2190 Favours comparison"
FAVOURS_INTERVENTION = "Favours intervention \u2192"


@dataclass(frozen=True)
class Entry:
    """One estimate to plot, with its 95% confidence interval."""

    label: str
    estimate: float
    lower: float
    upper: float

    @property
    def numbers(self) -> str:
        return f"{two_places(self.estimate)} ({two_places(self.lower)} to {two_places(self.upper)})"


@dataclass(frozen=True)
class Scale:
    """Maps effect sizes in [lower, upper] onto x coordinates in [left, right]."""

    lower: float
    upper: float
    left: float
    right: float

    def x(self, value: float) -> float:
        clamped = min(max(value, self.lower), self.upper)
        share = (clamped - self.lower) / (self.upper - self.lower)
        return round(self.left + share * (self.right - self.left), 2)


STEP_MULTIPLES = (1, 2, 2.5, 5)


def _steps_from(span: float, most: int):
    """Round steps (1, 2, 2.5 or 5 times a power of ten), smallest first, from the
    first that could put at most `most` ticks on an axis of this length."""
    power = 10 ** math.floor(math.log10(span / most))
    while True:
        for multiple in STEP_MULTIPLES:
            yield multiple * power
        power *= 10


def _rounded_out(lower: float, upper: float, step: float) -> tuple[float, float]:
    return (
        round(math.floor(round(lower / step, 9)) * step, 9),
        round(math.ceil(round(upper / step, 9)) * step, 9),
    )


def tick_step(lower: float, upper: float, most: int = MOST_TICKS) -> float:
    """The smallest round step whose ticks, from lower rounded down to upper rounded
    up, number at most `most`."""
    if upper <= lower:
        raise ValueError("An axis needs a positive length.")
    for step in _steps_from(upper - lower, most):
        low, high = _rounded_out(lower, upper, step)
        if round((high - low) / step) + 1 <= most:
            return step
    raise AssertionError("unreachable")  # pragma: no cover


def axis_limits(lowest: float, highest: float) -> tuple[float, float]:
    """The axis's two ends: covering every interval (as far as -LIMIT to LIMIT) and zero,
    at least -REACH to REACH, rounded out to whole ticks."""
    lower = max(-LIMIT, min(-REACH, lowest))
    upper = min(LIMIT, max(REACH, highest))
    return _rounded_out(lower, upper, tick_step(lower, upper))


def ticks(lower: float, upper: float) -> list[float]:
    """Evenly spaced round values from lower to upper; zero is always one of them
    when the axis crosses it."""
    step = tick_step(lower, upper)
    first = math.ceil(round(lower / step, 9))
    last = math.floor(round(upper / step, 9))
    return [round(n * step, 9) + 0.0 for n in range(first, last + 1)]


def tick_label(value: float) -> str:
    text = f"{value:g}"
    return "0" if text in {"0", "-0"} else text.replace("-", "\u2212")


def fit(text: str, room: float) -> str:
    """The text, cut short with an ellipsis if it would run past `room` units."""
    most = int(room // CHAR)
    if len(text) <= most:
        return text
    return text[: max(most - 1, 1)].rstrip(" ,:") + "\u2026"


@dataclass(frozen=True)
class Row:
    label: str
    numbers: str
    text_y: float
    line_y: float
    numbers_y: float  # the numbers sit on the interval's line, right of the plot
    point_x: float
    low_x: float
    high_x: float
    square_x: float  # top-left corner of the square
    square_y: float
    arrow_left: str  # polygon points, empty when the interval fits on the axis
    arrow_right: str


@dataclass(frozen=True)
class Diamond:
    label: str
    numbers: str
    text_y: float
    numbers_y: float
    points: str


@dataclass(frozen=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True)
class ForestPlot:
    ident: str
    title: str
    description: str
    width: int
    height: float
    rows: list[Row]
    diamond: Diamond | None
    zero_x: float
    zero_segments: list[tuple[float, float]]  # broken where labels cross it
    axis_y: float
    ticks: list[Tick]
    no_difference_x: float
    left: float
    plot_right: float  # the axis ends here; the column of numbers is to its right
    right: float
    font: int = FONT
    square: int = SQUARE

    @property
    def label_y(self) -> float:
        return FONT

    @property
    def tick_end_y(self) -> float:
        return self.axis_y + 5

    @property
    def tick_label_y(self) -> float:
        return self.axis_y + 5 + FONT + 2

    @property
    def favours_comparison_y(self) -> float:
        return self.axis_y + AXIS - 24

    @property
    def favours_intervention_y(self) -> float:
        return self.axis_y + AXIS - 8

    @property
    def favours_comparison(self) -> str:
        return FAVOURS_COMPARISON

    @property
    def favours_intervention(self) -> str:
        return FAVOURS_INTERVENTION

    @property
    def no_difference(self) -> str:
        return NO_DIFFERENCE

    @property
    def title_id(self) -> str:
        return f"{self.ident}-title"

    @property
    def description_id(self) -> str:
        return f"{self.ident}-description"


def _arrow(tip: float, y: float, pointing: int) -> str:
    """Points of a small arrowhead at x = tip, pointing left (-1) or right (1)."""
    base = tip - pointing * ARROW
    half = ARROW / 2
    return f"{tip},{y} {base},{y - half} {base},{y + half}"


def _row(entry: Entry, top: float, scale: Scale) -> Row:
    line_y = top + ROW - 10
    point_x = scale.x(entry.estimate)
    return Row(
        label=fit(entry.label, WIDTH - 2 * PAD),
        numbers=entry.numbers,
        text_y=top + FONT,
        line_y=line_y,
        numbers_y=line_y + FONT / 3,
        point_x=point_x,
        low_x=scale.x(entry.lower),
        high_x=scale.x(entry.upper),
        square_x=round(point_x - SQUARE / 2, 2),
        square_y=line_y - SQUARE / 2,
        arrow_left=_arrow(scale.left, line_y, -1) if entry.lower < scale.lower else "",
        arrow_right=_arrow(scale.right, line_y, 1) if entry.upper > scale.upper else "",
    )


def _diamond(entry: Entry, top: float, scale: Scale) -> Diamond:
    y = top + ROW - 10
    low, mid, high = scale.x(entry.lower), scale.x(entry.estimate), scale.x(entry.upper)
    half = DIAMOND_HALF_HEIGHT
    return Diamond(
        label=entry.label,
        numbers=entry.numbers,
        text_y=top + FONT,
        numbers_y=y + FONT / 3,
        points=f"{low},{y} {mid},{y - half} {high},{y} {mid},{y + half}",
    )


def layout(
    *,
    ident: str,
    title: str,
    description: str,
    entries: list[Entry],
    pooled: Entry | None = None,
) -> ForestPlot:
    """Where everything goes, for these entries and an optional pooled estimate."""
    if not entries:
        raise ValueError("A forest plot needs at least one finding.")
    everything = [*entries, *([pooled] if pooled else [])]
    lower, upper = axis_limits(min(e.lower for e in everything), max(e.upper for e in everything))
    scale = Scale(lower, upper, PAD, PLOT_RIGHT)
    rows = [_row(entry, TOP + i * ROW, scale) for i, entry in enumerate(entries)]
    diamond = _diamond(pooled, TOP + len(rows) * ROW, scale) if pooled else None
    row_tops = [TOP + i * ROW for i in range(len(rows) + (1 if pooled else 0))]
    axis_y = TOP + len(row_tops) * ROW + 4
    # The zero line runs down each row's interval band, never through its label.
    zero_segments = [(top + FONT + 4, top + ROW) for top in row_tops]
    zero_segments[-1] = (zero_segments[-1][0], axis_y)
    zero_x = scale.x(0)
    half_label = len(NO_DIFFERENCE) * CHAR / 2
    return ForestPlot(
        ident=ident,
        title=title,
        description=description,
        width=WIDTH,
        height=axis_y + AXIS,
        rows=rows,
        diamond=diamond,
        zero_x=zero_x,
        zero_segments=zero_segments,
        axis_y=axis_y,
        ticks=[Tick(scale.x(value), tick_label(value)) for value in ticks(lower, upper)],
        no_difference_x=round(min(max(zero_x, PAD + half_label), PLOT_RIGHT - half_label), 2),
        left=PAD,
        plot_right=PLOT_RIGHT,
        right=WIDTH - PAD,
    )
