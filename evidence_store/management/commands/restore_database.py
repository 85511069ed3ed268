"""Restore a backup_database file into the configured database, all or nothing."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from evidence_store.backup import connection_arguments, program, run


class Command(BaseCommand):
    help = "Restore a file written by backup_database into an empty database."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path, help="a file written by backup_database")
        parser.add_argument(
            "--replace",
            action="store_true",
            help="drop everything in the database first (it need not be empty)",
        )

    def handle(self, *args, backup: Path, replace: bool, **options):
        if not backup.is_file():
            raise CommandError(f"{backup} is not a file.")
        tables = connection.introspection.table_names()
        connection.close()
        if tables and not replace:
            raise CommandError(
                f"The database {connection.settings_dict['NAME']} already has {len(tables)} "
                "tables. Restore into an empty database, or pass --replace to drop and "
                "replace everything in it."
            )
        arguments, env = connection_arguments()
        command = [
            program("pg_restore"),
            *arguments,
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
        ]
        if replace:
            command += ["--clean", "--if-exists"]
        run([*command, str(backup)], env)
        self.stdout.write(f"Restored {backup} into {connection.settings_dict['NAME']}.")
