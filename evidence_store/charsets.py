"""Refuse a request whose Content-Type names a charset we cannot read, with a 400.

Django keeps any charset that `codecs.lookup` finds, including codecs that are
not text encodings (rot13, hex, base64, zlib): QueryDict then fails to decode
the query string or the form with a LookupError, a 500. A NUL in the charset
makes `codecs.lookup` raise ValueError while the request is built, before any
middleware runs. So the request class here keeps only charsets it can read, and
the first middleware answers any other with the site's 400 page.

The charset describes the body, not the address: a query string is always read
as UTF-8. Read with a narrower charset (ASCII, Windows-1252), a character from
the address could not be written back into a link, and the page failed.
"""

from __future__ import annotations

import codecs

from django.core.exceptions import BadRequest
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest, get_bytes_from_wsgi
from django.http import HttpRequest, HttpResponseBase, QueryDict
from django.urls import get_resolver
from django.utils.functional import cached_property
from django.utils.http import parse_header_parameters

# Query strings and url-encoded forms are ASCII: a charset must read these as ASCII does.
ASCII_PROBE = b"azAZ09=&%+-._~!*'();:@$,/?#[] \t\r\n"


def readable_charset(name: str) -> bool:
    """True if `name` is a text encoding that reads ASCII as ASCII."""
    try:
        info = codecs.lookup(name)
        return info._is_text_encoding and info.decode(ASCII_PROBE)[0] == ASCII_PROBE.decode()
    except (LookupError, ValueError, TypeError, UnicodeError):
        return False


class CharsetCheckedRequest(WSGIRequest):
    """A WSGIRequest that never takes an encoding it cannot decode with."""

    def _set_content_type_params(self, meta) -> None:
        self.content_type, self.content_params = parse_header_parameters(
            meta.get("CONTENT_TYPE", "")
        )
        charset = self.content_params.get("charset")
        if charset is not None and readable_charset(charset):
            self.encoding = charset

    @cached_property
    def GET(self) -> QueryDict:  # noqa: N802 (Django's name)
        return QueryDict(get_bytes_from_wsgi(self.environ, "QUERY_STRING", ""), encoding="utf-8")


class CharsetCheckedWSGIHandler(WSGIHandler):
    request_class = CharsetCheckedRequest


class RefuseUnreadableCharset:
    """Answer a request whose charset we cannot read with the 400 page, before
    anything reads its query string or form."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        charset = (request.content_params or {}).get("charset")
        if charset is not None and not readable_charset(charset):
            exception = BadRequest("The Content-Type names a charset we cannot read.")
            return get_resolver().resolve_error_handler(400)(request, exception)
        return self.get_response(request)
