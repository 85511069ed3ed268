"""Load a catalogue file into Python values, turning every way it can fail into one error."""

import json
from pathlib import Path
from typing import Any

from publishing.catalogue_io.errors import CatalogueError


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
    try:
        return json.loads(
            text, object_pairs_hook=_object_without_duplicates, parse_constant=_refuse_constant
        )
    except json.JSONDecodeError as error:
        raise CatalogueError(
            "", f"not valid JSON: {error.msg} at line {error.lineno} column {error.colno}"
        ) from None


def _object_without_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    # json.loads would silently keep the last of two equal keys; a file that says
    # two different things must be fixed, not guessed at.
    record: dict[str, Any] = {}
    for key, value in pairs:
        if key in record:
            raise CatalogueError("", f'not valid: the key "{key}" appears twice in one object')
        record[key] = value
    return record


def _refuse_constant(name: str) -> None:
    raise CatalogueError("", f"not valid JSON: {name} is not a number JSON allows")
