"""backup_database and restore_database: the whole database, accounts and history
included, dumped and restored into a fresh database on the same server."""

import os
import subprocess
import sys
from importlib import import_module
from pathlib import Path
from urllib.parse import quote

import psycopg2
import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg2 import sql

from interventions.models import Intervention
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)  # pg_dump sees committed rows only
ROOT = Path(__file__).resolve().parent.parent
FRESH = "evidence_store_restored"


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, given to commands as DATABASE_URL."""
    params = connection.get_connection_params()
    server = psycopg2.connect(dbname="postgres", user=params["user"], host=params["host"],
                              port=params["port"])  # fmt: skip
    server.autocommit = True

    def execute(statement: str) -> None:
        with server.cursor() as cursor:
            cursor.execute(sql.SQL(statement).format(sql.Identifier(FRESH)))

    execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
    execute("CREATE DATABASE {}")
    url = f"postgresql://{params['user']}@{quote(params['host'], safe='')}:{params['port']}/{FRESH}"
    try:
        yield url, dict(params, dbname=FRESH)
    finally:
        execute("DROP DATABASE IF EXISTS {} WITH (FORCE)")
        server.close()


def restore(url: str, *args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"EMBEDDED_POSTGRES_DIR"}}
    env.update(DEBUG="true", DATABASE_URL=url)
    return subprocess.run(
        [sys.executable, "manage.py", "restore_database", *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def make_curator_group_again() -> None:
    """Another transactional test may have emptied the database before this one, and
    with it the curator group a migration made: make it again, from that migration."""
    migration = import_module("ratings.migrations.0003_curator_group")
    group, _ = Group.objects.get_or_create(name=migration.CURATOR)
    for app_label, models in migration.PERMISSIONS.items():
        for model, actions in models.items():
            group.permissions.add(
                *Permission.objects.filter(
                    content_type__app_label=app_label,
                    codename__in=[migration.codename(action, model) for action in actions],
                )
            )


def test_a_backup_restores_accounts_and_history_into_a_fresh_database(tmp_path, fresh_database):
    url, params = fresh_database
    make_curator_group_again()
    curator = factories.make_curator("robin.restore")
    intervention = factories.make_intervention(name="Backed Up Programme")
    history_table = Intervention.history.model._meta.db_table
    backup = tmp_path / "site.dump"

    call_command("backup_database", output=backup)
    assert backup.stat().st_size > 0

    result = restore(url, str(backup))
    assert result.returncode == 0, result.stderr
    restored = psycopg2.connect(**{k: params[k] for k in ["dbname", "user", "host", "port"]})
    try:
        with restored.cursor() as cursor:
            cursor.execute("SELECT password FROM auth_user WHERE username = %s", [curator.username])
            assert cursor.fetchone()[0] == curator.password  # the same account, same password
            cursor.execute(
                sql.SQL("SELECT count(*) FROM {} WHERE id = %s").format(
                    sql.Identifier(history_table)
                ),
                [intervention.pk],
            )
            assert cursor.fetchone()[0] >= 1
    finally:
        restored.close()

    # A second restore would mix two databases: refused unless asked to replace.
    again = restore(url, str(backup))
    assert again.returncode != 0
    assert "already has" in again.stderr
    replaced = restore(url, "--replace", str(backup))
    assert replaced.returncode == 0, replaced.stderr


def test_a_missing_backup_file_is_refused(tmp_path):
    with pytest.raises(CommandError, match="is not a file"):
        call_command("restore_database", str(tmp_path / "nothing.dump"))
