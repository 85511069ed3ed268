"""A new web worker answers its first visitors as fast as its hundredth.

A worker's first requests compile templates and read what the list keeps per
catalogue state (publishing/catalogue_state.py): a few hundred milliseconds at
100 times the demo. gunicorn calls `warm_up` before the
worker accepts a connection (`post_worker_init` in gunicorn.conf.py), so that work
is done while the other workers serve. It asks the application for the public
pages most visitors start from, through every middleware as a visitor would, and
compiles every template; the answers are thrown away. A failure (the database
down, say) is logged and the worker starts anyway: it warms on its first request.
"""

import logging
import sys
from io import BytesIO

from django.conf import settings
from django.db import connections
from django.template.loader import get_template

log = logging.getLogger(__name__)

PATHS = ("/", "/interventions/")


def _host() -> str:
    named = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in {"*", ""}]
    return named[0] if named else "localhost"


def _environ(path: str) -> dict:
    host = _host()
    return {
        "REQUEST_METHOD": "GET",
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": host,
        "SERVER_PORT": "443",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": host,
        "HTTP_ACCEPT_ENCODING": "gzip",
        # A CSRF cookie, as a curator's browser sends: the page cache passes such a
        # request by (publishing/page_cache.py), so the page is rendered and what it
        # reads is kept, even when another worker has cached it already.
        "HTTP_COOKIE": f"{settings.CSRF_COOKIE_NAME}=warm-up",
        # Secure either way: directly, or as a TLS proxy says (BEHIND_TLS_PROXY).
        "HTTP_X_FORWARDED_PROTO": "https",
        "wsgi.url_scheme": "https",
        "wsgi.version": (1, 0),
        "wsgi.input": BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
    }


def _templates() -> list[str]:
    names = []
    for folder in settings.TEMPLATES[0]["DIRS"]:
        names += [path.relative_to(folder).as_posix() for path in folder.rglob("*.html")]
    return sorted(names)


def _ask(application, path: str) -> int:
    """The status of the application's answer to a GET of `path`, read to the end."""
    status = []
    body = application(_environ(path), lambda line, headers, *_: status.append(line))
    try:
        for _ in body:
            pass
    finally:
        getattr(body, "close", lambda: None)()
    return int(status[0].split()[0])


def warm_up(application) -> list[int]:
    """Each page's status (0 when it failed), having asked for it; then every
    template compiled."""
    statuses = []
    for path in PATHS:
        try:
            statuses.append(_ask(application, path))
        except Exception:  # a worker that cannot warm up still starts
            log.exception("Warming up %s failed; the first visitor will wait instead.", path)
            statuses.append(0)
    for name in _templates():
        try:
            get_template(name)
        except Exception:  # pragma: no cover - the tests render every template
            log.exception("Template %s does not compile.", name)
    # Requests are served by the worker's threads, each with a connection of its own:
    # this thread's would only sit idle.
    connections.close_all()
    return statuses
