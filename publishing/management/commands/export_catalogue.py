"""Write the whole catalogue as JSON, in the format of docs/catalogue-format.md."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing.catalogue_io.exporter import dump, export_catalogue


class Command(BaseCommand):
    help = "Write the whole catalogue as JSON (docs/catalogue-format.md) to stdout or a file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--output", "-o", type=Path, help="Write to this file instead of standard output."
        )

    def handle(self, *args: Any, output: Path | None, **options: Any) -> None:
        text = dump(export_catalogue())
        if output is None:
            self.stdout.write(text, ending="")
            return
        try:
            output.write_text(text, encoding="utf-8")
        except OSError as error:
            raise CommandError(f"Cannot write {output}: {error.strerror}") from None
        self.stderr.write(f"Wrote the catalogue to {output}.")
