"""Load a catalogue file into Python values, turning every way it can fail into one error."""

import json
from pathlib import Path
from typing import Any

from publishing.catalogue_io.errors import CatalogueError, quoted

# The longest whole number in a catalogue is a study id, at most 9223372036854775807
# (19 digits). Longer ones are refused while reading: Python will not even turn one
# of over 4,300 digits into a number.
MOST_DIGITS = 19


def read_catalogue_file(path: Path) -> Any:
    """The parsed JSON of the file; not yet checked against the format."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError("", "no such file") from None
    except IsADirectoryError:
        raise CatalogueError("", "is a folder, not a catalogue file") from None
    except UnicodeDecodeError as error:
        raise CatalogueError("", f"not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise CatalogueError("", f"cannot be read ({error.strerror})") from None
    if not text.strip():
        raise CatalogueError("", "is empty, not a catalogue file")
    if text.startswith("\ufeff"):
        raise CatalogueError(
            "", "starts with a byte order mark (BOM): save it as UTF-8 without one"
        )
    try:
        return json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_constant=_refuse_constant,
            parse_int=_whole_number,
        )
    except json.JSONDecodeError as error:
        raise CatalogueError(
            "", f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None
    except RecursionError:
        # No catalogue nests more than a few levels; Python's parser gives up near 1,000.
        raise CatalogueError(
            "", "not valid: lists or objects are nested too deeply to be a catalogue"
        ) from None


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would silently keep the last of two equal keys; a file that says
    # two different things must be fixed, not guessed at.
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise CatalogueError(
                "", f"not valid: the key {quoted(key)} appears twice in one object"
            )
        record[key] = value
    return record


def _refuse_constant(name: str) -> None:
    raise CatalogueError("", f"not valid JSON: {name} is not a number JSON allows")


def _whole_number(text: str) -> int:
    digits = len(text.lstrip("-"))
    if digits > MOST_DIGITS:
        raise CatalogueError(
            "",
            f"not valid: a whole number of {digits} digits; no number in a catalogue has "
            f"more than {MOST_DIGITS}",
        )
    return int(text)
