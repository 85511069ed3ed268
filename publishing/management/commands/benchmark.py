"""Time the public pages and count their queries, optionally at a larger catalogue size."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from publishing import benchmark


class _RollBack(Exception):
    """Raised to undo the copies made for a larger catalogue."""


class Command(BaseCommand):
    help = (
        "Time each public page and count its SQL queries. With --times N, first copy "
        "the published catalogue to N times its size, inside a transaction that is "
        "rolled back, so the database is left as it was."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--times", type=int, default=1, help="Measure at N times the catalogue (default 1)."
        )
        parser.add_argument(
            "--repeat", type=int, default=20, help="Requests per page (default 20)."
        )
        parser.add_argument(
            "--budget",
            type=float,
            default=benchmark.BUDGET_MS,
            help=f"Fail when a page's median time is over this many milliseconds "
            f"(default {benchmark.BUDGET_MS}).",
        )

    def handle(self, *args: Any, times: int, repeat: int, budget: float, **options: Any) -> None:
        if times < 1 or repeat < 1 or budget <= 0:
            raise CommandError("--times and --repeat must be 1 or more, and --budget more than 0.")
        try:
            with transaction.atomic():
                published = benchmark.inflate(times)
                if not published:
                    raise CommandError("There are no published interventions to measure.")
                self.stdout.write(
                    f"{published} published interventions; {repeat} requests per page; "
                    f"budget {budget:g} ms.\n"
                )
                results = benchmark.measure(benchmark.pages(), repeat)
                raise _RollBack
        except _RollBack:
            pass
        self._report(results, budget)

    def _report(self, results: list[benchmark.Measurement], budget: float) -> None:
        width = max(len(result.label) for result in results)
        self.stdout.write(f"{'page':<{width}}  status  queries  median ms  p95 ms")
        for r in results:
            mark = "" if r.within(budget) else "  <- over budget"
            self.stdout.write(
                f"{r.label:<{width}}  {r.status:>6}  {r.queries:>7}  "
                f"{r.median_ms:>9.1f}  {r.p95_ms:>6.1f}{mark}"
            )
        slow = [r.label for r in results if not r.within(budget)]
        if slow:
            raise CommandError(f"Over the {budget:g} ms budget: {', '.join(slow)}.")
