"""gunicorn settings for production:

    gunicorn --config evidence_store/gunicorn.conf.py --bind 0.0.0.0:8000 evidence_store.wsgi

Threaded workers, sized from the CPUs this process may use. Each thread keeps
one database connection (CONN_MAX_AGE), so workers x threads must stay under
the server's max_connections (100 by default). WEB_CONCURRENCY and
GUNICORN_THREADS override the sizes; command-line options override this file.
"""

import os


def _cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def _count(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name} must be a whole number of 1 or more, not {value!r}.")
    return int(value)


wsgi_app = "evidence_store.wsgi"
worker_class = "gthread"
workers = _count("WEB_CONCURRENCY", min(2 * _cpus() + 1, 12))
threads = _count("GUNICORN_THREADS", 4)

# A request that takes 30 s is stuck: the worker is restarted. Pages answer in
# milliseconds; the database connect timeout is 5 s.
timeout = 30
graceful_timeout = 20
keepalive = 5
# Recycle workers now and then, staggered, so no slow leak grows for ever; rarely,
# because a recycled worker drops its keep-alive connections and starts cold.
max_requests = 50_000
max_requests_jitter = 5_000
# Both logs to standard error/output, for the service manager to collect.
accesslog = "-"
errorlog = "-"
loglevel = "info"
# Client, request line, status, bytes, duration in ms, referrer, user agent.
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(f)s" "%(a)s"'


def post_worker_init(worker) -> None:
    """Before a new worker takes a connection, it renders the pages most visitors
    start from, so no visitor waits for its start-up work (evidence_store/warm_up.py)."""
    from evidence_store.warm_up import warm_up

    warm_up(worker.wsgi)
