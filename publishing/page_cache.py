"""Public pages: compressed, cached whole in Django's cache, and with HTTP validators.

Public content changes only when a curator publishes, so a public page is the
same for everyone until the next publication. This middleware

- compresses public responses (gzip): they carry no secrets, so BREACH has
  nothing to find; the admin is never compressed here;
- keeps each rendered public page in the cache, keyed by address, by the
  catalogue's state token (publishing/catalogue_state.py) and by the release of
  the code (evidence_store/release.py), so a publication or a deploy makes every
  cached page unreachable at once;
- sends ETag and Last-Modified from that state, answers conditional requests
  with 304, and Cache-Control that lets browsers and a CDN keep a page briefly
  and serve it stale while they check again.

It never caches for a visitor with a session or CSRF cookie (a curator), never
a response that sets a cookie or used a CSRF token, and only 200s from the
public URL namespaces. With PUBLIC_CACHE off (the default with DEBUG), it only
compresses.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date

from evidence_store.release import release
from publishing import catalogue_state

logger = logging.getLogger(__name__)

# The URL namespaces of the public site (publishing/urls.py).
PUBLIC_NAMESPACES = {"interventions", "ratings"}
gzip = GZipMiddleware(lambda request: None)


def is_public(request: HttpRequest) -> bool:
    match = getattr(request, "resolver_match", None)
    return match is not None and bool(PUBLIC_NAMESPACES & set(match.namespaces))


def is_personal(request: HttpRequest) -> bool:
    """A visitor with a session (a curator) or a CSRF cookie: never served from the cache."""
    return bool({settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME} & set(request.COOKIES))


def can_keep(request: HttpRequest, response: HttpResponseBase) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
        and not response.has_header("Set-Cookie")
        and "private" not in response.get("Cache-Control", "")
    )


def cache_key(request: HttpRequest, state: catalogue_state.State) -> str:
    """By state, release, scheme, host and full address, and whether the body is compressed."""
    gzipped = "gzip" in request.META.get("HTTP_ACCEPT_ENCODING", "")
    address = request.build_absolute_uri()  # validates the Host header
    digest = hashlib.sha256(address.encode()).hexdigest()
    return f"page:{state.token}:{release()}:{int(gzipped)}:{digest}"


def add_validators(response: HttpResponseBase, state: catalogue_state.State) -> None:
    # Weak: the same page compressed or not is the same content.
    response["ETag"] = f'W/"{state.token}-{release()}"'
    response["Last-Modified"] = http_date(state.changed_at)
    patch_cache_control(
        response,
        public=True,
        max_age=settings.PUBLIC_CACHE_MAX_AGE,
        stale_while_revalidate=settings.PUBLIC_CACHE_STALE,
    )


def _keep(key: str, response: HttpResponseBase) -> None:
    try:
        cache.set(key, response, settings.PUBLIC_CACHE_SECONDS)
    except OSError as error:  # a full disk costs the cache, not the page
        logger.warning("Page cache unavailable: %s", error)


class PublicPageCache:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if (
            not settings.PUBLIC_CACHE
            or request.method not in ("GET", "HEAD")
            or is_personal(request)
        ):
            return self._fresh(request)
        try:
            state = catalogue_state.current()
        except OSError as error:  # a cache folder we cannot use: serve, uncached
            logger.warning("Page cache unavailable: %s", error)
            return self._fresh(request)
        key = cache_key(request, state)
        response = cache.get(key)
        if response is None:
            response = self._fresh(request)
            if not is_public(request) or response.status_code != 200:
                return response
            if can_keep(request, response):
                add_validators(response, state)
                if request.method == "GET":
                    _keep(key, response)
            elif not response.streaming:
                return response
            else:
                add_validators(response, state)  # a download: validators, not kept
        return get_conditional_response(
            request,
            etag=response["ETag"],
            last_modified=int(state.changed_at),
            response=response,
        )

    def _fresh(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        if is_public(request):
            response = gzip.process_response(request, response)
        return response
