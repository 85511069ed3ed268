"""Any request headers, any charset: a page or a clear 400, never a 500.

A Content-Type naming a codec that is not a text encoding (rot13, hex,
base64, zlib) used to reach QueryDict, which cannot decode with it; a NUL in
the charset broke the request before any middleware ran. These tests call the
WSGI application itself, as gunicorn does, not only the test client.
"""

import io
from urllib.parse import urlsplit
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

PUBLIC_URLS = ["/", "/interventions/?q=family", "/methods/", "/no-such-page/", "/admin/login/"]
NOT_TEXT = ["rot13", "rot_13", "hex", "base64", "zlib", "bz2", "uu", "quopri"]
UNKNOWN = ["nonsense", "utf-9", "", "\x00", "utf-8\x00", "x" * 300]
# Text encodings that do not read a query string's ASCII as ASCII.
NOT_ASCII = ["utf-16", "utf-32", "utf-7", "cp500", "punycode"]
TEXT = ["utf-8", "UTF-8", "latin-1", "iso-8859-15", "windows-1252", "ascii", "shift_jis"]


def anonymous() -> Client:
    return Client(raise_request_exception=False)


def wsgi(method: str, url: str, body: bytes = b"", **environ: str) -> tuple[int, str]:
    """Call evidence_store.wsgi.application as a WSGI server would: (status, page)."""
    from evidence_store.wsgi import application

    parts = urlsplit(url)
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": parts.path,
        "QUERY_STRING": parts.query,
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        **environ,
    }
    setup_testing_defaults(environ)
    started = []
    # As Django's test client does: keep the test's transaction open across the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, lambda status, headers, exc_info=None: started.append(status))
        try:
            page = b"".join(result).decode("utf-8", "replace")
        finally:
            getattr(result, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return int(started[0].split()[0]), page


@pytest.mark.parametrize("charset", NOT_TEXT)
@pytest.mark.parametrize("path", PUBLIC_URLS)
def test_a_charset_that_is_not_a_text_encoding_gets_a_clear_400(charset, path):
    get = wsgi("GET", path, CONTENT_TYPE=f"text/plain; charset={charset}")
    post = wsgi(
        "POST",
        path,
        b"username=a&password=b",
        CONTENT_TYPE=f"application/x-www-form-urlencoded; charset={charset}",
    )
    for status, page in (get, post):
        assert status == 400, (path, charset)
        assert "Sorry, we could not read that request" in page


@pytest.mark.parametrize("charset", UNKNOWN + NOT_ASCII)
def test_an_unknown_charset_or_one_that_cannot_read_ascii_gets_a_clear_400(charset):
    status, page = wsgi("GET", "/methods/", CONTENT_TYPE=f"text/plain; charset={charset}")
    assert status == 400, charset
    assert "Sorry, we could not read that request" in page


@pytest.mark.parametrize("charset", TEXT)
def test_a_text_charset_gets_the_page(charset):
    status, page = wsgi(
        "GET", "/interventions/?q=family", CONTENT_TYPE=f"text/plain; charset={charset}"
    )
    assert status == 200, charset
    assert "family" in page


# Header values reach Django as WSGI strings: latin-1 code points.
latin1 = st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=255), max_size=60)
charsets = st.sampled_from(NOT_TEXT + UNKNOWN + NOT_ASCII + TEXT) | latin1
content_types = (
    st.builds(
        "{}; charset={}".format,
        st.sampled_from(
            ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data", "text/html"]
        ),
        charsets,
    )
    | latin1
)
HEADERS = [
    "HTTP_ACCEPT",
    "HTTP_ACCEPT_LANGUAGE",
    "HTTP_ACCEPT_ENCODING",
    "HTTP_COOKIE",
    "HTTP_REFERER",
    "HTTP_ORIGIN",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_FORWARDED_PROTO",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_RANGE",
]


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    path=st.sampled_from(PUBLIC_URLS),
    method=st.sampled_from(["GET", "POST", "HEAD", "PUT", "OPTIONS", "DELETE"]),
    content_type=content_types,
    headers=st.dictionaries(st.sampled_from(HEADERS), latin1, max_size=4),
    body=st.binary(max_size=80),
)
def test_no_request_headers_give_a_server_error(path, method, content_type, headers, body):
    status, _ = wsgi(method, path, body, CONTENT_TYPE=content_type, **headers)
    assert status < 500, (method, path, content_type, headers, body)


def test_the_test_client_gets_the_same_400():
    """The first middleware refuses, whichever handler built the request."""
    response = anonymous().get("/interventions/", CONTENT_TYPE="text/plain; charset=hex")
    assert response.status_code == 400


@pytest.mark.parametrize("charset", ["ascii", "windows-1252", "latin-1"])
def test_a_narrow_charset_still_reads_the_address_as_utf_8(charset):
    """Pages that write the address back into links (the search feed's link, the
    comparison's downloads) used to fail on a character the charset cannot hold."""
    for path in ["/feeds/search.atom?q=%C3%A9t%C3%A9", "/compare/?i=nothing&zz=%E2%82%AC"]:
        status, page = wsgi("GET", path, CONTENT_TYPE=f"text/plain; charset={charset}")
        assert status == 200, (charset, path)
    status, page = wsgi("GET", "/compare/?i=%E2%82%AC", CONTENT_TYPE="text/plain; charset=ascii")
    assert "We could not find “€”" in page
