"""Settings come from the environment and fail loudly on bad values.

Each case starts a fresh Python process, because settings are read once.
DATABASE_URL points at a closed port: these checks never connect.
"""

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNUSED_DATABASE = "postgresql://nobody@127.0.0.1:9/none"
PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "k3v9-q0w8-e7r6-t5y4-u3i2-o1p0-a9s8-d7f6-g5h4-j3k2-l1z0-xc",
    "ALLOWED_HOSTS": "evidence-store.example.org",
    "DATABASE_URL": UNUSED_DATABASE,
}


def manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    # Start from the real environment minus anything a settings case decides,
    # and minus the browser tests' async switch, which check --deploy reports.
    decided = {
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "DATABASE_URL",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
        "PUBLISH_REQUIRES_SECOND_CURATOR",
        "CACHE_URL",
        "REDIS_URL",
        "PUBLIC_CACHE",
    }
    clean = {k: v for k, v in os.environ.items() if k not in decided}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deployment_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set when DEBUG is off"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must be set when DEBUG is off"),
        (
            {"ALLOWED_HOSTS": "a.example.org,,b.example.org"},
            "ALLOWED_HOSTS is a comma-separated list",
        ),
        ({"DEBUG": "perhaps"}, "DEBUG must be one of"),
        ({"DATABASE_URL": "mysql://user@localhost/db"}, "DATABASE_URL must be a PostgreSQL URL"),
        (
            {"PUBLISH_REQUIRES_SECOND_CURATOR": "sometimes"},
            "PUBLISH_REQUIRES_SECOND_CURATOR must be one of",
        ),
        ({"CACHE_URL": "memcached://cache:11211"}, "CACHE_URL must be a Redis URL"),
        ({"REDIS_URL": "http://redis.example.org"}, "CACHE_URL must be a Redis URL"),
        ({"PUBLIC_CACHE": "maybe"}, "PUBLIC_CACHE must be one of"),
    ],
)
def test_bad_environment_stops_the_start_with_a_message(change, message):
    result = manage("check", **{**PRODUCTION, **change})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert message in result.stderr


def test_debug_gives_a_development_secret_and_local_hosts_only():
    env = {"DEBUG": "true", "DATABASE_URL": UNUSED_DATABASE}
    code = (
        "from django.conf import settings; print(settings.SECRET_KEY[:15], settings.ALLOWED_HOSTS)"
    )
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert "django-insecure" in result.stdout
    assert "'127.0.0.1', 'localhost'" in result.stdout


@pytest.mark.parametrize(
    ("value", "expected"), [(None, "False"), ("true", "True"), ("no", "False")]
)
def test_a_second_curator_is_required_only_when_the_environment_says_so(value, expected):
    env = {"DEBUG": "true", "DATABASE_URL": UNUSED_DATABASE}
    if value is not None:
        env["PUBLISH_REQUIRES_SECOND_CURATOR"] = value
    code = "from django.conf import settings; print(settings.PUBLISH_REQUIRES_SECOND_CURATOR)"
    result = manage("shell", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == expected


def test_weak_secret_in_production_is_reported_by_the_deployment_check():
    result = manage(
        "check", "--deploy", "--fail-level", "WARNING", **{**PRODUCTION, "SECRET_KEY": "short"}
    )
    assert result.returncode != 0
    assert "security.W009" in result.stderr + result.stdout


def test_without_database_url_an_embedded_server_starts_and_stops_cleanly(tmp_path):
    data_dir = tmp_path / "pgdata"
    code = (
        "from django.db import connection; "
        "cursor = connection.cursor(); cursor.execute('select current_database()'); "
        "print(cursor.fetchone()[0])"
    )
    result = manage("shell", "-c", code, DEBUG="true", EMBEDDED_POSTGRES_DIR=str(data_dir))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "evidence_store"
    assert (data_dir / "PG_VERSION").exists()
    # The server stopped when the process exited: it removes its pid file on a clean stop.
    assert not (data_dir / "postmaster.pid").exists()


def test_the_default_embedded_data_folder_is_ignored_by_git():
    result = subprocess.run(
        ["git", "check-ignore", ".pgdata/PG_VERSION"], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, "the embedded database folder must be git-ignored"


def test_the_embedded_server_also_stops_when_the_process_is_terminated(tmp_path):
    data_dir = tmp_path / "pgdata"
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(DEBUG="true", EMBEDDED_POSTGRES_DIR=str(data_dir))
    code = (
        "from django.db import connection; connection.ensure_connection(); "
        "print('ready', flush=True); import time; time.sleep(60)"
    )
    process = subprocess.Popen(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "ready"
        assert (data_dir / "postmaster.pid").exists()
        process.terminate()
        process.wait(timeout=30)
    finally:
        process.kill()
    pid_file = data_dir / "postmaster.pid"
    left_running = pid_file.exists()
    if left_running:  # do not leave a stray server behind a failing test
        os.kill(int(pid_file.read_text().split()[0]), signal.SIGTERM)
    assert not left_running


@pytest.mark.parametrize(
    ("env", "backend"),
    [
        ({}, "FileBasedCache"),
        ({"CACHE_URL": "redis://127.0.0.1:9/0"}, "django_redis"),
        ({"REDIS_URL": "redis://127.0.0.1:9/0"}, "django_redis"),
    ],
)
def test_the_cache_is_files_on_this_machine_or_a_shared_redis(env, backend):
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"
    result = manage("shell", "-c", code, **{**PRODUCTION, **env})
    assert result.returncode == 0, result.stderr
    assert backend in result.stdout
