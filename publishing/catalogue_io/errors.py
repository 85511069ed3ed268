"""The one error every step of reading, checking and importing a catalogue raises."""

import json
from typing import Any

# A message quotes at most this many characters of a value from the file.
QUOTED_CHARACTERS = 60


class CatalogueError(Exception):
    """A catalogue file that cannot be imported, with where the problem is in the file."""

    def __init__(self, path: str, problem: str) -> None:
        super().__init__(f"{path}: {problem}" if path else problem)
        self.path = path
        self.problem = problem


def quoted(value: Any) -> str:
    """A value from the file as a message shows it: text in quotes, cut short, with any
    character that cannot be printed escaped; a list or an object by its kind only."""
    if isinstance(value, str):
        text = value if len(value) <= QUOTED_CHARACTERS else value[:QUOTED_CHARACTERS] + "…"
        printable = text.encode("utf-8", "backslashreplace").decode("utf-8")
        return f'"{printable}"'
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    # Numbers (never more than 19 digits: see reader), true, false and null.
    return json.dumps(value)
