"""Load a catalogue file (docs/catalogue-format.md) into an empty database."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from publishing.catalogue_io.errors import CatalogueError
from publishing.catalogue_io.importer import database_holds_catalogue, import_catalogue
from publishing.catalogue_io.reader import read_catalogue_file
from publishing.catalogue_io.validation import validate_catalogue

LEFT_ALONE = "The database already holds a catalogue; left it alone."
REFUSED = (
    "The database already holds a catalogue (interventions, studies, taxonomy terms or "
    "rating scales). import_catalogue loads a file only into an empty database."
)


class Command(BaseCommand):
    help = "Load a catalogue file into an empty database. Checks the whole file first."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="A catalogue JSON file.")
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="If the database already holds a catalogue, say so and succeed without importing.",
        )

    def handle(self, *args: Any, file: Path, if_empty: bool, **options: Any) -> None:
        if database_holds_catalogue():
            if if_empty:
                self.stdout.write(LEFT_ALONE)
                return
            raise CommandError(REFUSED)
        try:
            document = read_catalogue_file(file)
            validate_catalogue(document)
            counts = import_catalogue(document, source=file.name)
        except CatalogueError as error:
            raise CommandError(f"{file} was not imported: {error}. Nothing was written.") from None
        kind = "demonstration catalogue" if document["demonstration"] else "catalogue"
        self.stdout.write(self.style.SUCCESS(f"Imported the {kind} from {file}: {counts}."))
