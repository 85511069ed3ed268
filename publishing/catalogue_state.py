"""The catalogue's publication state: a token that changes whenever the public site
does, and when it last changed. Cached pages are keyed by the token, and the HTTP
validators (ETag, Last-Modified) come from it, so a publication shows at once.

It lives in Django's cache, shared by every worker (and, with Redis, every
server). When the cache has lost it (first start, eviction, a Redis restart), a
new token is made: pages are rendered afresh, never stale, and Last-Modified
says "now", which is later than the truth and so never wrongly "not modified".
"""

import logging
import secrets
import threading
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

KEY = "catalogue-state"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class State:
    token: str
    changed_at: float  # seconds since the epoch


def _new() -> tuple[str, float]:
    return secrets.token_hex(8), time.time()


def current() -> State:
    value = cache.get(KEY)
    if value is None:
        # `add`, so workers starting together agree on one token.
        cache.add(KEY, _new(), timeout=None)
        value = cache.get(KEY) or _new()
    return State(*value)


def _bump() -> None:
    cache.set(KEY, _new(), timeout=None)


def changed() -> None:
    """The public site has changed. A new token now, and another when the transaction
    commits: a page rendered in between (from the data as it was) is never served."""
    _bump()
    transaction.on_commit(_bump)


# What a process keeps until the catalogue changes: the filters' options, the facet
# index, the glossary and the demonstration notice.
_kept: dict[str, tuple[str, object]] = {}
_loading = threading.Lock()


def kept(name: str, load):
    """`load()`, kept in this process until the catalogue changes (its token)."""
    try:
        token = current().token
    except OSError as error:  # a cache folder we cannot use: the page, without reuse
        logger.warning("Catalogue state unavailable, %s not kept: %s", name, error)
        return load()
    kept = _kept.get(name)
    if kept is not None and kept[0] == token:
        return kept[1]
    with _loading:
        kept = _kept.get(name)
        if kept is None or kept[0] != token:
            kept = (token, load())
            _kept[name] = kept
        return kept[1]


def forget() -> None:
    """Drop what is kept (tests, whose database is rolled back under the same token)."""
    _kept.clear()
