"""Checking a snapshot that comes from outside, such as a catalogue file being imported."""

from typing import Any

from publishing import snapshot
from publishing.listing import facts
from publishing.restore import restore
from ratings import evidence


def snapshot_problem(content: Any) -> str:
    """Why the public pages could not show this snapshot, or "" when they can.
    For snapshots from outside, such as a catalogue file being imported."""
    if not isinstance(content, dict) or content.get("format") != snapshot.FORMAT:
        return f'it must be an object with "format": {snapshot.FORMAT}'
    try:
        restored = restore(content, pk=0)
        facts(content)
        summary = evidence.summarise(restored.findings)
        for domain in summary.domains:
            domain.sentences, domain.forest_plot  # noqa: B018 - worked out to check them
        summary.assessment  # noqa: B018
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, ArithmeticError) as error:
        return f"{type(error).__name__}: {error}"
    return ""
