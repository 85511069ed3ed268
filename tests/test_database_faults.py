"""A real database outage under gunicorn, with production settings.

A PostgreSQL server of the test's own is restarted, then stopped and started
again while requests keep arriving: a restart costs no request, the outage
gives 503 pages with Retry-After (never a 500), one log line each, and the site
answers again within 5 seconds of the database coming back, without restarting
the app. Everything listens on loopback only; every loop has a deadline.
"""

import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.separate_postgres import free_port, separate_postgres

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
DATABASE = "evidence_store"
PAGES = ["/methods/", "/interventions/?q=parent", "/"]


def get(url: str) -> tuple[int, dict[str, str], str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (loopback http)
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


def production_environment(database_url: str) -> dict[str, str]:
    decided = {"DEBUG", "DATABASE_URL", "EMBEDDED_POSTGRES_DIR", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in decided}
    return {
        **env,
        "DEBUG": "false",
        "SECRET_KEY": "fault-test-k3v9-q0w8-e7r6-t5y4-u3i2-o1p0-a9s8-d7f6-g5h4",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "DATABASE_URL": database_url,
    }


def manage(env: dict[str, str], *args: str) -> None:
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr


@pytest.fixture
def site(tmp_path):
    """gunicorn serving the site from a database server the test controls."""
    with separate_postgres(tmp_path / "pg") as database:
        database.create_database(DATABASE)
        # The page cache off: a cached page would (rightly) still be served while the
        # database is down, and this test is about the pages that need it.
        env = {**production_environment(database.url(DATABASE)), "PUBLIC_CACHE": "false"}
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        port = free_port()
        log = (tmp_path / "gunicorn.log").open("w+")
        gunicorn = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--config",
                "evidence_store/gunicorn.conf.py",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--threads",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 30
            while True:
                assert gunicorn.poll() is None, "gunicorn ended early"
                try:
                    if get(f"{base}/healthz")[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
                time.sleep(0.2)
            yield base, database, log
        finally:
            gunicorn.terminate()
            try:
                gunicorn.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gunicorn.kill()
            log.close()


class Load(threading.Thread):
    """Two clients asking for pages without pause until told to stop."""

    def __init__(self, base: str):
        super().__init__(daemon=True)
        self.base = base
        self.statuses: list[int] = []
        self.problems: list[str] = []
        self.halt = threading.Event()

    def run(self) -> None:
        def client(offset: int) -> None:
            index = offset
            while not self.halt.is_set():
                path = PAGES[index % len(PAGES)]
                index += 1
                try:
                    status, headers, _ = get(self.base + path)
                except OSError as error:
                    self.problems.append(f"{path}: {error}")
                    continue
                self.statuses.append(status)
                if status == 503 and "Retry-After" not in headers:
                    self.problems.append(f"{path}: 503 without Retry-After")

        clients = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(2)]
        for thread in clients:
            thread.start()
        for thread in clients:
            thread.join(timeout=30)


def test_a_database_outage_gives_503s_and_the_site_recovers_by_itself(site):
    base, database, log = site
    for path in PAGES * 4:  # every worker thread holds a connection now
        assert get(base + path)[0] == 200, path

    # A restart between requests costs no request: stale connections are checked first.
    database.stop()
    database.start()
    statuses = [get(base + path)[0] for path in PAGES * 6]
    assert statuses == [200] * len(statuses), statuses

    load = Load(base)
    load.start()
    try:
        time.sleep(0.5)
        database.stop()
        time.sleep(1.5)

        status, headers, page = get(base + "/methods/")
        assert status == 503
        assert int(headers["Retry-After"]) > 0
        assert "Sorry, the service is unavailable" in page
        assert "govuk-footer" in page
        status, _, body = get(base + "/healthz")
        assert (status, body) == (503, '{"app": "ok", "database": "unavailable"}')

        database.start()
        back = time.monotonic()
        while get(base + "/methods/")[0] != 200:
            assert time.monotonic() - back < 5, "not answering within 5 s of the database's return"
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        load.halt.set()
        load.join(timeout=30)

    assert not load.problems, load.problems[:5]
    assert set(load.statuses) <= {200, 503}, sorted(set(load.statuses))
    assert load.statuses.count(503) > 0 and load.statuses[-1] == 200
    assert get(base + "/healthz")[0] == 200

    log.seek(0)
    output = log.read()
    assert "Traceback" not in output
    assert "Internal Server Error" not in output
    failed = output.count('" 503 ')
    assert output.count("Database unavailable:") == failed, output[-3000:]
