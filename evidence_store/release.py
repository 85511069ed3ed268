"""Which release of the code is serving: part of every cached public page's key and
ETag (publishing/page_cache.py), so a deploy that changes how pages look shows at
once, without anyone clearing the cache, and browsers and CDNs fetch the new pages.

A deploy may name its release in the environment (RELEASE, say the git commit).
Otherwise it is a digest of everything that shapes a page: the templates, the
Python code and the static files' manifest. Servers running the same code agree
on it; a server mid-way through a rolling deploy keeps its own pages apart.
"""

import functools
import hashlib
import os
from pathlib import Path

from django.conf import settings

SHAPING = (".py", ".html", ".txt")
# Folders that do not shape a page (or are not ours); hidden ones too (.venv, .pgdata).
SKIPPED = {"node_modules", "tests", "fixtures", "docs", "build", "__pycache__"}
# Besides the code: the versions of what it runs on (a new django-filter may change
# markup), and the static files' hashed names.
PINS = ("pyproject.toml", "package-lock.json")


def _files(root: Path):
    for folder, folders, names in os.walk(root):
        folders[:] = [
            f
            for f in folders
            if f not in SKIPPED and not f.startswith(".") and not f.endswith(".egg-info")
        ]
        yield from (Path(folder, name) for name in names if name.endswith(SHAPING))
    yield from (root / name for name in PINS)
    yield Path(settings.STATIC_ROOT) / "staticfiles.json"


@functools.cache
def _digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(_files(root)):
        name = path.relative_to(root) if path.is_relative_to(root) else path.name
        digest.update(str(name).encode())
        try:
            digest.update(path.read_bytes())
        except OSError:  # absent (no collected files in development) or unreadable
            digest.update(b"-")
    return digest.hexdigest()[:12]


def release() -> str:
    """The release's name: RELEASE from the environment, or the code's digest."""
    return settings.RELEASE or _digest(Path(settings.BASE_DIR))
