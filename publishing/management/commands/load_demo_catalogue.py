"""Load the fictional demo catalogue into an empty database, with its history of versions."""

from datetime import datetime, time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from fixtures.demo_catalogue import history
from interventions.models import Intervention
from publishing.catalogue_io.importer import database_holds_catalogue
from publishing.models import Listing
from publishing.publish import archive, publish

DEMO = Path(settings.BASE_DIR) / "fixtures" / "demo-catalogue.json"


class Command(BaseCommand):
    help = (
        "Load the demo catalogue into an empty database (a database that holds a catalogue "
        "is left alone), then publish its later history as new versions."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        if database_holds_catalogue():
            self.stdout.write("The database already holds a catalogue; left it alone.")
            return
        with transaction.atomic():
            call_command("import_catalogue", str(DEMO), stdout=self.stdout)
            play_history()
        self.stdout.write(self.style.SUCCESS("Published the demo catalogue's later versions."))


def play_history() -> None:
    for slug, day, field, text, note in history.MINOR_EDITS:
        intervention = Intervention.objects.get(slug=slug)
        setattr(intervention, field, text)
        intervention._change_reason = note
        intervention.save()
        when = timezone.make_aware(datetime.combine(day, time(10)))
        publish(intervention, user=None, change="minor", note=note, when=when)
    for slug, reason in history.ARCHIVED.items():
        listing = Listing.objects.get(slug=slug)  # archived on import: keep that date
        archive(listing.intervention, reason=reason, when=listing.archived_at)
