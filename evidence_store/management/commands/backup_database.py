"""Write the whole database (catalogue, accounts, history) to one pg_dump file."""

from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand

from evidence_store.backup import connection_arguments, program, run


class Command(BaseCommand):
    help = "Dump the whole database with pg_dump (custom format) to a file."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the file to write (default: evidence-store-YYYYMMDD-HHMMSS.dump)",
        )

    def handle(self, *args, output: Path | None, **options):
        if output is None:
            output = Path(f"evidence-store-{datetime.now():%Y%m%d-%H%M%S}.dump")
        arguments, env = connection_arguments()
        # Without owners or grants, so it restores into a database of another user.
        run(
            [
                program("pg_dump"),
                *arguments,
                "--format=custom",
                "--no-owner",
                "--no-privileges",
                "--file",
                str(output),
            ],
            env,
        )
        self.stdout.write(f"Wrote {output} ({output.stat().st_size} bytes).")
