"""Starting deflator figures, so the calculator works on a new site.

These are ILLUSTRATIVE figures, close to the shape of HM Treasury's GDP
deflators (2024-25 = 100) but not copied from a release: they could not be
checked against the published spreadsheet when this was written. The source
says so on every page that uses them. Curators replace them in the admin with
the latest "GDP deflators at market prices, and money GDP" release.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

SOURCE = (
    "Illustrative figures, not yet checked against an HM Treasury release "
    "(GDP deflators at market prices, and money GDP)"
)
URL = "https://www.gov.uk/government/collections/gdp-deflators-at-market-prices-and-money-gdp"
FIGURES = {
    2015: "73.934",
    2016: "75.413",
    2017: "76.765",
    2018: "78.300",
    2019: "80.095",
    2020: "84.420",
    2021: "85.180",
    2022: "89.864",
    2023: "96.154",
    2024: "100.000",
    2025: "103.300",
}


def add(apps, schema_editor):
    GdpDeflator = apps.get_model("business", "GdpDeflator")
    for year, index in FIGURES.items():
        GdpDeflator.objects.update_or_create(
            year=year,
            defaults={
                "index": Decimal(index),
                "source": SOURCE,
                "source_url": URL,
                "published_on": date(2025, 10, 1),
            },
        )


def remove(apps, schema_editor):
    apps.get_model("business", "GdpDeflator").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("business", "0001_gdp_deflators")]
    operations = [migrations.RunPython(add, remove)]
