"""Make this database's catalogue N times the demo, for `make benchmark`, and keep it.

Meant for a database of the benchmark's own (`make benchmark` gives each size its
own embedded server). Loads the demo catalogue if the database is empty, then
copies it to N times its size, once: a database already that size is left alone.
"""

from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction

from interventions.models import Intervention
from publishing import benchmark, catalogue_state


class Command(BaseCommand):
    help = "Load the demo catalogue and copy it to N times its size, kept (for make benchmark)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--times", type=int, default=100)

    def handle(self, *args: Any, times: int, **options: Any) -> None:
        if times < 1:
            raise CommandError("--times must be 1 or more.")
        call_command("load_demo_catalogue", stdout=self.stdout)
        published = Intervention.objects.published().count()
        demo = Intervention.objects.published().exclude(name__contains="(copy ").count()
        if published >= demo * times:
            self._tidy()
            self.stdout.write(f"Already {published} published interventions; left alone.")
            return
        if published != demo:
            raise CommandError("This database holds a partial copy: delete it and start again.")
        with transaction.atomic():
            published = benchmark.inflate(times)
        catalogue_state.changed()
        self._tidy()
        self.stdout.write(f"{published} published interventions.")

    def _tidy(self) -> None:
        """Vacuum and analyse, as autovacuum would soon after in production: a migration
        that rewrote rows leaves dead ones, and GIN indexes' pending entries, behind."""
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
