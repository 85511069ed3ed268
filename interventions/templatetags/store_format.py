"""Template filters for the public pages; the logic lives in interventions.formatting."""

from django import template

from interventions import formatting

register = template.Library()


@register.filter
def ages(intervention) -> str:
    """The intervention's age range in words, e.g. "3 to 11 years"."""
    return formatting.age_range_in_words(intervention.min_age_months, intervention.max_age_months)


@register.filter
def money(amount) -> str:
    return formatting.money(amount)


@register.filter
def yes_no(value) -> str:
    return formatting.yes_no(value)


@register.filter
def months_in_words(months) -> str:
    return formatting.months_in_words(months)


@register.filter
def current_rating(intervention, scale_slug: str):
    """The current rating on a scale, from the `current_ratings` prefetch (no query)."""
    for rating in getattr(intervention, "current_ratings", ()):
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
