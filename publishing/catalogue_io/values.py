"""How one model field's value is written in a catalogue file, and read back.

Money and percentages are strings with a fixed number of decimals (never floats,
which would lose pennies), dates are "YYYY-MM-DD", date-times are UTC with
microseconds and a "Z", countries are their two-letter codes.
"""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.db import models
from django_countries.fields import Country, CountryField

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%S.%fZ"
_DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z")


def decimal_pattern(places: int) -> re.Pattern[str]:
    """Every decimal in the catalogue is an amount or a percentage: never negative."""
    return re.compile(rf"\d+\.\d{{{places}}}")


def to_file(field: models.Field, value: Any) -> Any:
    """The JSON value for a model field's Python value."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return value.astimezone(UTC).strftime(DATETIME_FORMAT)
    if isinstance(field, models.DateField):
        return value.strftime(DATE_FORMAT)
    if isinstance(field, models.DecimalField):
        return f"{value:.{field.decimal_places}f}"
    if isinstance(field, CountryField):
        return value.code if isinstance(value, Country) else value
    if isinstance(field, ArrayField):
        return list(value)
    return value


def from_file(field: models.Field, value: Any) -> Any:
    """The model field's Python value for a JSON value already checked by validation."""
    if value is None:
        return None
    if isinstance(field, models.DateTimeField):
        return parse_datetime(value)
    if isinstance(field, models.DateField):
        return parse_date(value)
    if isinstance(field, models.DecimalField):
        return Decimal(value)
    if isinstance(field, models.FloatField):
        return float(value)
    return value


def parse_date(text: str) -> date:
    """Read "YYYY-MM-DD"; raises ValueError for anything else, e.g. "2026-02-30"."""
    if not _DATE_PATTERN.fullmatch(text):
        raise ValueError(text)
    return datetime.strptime(text, DATE_FORMAT).date()


def parse_datetime(text: str) -> datetime:
    """Read "YYYY-MM-DDTHH:MM:SS.ffffffZ" as an aware UTC date-time; ValueError otherwise."""
    if not _DATETIME_PATTERN.fullmatch(text):
        raise ValueError(text)
    return datetime.strptime(text, DATETIME_FORMAT).replace(tzinfo=UTC)
