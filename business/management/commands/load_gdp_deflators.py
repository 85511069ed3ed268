"""Load an HM Treasury GDP deflators release, replacing the figures the calculator uses.

A release is one series with one base year, so it replaces every stored year at
once: figures from two releases (each with its own base year) are never mixed.
Forecast years, given only as a per cent change, are grown from the year before
and marked (business/deflator_release.py). A release that prints an index for its
forecast years too says so in its notes: name the first with --forecasts-from.
"""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from business.deflator_release import (
    NotADeflatorTable,
    financial_year,
    financial_year_label,
    read_csv,
)
from business.models import FIRST_YEAR, LAST_YEAR, GdpDeflator
from ratings.models import UnitCostEstimate

GOV_UK = "https://www.gov.uk/"


class Command(BaseCommand):
    help = (
        'Load the CSV of a "GDP deflators at market prices, and money GDP" release from '
        "GOV.UK. Its financial-year series replaces the stored one."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv", type=Path, help="The release's CSV, as downloaded.")
        parser.add_argument(
            "--title",
            required=True,
            help="The release's title on GOV.UK, like \"GDP deflators at market prices, "
            'and money GDP March 2026 (Quarterly National Accounts)".',
        )
        parser.add_argument("--url", required=True, help="The release's GOV.UK page.")
        parser.add_argument(
            "--published", required=True, type=date.fromisoformat, help="YYYY-MM-DD"
        )
        parser.add_argument(
            "--forecasts-from",
            help="The first forecast year, like 2025-26, when the release prints an index "
            "for its forecast years too. Without it, only years grown from a per cent "
            "change are marked as forecasts.",
        )

    def handle(self, *args, csv: Path, title: str, url: str, published: date, **options):
        if not url.startswith(GOV_UK):
            raise CommandError(f"Give the release's page on GOV.UK ({GOV_UK}...).")
        for option, value, field in [("title", title, "source"), ("url", url, "source_url")]:
            longest = GdpDeflator._meta.get_field(field).max_length
            if len(value) > longest:
                raise CommandError(f"The --{option} is longer than {longest} characters.")
        first_forecast = None
        if options["forecasts_from"] is not None:
            first_forecast = financial_year(options["forecasts_from"])
            if first_forecast is None:
                raise CommandError("Give --forecasts-from as a financial year, like 2025-26.")
        try:
            table = read_csv(csv.read_bytes())
        except OSError as error:
            raise CommandError(f"We could not read {csv}: {error.strerror}.") from error
        except NotADeflatorTable as error:
            raise CommandError(f"{error} Nothing was changed.") from error

        kept = {y: v for y, v in table.indexes.items() if FIRST_YEAR <= y <= LAST_YEAR}
        if not kept:
            raise CommandError(
                f"The table has no financial year from {financial_year_label(FIRST_YEAR)} "
                "on, so there is nothing the calculator could use. Nothing was changed."
            )
        if kept.get(table.base_year) != 100:
            raise CommandError(
                f"The table says {table.base_label} = 100, but its {table.base_label} "
                "row does not show 100. Nothing was changed."
            )

        with transaction.atomic():
            GdpDeflator.objects.all().delete()
            GdpDeflator.objects.bulk_create(
                GdpDeflator(
                    year=year,
                    index=index,
                    source=title,
                    source_url=url,
                    published_on=published,
                    forecast=year in table.forecasts
                    or (first_forecast is not None and year >= first_forecast),
                )
                for year, index in sorted(kept.items())
            )

        first, last = min(kept), max(kept)
        self.stdout.write(
            f"Loaded {len(kept)} financial years, {financial_year_label(first)} to "
            f"{financial_year_label(last)} ({table.base_label} = 100), from {title}."
        )
        grown = sorted(year for year in table.forecasts if year in kept)
        if grown:
            self.stdout.write(
                "Forecast years, each grown from the year before by the release's per cent "
                "change: " + ", ".join(financial_year_label(year) for year in grown) + "."
            )
        if first_forecast is not None:
            self.stdout.write(
                f"Years from {financial_year_label(first_forecast)} on are marked as forecasts."
            )
        if table.without_index:
            self.stdout.write(
                "The release gives no index for " + ", ".join(table.without_index) + "."
            )
        uncovered = sorted(
            set(UnitCostEstimate.objects.values_list("price_year", flat=True)) - set(kept)
        )
        if uncovered:
            self.stdout.write(
                "Costs at these price years cannot be moved to another year: "
                + ", ".join(financial_year_label(year) for year in uncovered)
                + "."
            )
