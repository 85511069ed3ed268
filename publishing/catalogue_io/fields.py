"""Check one value in a catalogue file against the model field it will be stored in.

The model is the single source of each field's rules (type, null, blank,
choices, length, ranges), so the file is held to exactly what the admin
would accept, and a new validator on a model applies to imports too.
"""

import math
from collections.abc import Callable
from typing import Any

from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django_countries import countries
from django_countries.fields import CountryField

from publishing.catalogue_io.errors import CatalogueError, quoted
from publishing.catalogue_io.values import decimal_pattern, from_file, parse_date, parse_datetime

# Small enums are listed in messages; longer ones (countries) are not.
_LISTED_CHOICES = 12


def check_field(model: type[models.Model], name: str, value: Any, path: str) -> None:
    """Raise CatalogueError at `path` unless `value` is a valid file value for `model.name`."""
    field = model._meta.get_field(name)
    if value is None:
        if field.null:
            return
        raise CatalogueError(path, "must not be null")
    if isinstance(field, ArrayField):
        _check_type(field, value, path)
        if field.size is not None and len(value) > field.size:
            raise CatalogueError(path, f"must have at most {field.size} items")
        for index, item in enumerate(value):
            check_field_value(field.base_field, item, f"{path}[{index}]")
        return
    check_field_value(field, value, path)


def check_field_value(field: models.Field, value: Any, path: str) -> None:
    """Check a value that is not null (or an item of a list field)."""
    _check_type(field, value, path)
    if not field.blank and value == "":
        raise CatalogueError(path, "must not be empty")
    if isinstance(field, CountryField):
        if value not in countries:
            raise CatalogueError(
                path,
                f'unknown country {quoted(value)}; use a two-letter ISO 3166-1 code such as "GB"',
            )
    elif field.choices and not isinstance(field, models.BooleanField):
        # A yes/no choice (e.g. higher_is_better) is a JSON true or false, checked above.
        allowed = [str(choice) for choice, _label in field.flatchoices]
        if value not in allowed:
            listed = ", ".join(allowed) if len(allowed) <= _LISTED_CHOICES else "see the format"
            raise CatalogueError(
                path, f"unknown {field.name} {quoted(value)}; expected one of {listed}"
            )
    if isinstance(field, models.TextField) and field.max_length and len(value) > field.max_length:
        # A TextField's limit is kept by its form, not a validator: hold the file to it too.
        raise CatalogueError(path, f"must be at most {field.max_length} characters")
    python_value = from_file(field, value)
    if python_value in field.empty_values:
        return
    for validator in field.validators:
        try:
            validator(python_value)
        except ValidationError as error:
            raise CatalogueError(path, _sentence(error.messages[0])) from None


def _check_type(field: models.Field, value: Any, path: str) -> None:
    if isinstance(field, ArrayField):
        if not isinstance(value, list):
            raise CatalogueError(path, "must be a list")
    elif isinstance(field, models.BooleanField):
        if not isinstance(value, bool):
            raise CatalogueError(path, "must be true or false")
    elif isinstance(field, models.IntegerField):  # includes the auto id
        if isinstance(value, bool) or not isinstance(value, int):
            raise CatalogueError(path, "must be a whole number")
    elif isinstance(field, models.FloatField):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise CatalogueError(path, "must be a number")
        if not math.isfinite(value):
            raise CatalogueError(path, "must be a finite number")
    elif isinstance(field, models.DecimalField):
        places = field.decimal_places
        if not isinstance(value, str) or not decimal_pattern(places).fullmatch(value):
            example = "1250." + "0" * places
            raise CatalogueError(
                path, f'must be a string with {places} decimal places, like "{example}"'
            )
    elif isinstance(field, models.DateTimeField):
        _check_parses(parse_datetime, value, path, 'a UTC date-time "2026-03-01T09:30:00.000000Z"')
    elif isinstance(field, models.DateField):
        _check_parses(parse_date, value, path, 'a date "YYYY-MM-DD"')
    elif isinstance(field, models.CharField | models.TextField):
        if not isinstance(value, str):
            raise CatalogueError(path, "must be a string")
        if "\x00" in value:
            # PostgreSQL cannot store the NUL character in text.
            raise CatalogueError(path, "must not contain the NUL character")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as error:
            # JSON's "\ud800" escape: half of a character, which no database stores.
            half = quoted(error.object[error.start])
            raise CatalogueError(
                path, f"must be Unicode text, but has half a character ({half} at {error.start})"
            ) from None
    else:
        raise TypeError(f"The catalogue format has no rule for {field!r}")


def _check_parses(parse: Callable[[str], object], value: Any, path: str, expected: str) -> None:
    try:
        if not isinstance(value, str):
            raise ValueError(value)
        parse(value)
    except ValueError:
        raise CatalogueError(path, f"must be {expected}") from None


def _sentence(message: str) -> str:
    """Django's validator messages read as sentences; ours are lower-case clauses."""
    return message[:1].lower() + message[1:].rstrip(".")
