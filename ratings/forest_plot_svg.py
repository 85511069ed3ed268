"""A forest plot's layout (`ratings.forest_plot`) drawn as SVG markup.

Written in Python rather than a template because a plot is a few hundred numbers
and almost no words: through the template engine, each coordinate cost a variable
lookup and a localisation, and the plots were half the intervention page's
rendering time. Text is escaped; numbers are printed to two decimal places at most.
No script and no inline styles, so the strict content security policy holds.
"""

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

from ratings.forest_plot import Diamond, ForestPlot, Row

INK = "#0b0c0c"
MUTED = "#505a5f"
POOLED = "#1d70b8"


def _n(value: float) -> str:
    """A coordinate: at most two decimal places, no trailing zeros."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def _label(plot: ForestPlot, item: Row | Diamond, bold: bool = False) -> str:
    """A label's text element, one tspan per wrapped line, spaces between them so the
    words stay apart for a screen reader or a copy and paste."""
    lines = " ".join(
        f'<tspan x="{_n(plot.left)}" y="{_n(line.y)}">{escape(line.text)}</tspan>'
        for line in item.lines
    )
    weight = ' font-weight="bold"' if bold else ""
    return (
        f'<text x="{_n(plot.left)}" y="{_n(item.text_y)}"{weight} class="app-forest-plot__label">'
        f"{lines}</text>"
        f'<text x="{_n(plot.right)}" y="{_n(item.numbers_y)}" text-anchor="end"{weight}>'
        f"{escape(item.numbers)}</text>"
    )


def _row(plot: ForestPlot, row: Row) -> str:
    arrows = "".join(
        f'<polygon points="{points}"/>' for points in (row.arrow_left, row.arrow_right) if points
    )
    return (
        '<g class="app-forest-plot__row">'
        + _label(plot, row)
        + f'<line x1="{_n(row.low_x)}" y1="{_n(row.line_y)}" x2="{_n(row.high_x)}" '
        f'y2="{_n(row.line_y)}" stroke="{INK}" stroke-width="2"/>'
        + arrows
        + f'<rect x="{_n(row.square_x)}" y="{_n(row.square_y)}" width="{_n(row.square)}" '
        f'height="{_n(row.square)}"/>'
        "</g>"
    )


def _diamond(plot: ForestPlot, diamond: Diamond) -> str:
    return (
        '<g class="app-forest-plot__pooled">'
        + _label(plot, diamond, bold=True)
        + f'<polygon points="{diamond.points}" fill="{POOLED}" stroke="{INK}" stroke-width="1"/>'
        "</g>"
    )


def _axis(plot: ForestPlot) -> str:
    last = len(plot.ticks) - 1
    ticks = "".join(
        f'<line x1="{_n(tick.x)}" y1="{_n(plot.axis_y)}" x2="{_n(tick.x)}" '
        f'y2="{_n(plot.tick_end_y)}" stroke="{INK}" stroke-width="1"/>'
        f'<text x="{_n(tick.x)}" y="{_n(plot.tick_label_y)}" '
        f'text-anchor="{"start" if i == 0 else "end" if i == last else "middle"}">'
        f"{escape(tick.label)}</text>"
        for i, tick in enumerate(plot.ticks)
    )
    return (
        '<g class="app-forest-plot__axis">'
        f'<line x1="{_n(plot.left)}" y1="{_n(plot.axis_y)}" x2="{_n(plot.plot_right)}" '
        f'y2="{_n(plot.axis_y)}" stroke="{INK}" stroke-width="1"/>'
        + ticks
        + f'<text x="{_n(plot.left)}" y="{_n(plot.favours_comparison_y)}">'
        f"{escape(plot.favours_comparison)}</text>"
        f'<text x="{_n(plot.plot_right)}" y="{_n(plot.favours_intervention_y)}" text-anchor="end">'
        f"{escape(plot.favours_intervention)}</text>"
        "</g>"
    )


def svg(plot: ForestPlot) -> SafeString:
    """The whole plot: an image whose accessible name is its title and description.
    Its text alternative is the findings table, which should follow it."""
    zero_line = "".join(
        f'<line x1="{_n(plot.zero_x)}" y1="{_n(top)}" x2="{_n(plot.zero_x)}" y2="{_n(bottom)}" '
        f'stroke="{MUTED}" stroke-width="1.5" stroke-dasharray="4 3"/>'
        for top, bottom in plot.zero_segments
    )
    opening = format_html(
        '<svg class="app-forest-plot__chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'aria-labelledby="{} {}" viewBox="0 0 {} {}" width="{}" height="{}" font-size="{}" '
        'fill="{}"><title id="{}">{}</title><desc id="{}">{}</desc>',
        plot.title_id,
        plot.description_id,
        _n(plot.width),
        _n(plot.height),
        _n(plot.width),
        _n(plot.height),
        plot.font,
        INK,
        plot.title_id,
        plot.title,
        plot.description_id,
        plot.description,
    )
    no_difference = (
        f'<text x="{_n(plot.no_difference_x)}" y="{_n(plot.label_y)}" text-anchor="middle" '
        f'fill="{MUTED}">{escape(plot.no_difference)}</text>'
    )
    rows = "".join(_row(plot, row) for row in plot.rows)
    diamond = _diamond(plot, plot.diamond) if plot.diamond else ""
    return mark_safe(  # noqa: S308 - every text above is escaped; the rest are numbers
        f'<div class="app-forest-plot">{opening}{no_difference}{zero_line}{rows}{diamond}'
        f"{_axis(plot)}</svg></div>"
    )
