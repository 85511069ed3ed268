"""HM Treasury's GDP deflators, March 2026 release, in place of the illustrative figures.

The figures are the financial-year series of "GDP deflators at market prices,
and money GDP March 2026 (Quarterly National Accounts)", 2024-25 = 100:
outturn (the Office for National Statistics' series L8GG) to 2024-25, and the
Office for Budget Responsibility's forecast from 2025-26 to 2030-31. The
release gives forecast years as a per cent change only; their indexes here were
grown from the year before by those changes, and are marked as forecasts.

Where they come from: this machine cannot reach GOV.UK, so they were read from
a public copy of the release's financial-year table, made from its spreadsheet
by another project (github.com/ncl-icb-analytics/dbt-ncl-analytics,
seeds/uk_cost_indices.csv, April 2026), to four places; here they are rounded
half up to three, as the Treasury's CSV gives them. The publication date is
from a public summary of the release. They agree with an independent copy of
the December 2025 release to within its revisions (github.com/ShetlandJ/
da-siller-fae-holyrood, scripts/data/budget-data.json: 2020-21 85.111 there,
85.100 here; 2023-24 96.130 and 96.112). Loading the release's own CSV may give
forecast indexes a thousandth or so apart, as its per cent changes are rounded.
Load the latest release over them with `manage.py load_gdp_deflators`.

Only the illustrative figures are replaced: a site whose curators have already
loaded a release keeps it.
"""

from datetime import date
from decimal import Decimal

from django.db import migrations

ILLUSTRATIVE = (
    "Illustrative figures, not yet checked against an HM Treasury release "
    "(GDP deflators at market prices, and money GDP)"
)
SOURCE = "GDP deflators at market prices, and money GDP March 2026 (Quarterly National Accounts)"
URL = "https://www.gov.uk/government/collections/gdp-deflators-at-market-prices-and-money-gdp"
PUBLISHED = date(2026, 3, 31)
OUTTURN = {
    2000: "54.370",
    2001: "55.460",
    2002: "56.600",
    2003: "57.989",
    2004: "59.717",
    2005: "61.358",
    2006: "63.202",
    2007: "64.438",
    2008: "66.840",
    2009: "67.704",
    2010: "68.856",
    2011: "70.326",
    2012: "71.545",
    2013: "73.034",
    2014: "74.066",
    2015: "74.580",
    2016: "76.075",
    2017: "77.039",
    2018: "78.795",
    2019: "80.874",
    2020: "85.100",
    2021: "85.304",
    2022: "91.300",
    2023: "96.112",
    2024: "100.000",
}
FORECAST = {
    2025: "103.239",
    2026: "105.310",
    2027: "107.355",
    2028: "109.357",
    2029: "111.396",
    2030: "113.642",
}


def replace_illustrative(apps, schema_editor):
    GdpDeflator = apps.get_model("business", "GdpDeflator")
    if GdpDeflator.objects.exclude(source=ILLUSTRATIVE).exists():
        return
    GdpDeflator.objects.all().delete()
    GdpDeflator.objects.bulk_create(
        GdpDeflator(
            year=year,
            index=Decimal(index),
            source=SOURCE,
            source_url=URL,
            published_on=PUBLISHED,
            forecast=year in FORECAST,
        )
        for year, index in sorted({**OUTTURN, **FORECAST}.items())
    )


def remove(apps, schema_editor):
    apps.get_model("business", "GdpDeflator").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("business", "0004_deflator_forecasts")]
    operations = [migrations.RunPython(replace_illustrative, remove)]
