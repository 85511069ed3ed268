"""The forest plot filter: a ratings.forest_plot.ForestPlot drawn as SVG markup."""

from django import template

from ratings.forest_plot_svg import svg

register = template.Library()


@register.filter
def forest_plot_svg(plot) -> str:
    return svg(plot)
