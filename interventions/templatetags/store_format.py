"""Template filters for the public pages; the logic lives in interventions.formatting."""

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe

from interventions import formatting, plain_language

register = template.Library()


@register.filter
def ages(intervention) -> str:
    """The intervention's age range in words, e.g. "3 to 11 years"."""
    return formatting.age_range_in_words(intervention.min_age_months, intervention.max_age_months)


@register.filter
def money(amount) -> str:
    return formatting.money(amount)


@register.filter
def financial_year(year) -> str:
    return formatting.financial_year(year)


@register.filter
def yes_no(value) -> str:
    return formatting.yes_no(value)


@register.filter
def months_in_words(months) -> str:
    return formatting.months_in_words(months)


@register.filter
def current_rating(intervention, scale_slug: str):
    """The current rating on a scale, from the `current_ratings` prefetch, or else from
    the `rating_history` prefetch of every rating (no query either way)."""
    ratings = getattr(intervention, "current_ratings", None)
    if ratings is None:
        ratings = [r for r in getattr(intervention, "rating_history", ()) if r.is_current]
    for rating in ratings:
        if rating.scale.slug == scale_slug:
            return rating
    return None


@register.filter
def current_cost(intervention):
    """The current unit-cost estimate, from the `current_costs` prefetch (no query)."""
    costs = getattr(intervention, "current_costs", ())
    return costs[0] if costs else None


@register.filter
def p_value(value) -> str:
    return formatting.p_value(value)


@register.filter
def events_of(events, total) -> str:
    return formatting.events_in_words(events, total)


@register.filter
def uk_studies(studies) -> int:
    """How many of these (prefetched) studies took place in the UK."""
    return sum(1 for study in studies if study.in_uk)


@register.filter
def number(value) -> str:
    return formatting.number(value)


@register.filter
def two_places(value) -> str:
    """An effect size or interval end: "0.42", "−0.15"."""
    return formatting.two_places(value)


@register.filter
def signed(value) -> str:
    """An improvement index with its sign: "+16.28"."""
    return formatting.signed(value)


@register.filter
def level_anchor(rated) -> str:
    """The methods page's anchor for a Rating (with level and scale loaded) or a
    RatingLevel (with scale loaded)."""
    level = getattr(rated, "level", rated)
    return formatting.level_anchor(rated.scale.slug, level.code)


@register.filter
def cost_band(level) -> str:
    """A cost level's band in pounds, e.g. "from £100.00 up to, but not including, £500.00"."""
    return level.as_cost_band().describe()


@register.filter
def lower_first(text) -> str:
    """ "End of programme" -> "end of programme", mid-sentence; "SDQ" stays."""
    return formatting.lower_first(str(text))


@register.filter
def bubble_radius(count: int, most: int) -> str:
    """A circle's radius (in a 28-pixel box) whose area grows with the count."""
    if not most:
        return "0"
    return f"{3 + 10 * (count / most) ** 0.5:.1f}"


GLOSSARY_LINK = (
    '<a class="govuk-link app-glossary-link" href="{}#{}"><abbr title="{}">{}</abbr></a>'
)


@register.filter
def explain(text, glossary) -> str:
    """The text with each abbreviation the glossary knows linked to its explanation,
    e.g. "GAD-7" -> a link to /glossary/#gad-7 titled with what it means."""
    if not isinstance(glossary, plain_language.Glossary):
        glossary = plain_language.Glossary(glossary or ())
    if not text or not glossary.terms:
        return conditional_escape(text)
    parts, last = [], 0
    for match in glossary.pattern.finditer(str(text)):
        term = glossary.terms[match.group(1)]
        glossary_url = reverse("interventions:glossary")
        parts.append(conditional_escape(str(text)[last : match.start()]))
        parts.append(
            format_html(
                GLOSSARY_LINK,
                glossary_url,
                term.slug,
                term.meaning,
                term.term,
            )
        )
        last = match.end()
    parts.append(conditional_escape(str(text)[last:]))
    return mark_safe("".join(parts))  # noqa: S308 - every part is escaped above


@register.filter
def weight_in(finding, summary):
    """The finding's weight in its outcome domain's average (a ratings.evidence.Weight), or
    None when it is not plotted there (a study without a comparison group)."""
    weights = getattr(summary, "weights", None)
    return None if weights is None else weights.get(finding.pk)
