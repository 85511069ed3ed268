"""Plain-words formatting for the public pages: ages, money, yes/no, effect sizes.

Pure functions, so tests call them directly and templates use them through
the `store_format` template filters.
"""

from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal


def _plural(number: int, word: str) -> str:
    return f"{number} {word}" if number == 1 else f"{number} {word}s"


def age_in_words(months: int) -> str:
    """One age in words: "pre-birth", "birth", "18 months", "3 years", "2 years 6 months"."""
    if months < 0:
        return "pre-birth"
    if months == 0:
        return "birth"
    if months < 24:
        return _plural(months, "month")
    years, rest = divmod(months, 12)
    if rest == 0:
        return _plural(years, "year")
    return f"{_plural(years, 'year')} {_plural(rest, 'month')}"


def age_range_in_words(min_months: int, max_months: int) -> str:
    """An age range in words, e.g. "3 to 11 years", "pre-birth to 2 years", "6 to 18 months".

    The unit is said once when both ends use the same one ("3 to 11 years",
    not "3 years to 11 years").
    """
    low, high = age_in_words(min_months), age_in_words(max_months)
    if low == high:
        return low
    low_number, _, low_unit = low.partition(" ")
    high_number, _, high_unit = high.partition(" ")
    same_plain_unit = (
        low_unit
        and low_unit.rstrip("s") == high_unit.rstrip("s")
        and " " not in low_unit
        and low_number.isdigit()
    )
    if same_plain_unit:
        return f"{low_number} to {high}"
    return f"{low} to {high}"


def money(amount: Decimal | int | float | None) -> str:
    """Pounds for people: "£850", "£1,250", "£12.50". Empty for None."""
    if amount is None:
        return ""
    value = Decimal(str(amount)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value == value.to_integral_value():
        return f"{sign}£{value:,.0f}"
    return f"{sign}£{value:,.2f}"


def financial_year(year: int | None) -> str:
    """A price year in words: the financial year that starts in it, "2024 to 2025"."""
    return "" if year is None else f"{year} to {year + 1}"


def yes_no(value: bool | None) -> str:
    """ "Yes", "No" or "Not reported"."""
    if value is None:
        return "Not reported"
    return "Yes" if value else "No"


def months_in_words(months: int | None) -> str:
    """A length of time such as follow-up: "none", "6 months", "2 years", "Not reported"."""
    if months is None:
        return "Not reported"
    if months == 0:
        return "none"
    if months % 12 == 0:
        return _plural(months // 12, "year")
    return _plural(months, "month")


SIGNIFICANCE_THRESHOLD = Decimal("0.05")


def p_value(value: float | None) -> str:
    """A p-value to three decimals: "0.003", "0.050", "less than 0.001", or "Not reported".

    A value just below 0.05 gets four decimals, rounded down, so that rounding never
    carries it up to the usual significance threshold: 0.0496 is "0.0496", not "0.050".
    """
    if value is None:
        return "Not reported"
    exact = Decimal(str(value))  # the number as written, free of binary-float noise
    if exact < Decimal("0.001"):
        return "less than 0.001"
    shown = exact.quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
    if exact < SIGNIFICANCE_THRESHOLD <= shown:
        shown = exact.quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
    return f"{shown}"


def events_in_words(events: int | None, total: int | None) -> str:
    """A yes/no outcome count: "31 of 100 (31%)"."""
    if events is None or not total:
        return "Not reported"
    return f"{events:,} of {total:,} ({percent(events, total)})"


def number(value: float | None, places: int = 3) -> str:
    """A reported number without trailing zeros: 5.1 -> "5.1", 12.0 -> "12", 0.3333 -> "0.333"."""
    if value is None:
        return ""
    text = f"{value:,.{places}f}".rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text


MINUS = "\u2212"  # a true minus sign: screen readers say "minus", and it lines up with "+"


def two_places(value: float | None) -> str:
    """An effect size or interval end to two decimals: "0.42", "−0.15". Empty for None.

    A value that is not zero never shows as "0.00": an interval from 0.0024 would read
    as touching "no difference" while the verdict says it is unlikely to be chance.
    Small values keep two significant digits instead ("0.0024", "−0.0031")."""
    if value is None:
        return ""
    text = f"{value:.2f}"
    if text in {"-0.00", "0.00"}:
        if value == 0:
            return "0.00"
        if abs(value) < 1e-4:
            return "less than 0.0001" if value > 0 else f"more than {MINUS}0.0001"
        text = f"{value:.2g}"
    return text.replace("-", MINUS)


def signed(value: float | None) -> str:
    """A change to two decimals with its sign: "+12.34", "−3.10", "0.00"."""
    text = two_places(value)
    if text and text != "0.00" and not text.startswith(MINUS):
        return f"+{text}"
    return text


def ordinal(number: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st, 62nd."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def percent(events: int, total: int) -> str:
    """A share as a percentage: whole ("31%") unless that would hide a rare event or a
    near-certain one: 5 of 2,498 is "0.2%", not "0%", and 2,497 of 2,498 is "99.96%",
    not "100%". Never more than three decimals ("less than 0.001%")."""
    share = Decimal(events * 100) / Decimal(total)
    for places in range(4):
        shown = share.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
        if shown not in (0, 100) or shown == share:
            return f"{shown:f}%"
    return "less than 0.001%" if share < 50 else "more than 99.999%"


def level_anchor(scale_slug: str, code: str) -> str:
    """The methods page's anchor for a rating level: "evidence-3-plus", "evidence-nl2", "cost-3"."""
    prefix = "evidence" if scale_slug == "evidence-strength" else scale_slug
    readable = code.strip().lower().replace("+", "-plus")
    cleaned = "".join(c if c.isascii() and (c.isalnum() or c == "-") else "-" for c in readable)
    return f"{prefix}-{cleaned.strip('-')}"


def lower_first(text: str) -> str:
    """ "Mental health" -> "mental health", in a sentence; acronyms ("SDQ") keep their capitals."""
    if len(text) > 1 and text[1].isupper():
        return text
    return text[:1].lower() + text[1:]
