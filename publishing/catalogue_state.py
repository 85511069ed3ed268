"""The catalogue's publication state: a token that changes whenever the public site
does, and when it last changed. Cached pages are keyed by the token, and the HTTP
validators (ETag, Last-Modified) come from it, so a publication shows at once.

It lives in Django's cache, shared by every worker (and, with Redis, every
server). When the cache has lost it (first start, eviction, a Redis restart), a
new token is made: pages are rendered afresh, never stale, and Last-Modified
says "now", which is later than the truth and so never wrongly "not modified".
"""

import secrets
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

KEY = "catalogue-state"


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
