"""The embedded PostgreSQL server stops with the last command that uses it, and
no stop (SIGTERM, Ctrl-C, a kill) leaves state that breaks the next start.

Each test runs `manage.py` in subprocesses with its own EMBEDDED_POSTGRES_DIR.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parent.parent
SELECT_ONE = (
    "from django.db import connection; cursor = connection.cursor(); "
    "cursor.execute('select 1'); print('answered', cursor.fetchone()[0])"
)


def environment(data_dir: Path) -> dict[str, str]:
    decided = {"DATABASE_URL", "EMBEDDED_POSTGRES_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in decided}
    return {**env, "DEBUG": "true", "EMBEDDED_POSTGRES_DIR": str(data_dir)}


def manage(data_dir: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment(data_dir),
        capture_output=True,
        text=True,
        timeout=120,
    )


def postmaster(data_dir: Path) -> psutil.Process | None:
    """The running server for this data folder, if any."""
    pid_file = data_dir / "postmaster.pid"
    try:
        process = psutil.Process(int(pid_file.read_text().split()[0]))
    except (FileNotFoundError, IndexError, ValueError, psutil.Error):
        return None
    return process if process.is_running() and process.name() == "postgres" else None


def wait_until_gone(process: psutil.Process, seconds: float = 15) -> bool:
    try:
        process.wait(seconds)
    except psutil.TimeoutExpired:
        return False
    return True


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=2)  # noqa: S310 (a loopback http URL)
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "pgdata"
    yield folder
    server = postmaster(folder)
    if server is not None:  # never leave a stray server behind a failing test
        server.terminate()
        wait_until_gone(server)


def start_runserver(data_dir: Path) -> subprocess.Popen:
    """`make run`'s command, in its own process group, once the child serves pages."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment(data_dir),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while not answers(f"http://127.0.0.1:{port}/favicon.ico"):
        assert process.poll() is None, "runserver ended early"
        assert time.monotonic() < deadline, "runserver did not answer within 60 s"
        time.sleep(0.2)
    return process


@pytest.mark.parametrize(
    "stop",
    [
        pytest.param(lambda process: process.send_signal(signal.SIGTERM), id="sigterm"),
        # Closing the terminal hangs up on its whole foreground process group.
        pytest.param(lambda process: os.killpg(process.pid, signal.SIGHUP), id="sighup"),
        # A terminal's Ctrl-C interrupts the whole foreground process group.
        pytest.param(lambda process: os.killpg(process.pid, signal.SIGINT), id="ctrl-c"),
    ],
)
def test_stopping_runserver_stops_the_server_and_the_next_start_works(data_dir, stop):
    process = start_runserver(data_dir)
    try:
        server = postmaster(data_dir)
        assert server is not None
        stop(process)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
    assert wait_until_gone(server), "the embedded server kept running after runserver stopped"

    again = manage(data_dir, "shell", "--no-imports", "-c", SELECT_ONE)
    assert again.returncode == 0, again.stderr
    assert "answered 1" in again.stdout
    assert postmaster(data_dir) is None


def test_a_hang_up_someone_chose_to_ignore_stays_ignored():
    """`nohup make run &` must keep running when its terminal closes."""
    code = (
        "import signal; from evidence_store import embedded_db; "
        "embedded_db._exit_cleanly_on_stop_signals(); "
        "print(signal.getsignal(signal.SIGHUP) is signal.SIG_IGN, "
        "signal.getsignal(signal.SIGTERM) is signal.SIG_DFL)"
    )
    ignoring = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
    )
    assert ignoring.returncode == 0, ignoring.stderr
    # SIGHUP stays ignored; SIGTERM, left at its default, now exits cleanly.
    assert ignoring.stdout.split() == ["True", "False"]


def test_a_killed_command_leaves_nothing_that_breaks_the_next(data_dir):
    code = SELECT_ONE + "; print('ready', flush=True); import time; time.sleep(60)"
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=environment(data_dir),
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "answered 1"
        assert process.stdout.readline().strip() == "ready"
        process.kill()  # no exit handlers run
        process.wait(timeout=30)
    finally:
        process.kill()
        process.stdout.close()
    server = postmaster(data_dir)
    assert server is not None, "a killed process cannot stop the server"

    # The next command uses the running server, forgets the dead one, and stops it.
    again = manage(data_dir, "shell", "--no-imports", "-c", SELECT_ONE)
    assert again.returncode == 0, again.stderr
    assert "answered 1" in again.stdout
    assert wait_until_gone(server)


@pytest.mark.parametrize("content", ["", "[", "{}", "\x00"])
def test_an_unreadable_handle_file_is_reported_and_replaced(data_dir, content):
    first = manage(data_dir, "shell", "--no-imports", "-c", SELECT_ONE)
    assert first.returncode == 0, first.stderr
    for name in ["evidence_store_handles.json", ".handle_pids.json"]:
        (data_dir / name).write_text(content)

    again = manage(data_dir, "shell", "--no-imports", "-c", SELECT_ONE)
    assert again.returncode == 0, again.stderr
    assert "answered 1" in again.stdout
    assert "Traceback" not in again.stderr
    assert "could not be read" in again.stderr
    assert postmaster(data_dir) is None
