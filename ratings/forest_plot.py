"""A forest plot, as geometry for a server-rendered SVG.

One row per finding: its label, whole, on as many lines as it needs, then a
square at its effect size and a line across its 95% confidence interval, with
the numbers beside it. The square's area shows the finding's weight in the
pooled estimate. A diamond shows the pooled estimate, a dashed line marks zero
("no difference"), and an axis with ticks runs along the bottom. Pure functions
on plain numbers; the template `components/forest_plot.html` only draws what
`layout` returns.

All sizes are in the SVG's own units: the SVG scales to the width of its
container, so the numbers here set proportions, not pixels.
"""

import math
from dataclasses import dataclass

from interventions.formatting import two_places

WIDTH = 360
PAD = 8  # left and right margin
FONT = 12  # text size
CHAR = 0.55 * FONT  # a generous average character width, e.g. for the "No difference" label
LINE = 15  # from one line of a label to the next
TOP = 22  # room above the rows for the "No difference" label
ROW = 36  # a row with a one-line label: the text line, then the interval
SQUARE = 10  # side of a finding's square when there is no pooled estimate to weigh it in
LARGEST_SQUARE = 18  # the side of a square with all the weight (100%)
SMALLEST_SQUARE = 5  # however little the weight, a square stays visible
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
    weight: float | None = None  # percent of the pooled estimate; None without one

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


# Character widths as a share of the font size, generous enough for the wide fonts a
# system font stack can land on (DejaVu Sans, Verdana): a label wrapped with these never
# runs past its line, in any font.
NARROW = frozenset(" .,:;'!|()[]/-ijlftrI")
WIDE = frozenset("mwMW%@&—")


def text_width(text: str) -> float:
    """How wide `text` may be at the plot's font size, erring on the wide side."""
    units = 0.0
    for char in text:
        if char in NARROW:
            units += 0.42
        elif char in WIDE:
            units += 1.0
        elif char.isupper() or char.isdigit():
            units += 0.78
        else:
            units += 0.64
    return units * FONT


def wrap(text: str, room: float) -> list[str]:
    """The whole text on as many lines as it needs, each at most `room` units wide.
    Lines break between words; a word too long for a line of its own is split."""
    lines: list[str] = []
    line = ""
    for word in text.split():
        while text_width(word) > room:
            if line:
                lines.append(line)
                line = ""
            cut = len(word) - 1
            while cut > 1 and text_width(word[:cut]) > room:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        candidate = f"{line} {word}" if line else word
        if text_width(candidate) <= room:
            line = candidate
        else:
            lines.append(line)
            line = word
    if line or not lines:
        lines.append(line)
    return lines


def square_side(weight: float | None) -> float:
    """A square's side: its area is in proportion to its weight (percent), down to a
    smallest size that stays visible. Without a weight, every square is one size."""
    if weight is None:
        return SQUARE
    return round(max(SMALLEST_SQUARE, LARGEST_SQUARE * math.sqrt(max(weight, 0) / 100)), 2)


@dataclass(frozen=True)
class Line:
    text: str
    y: float


@dataclass(frozen=True)
class Row:
    label: str  # the whole label; `lines` is it wrapped to fit
    lines: list[Line]
    numbers: str
    text_y: float  # the first line's baseline
    line_y: float
    numbers_y: float  # the numbers sit on the interval's line, right of the plot
    point_x: float
    low_x: float
    high_x: float
    square_x: float  # top-left corner of the square
    square_y: float
    square: float  # its side
    bottom: float  # where the next row starts
    arrow_left: str  # polygon points, empty when the interval fits on the axis
    arrow_right: str


@dataclass(frozen=True)
class Diamond:
    label: str
    lines: list[Line]
    numbers: str
    text_y: float
    numbers_y: float
    points: str
    bottom: float


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


def _lines(label: str, top: float) -> list[Line]:
    return [
        Line(text, top + FONT + i * LINE) for i, text in enumerate(wrap(label, WIDTH - 2 * PAD))
    ]


def _interval_y(lines: list[Line]) -> float:
    """The interval's line, below the label's last line with room for the largest square."""
    return lines[-1].y + ROW - 10 - FONT


def _row(entry: Entry, top: float, scale: Scale) -> Row:
    lines = _lines(entry.label, top)
    line_y = _interval_y(lines)
    point_x = scale.x(entry.estimate)
    side = square_side(entry.weight)
    return Row(
        label=entry.label,
        lines=lines,
        numbers=entry.numbers,
        text_y=lines[0].y,
        line_y=line_y,
        numbers_y=line_y + FONT / 3,
        point_x=point_x,
        low_x=scale.x(entry.lower),
        high_x=scale.x(entry.upper),
        square_x=round(max(0, point_x - side / 2), 2),  # never past the chart's left edge
        square_y=round(line_y - side / 2, 2),
        square=side,
        bottom=line_y + 10,
        arrow_left=_arrow(scale.left, line_y, -1) if entry.lower < scale.lower else "",
        arrow_right=_arrow(scale.right, line_y, 1) if entry.upper > scale.upper else "",
    )


def _diamond(entry: Entry, top: float, scale: Scale) -> Diamond:
    lines = _lines(entry.label, top)
    y = _interval_y(lines)
    low, mid, high = scale.x(entry.lower), scale.x(entry.estimate), scale.x(entry.upper)
    half = DIAMOND_HALF_HEIGHT
    return Diamond(
        label=entry.label,
        lines=lines,
        numbers=entry.numbers,
        text_y=lines[0].y,
        numbers_y=y + FONT / 3,
        points=f"{low},{y} {mid},{y - half} {high},{y} {mid},{y + half}",
        bottom=y + 10,
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
    rows: list[Row] = []
    top = TOP
    for entry in entries:
        rows.append(_row(entry, top, scale))
        top = rows[-1].bottom
    diamond = _diamond(pooled, top, scale) if pooled else None
    drawn: list[Row | Diamond] = [*rows, *([diamond] if diamond else [])]
    axis_y = drawn[-1].bottom + 4
    # The zero line runs down each row's interval band, never through its label.
    zero_segments = [(row.lines[-1].y + 4, row.bottom) for row in drawn]
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
