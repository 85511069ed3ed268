"""Two app servers sharing one PostgreSQL and one Redis serve the same pages, and a
publication made anywhere shows at once on both.

Two gunicorn processes with production settings, a Redis server and a PostgreSQL
server of the test's own, all on loopback. Without redis-server the test skips
loudly, except in CI (CI=true), where it fails.
"""

import shutil
import subprocess
import time
from pathlib import Path

import pytest

from tests.separate_postgres import free_port, separate_postgres, unavailable
from tests.test_database_faults import BIN, ROOT, get, manage, production_environment

DATABASE = "evidence_store"

PUBLISH = """
from interventions.models import Intervention
from publishing.publish import publish
intervention = Intervention.objects.published().order_by("name").first()
intervention.summary = "Summary changed on another server."
intervention.save()
publish(intervention, user=None, change="minor", note="A test publication.")
print(intervention.slug)
"""


@pytest.fixture
def redis_url(tmp_path):
    server = shutil.which("redis-server")
    if server is None:
        unavailable("redis-server is not installed (Debian package redis-server)")
    port = free_port()
    redis = subprocess.Popen(
        [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while (
            subprocess.run(
                ["redis-cli", "-p", str(port), "ping"], capture_output=True, text=True
            ).stdout.strip()
            != "PONG"
        ):
            assert redis.poll() is None, "redis-server ended early"
            assert time.monotonic() < deadline, "redis-server did not answer within 10 s"
            time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        redis.terminate()
        redis.wait(timeout=10)


def start_gunicorn(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    process = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "--config",
            "evidence_store/gunicorn.conf.py",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "--threads",
            "2",
        ],
        cwd=ROOT,
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    return process, f"http://127.0.0.1:{port}"


def wait_for(process: subprocess.Popen, base: str) -> None:
    deadline = time.monotonic() + 30
    while True:
        assert process.poll() is None, "gunicorn ended early"
        try:
            if get(f"{base}/healthz")[0] == 200:
                return
        except OSError:
            pass
        assert time.monotonic() < deadline, "gunicorn did not answer within 30 s"
        time.sleep(0.2)


@pytest.fixture
def two_servers(tmp_path, redis_url):
    with separate_postgres(tmp_path / "pg") as database:
        database.create_database(DATABASE)
        env = {
            **production_environment(database.url(DATABASE)),
            "CACHE_URL": redis_url,
            # One public address for both servers, as behind a load balancer.
            "SITE_URL": "https://evidence-store.example.org",
        }
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "collectstatic", "--no-input", "--verbosity", "0")
        manage(env, "load_demo_catalogue")
        servers = [start_gunicorn(env, tmp_path / f"gunicorn-{n}.log") for n in (1, 2)]
        try:
            for process, base in servers:
                wait_for(process, base)
            yield env, [base for _, base in servers]
        finally:
            for process, _ in servers:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()


def test_two_servers_share_the_cache_and_show_a_publication_at_once(two_servers, redis_url):
    env, (first, second) = two_servers
    status, headers, page = get(first + "/interventions/")
    assert status == 200
    # The second server answers with the first's page and validators: one shared cache.
    status, again, same_page = get(second + "/interventions/")
    assert status == 200
    assert same_page == page
    assert again["ETag"] == headers["ETag"]
    assert "public" in again["Cache-Control"]
    kept = subprocess.run(
        ["redis-cli", "-u", redis_url, "--scan", "--pattern", "*page:*"],
        capture_output=True,
        text=True,
        timeout=10,
    ).stdout.split()
    assert kept, "no page in Redis"

    published = subprocess.run(
        [str(BIN / "python"), "manage.py", "shell", "-c", PUBLISH],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert published.returncode == 0, published.stderr
    slug = published.stdout.strip().splitlines()[-1]

    for base in (first, second):
        status, now, _ = get(base + "/interventions/")
        assert status == 200
        assert now["ETag"] != headers["ETag"], base
        status, _, detail = get(f"{base}/interventions/{slug}/")
        assert status == 200
        assert "Summary changed on another server." in detail, base
