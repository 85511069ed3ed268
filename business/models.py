"""Price indexes for moving costs between price years.

HM Treasury publishes GDP deflators at market prices, as an index for each
financial year. A price year here is the financial year that starts in it:
2024 means 2024 to 2025, the way unit costs state their price year. Curators
keep the figures up to date in the admin when a new release comes out; the
pages say which release they used.

A release gives outturn for past years and, for this year and the next few,
the Office for Budget Responsibility's forecast. A forecast year is marked, so
the pages can say a cost at this year's prices rests on a forecast.
"""

from datetime import date

from django.db import models
from django.db.models import Q

from interventions import formatting
from ratings.models import WebAddressField

# The financial years a deflator may be stored for (2000 is 2000 to 2001).
FIRST_YEAR, LAST_YEAR = 2000, 2100


class GdpDeflator(models.Model):
    year = models.PositiveSmallIntegerField(
        unique=True, help_text="The financial year that starts in this year (2024 is 2024-25)."
    )
    index = models.DecimalField(
        max_digits=8, decimal_places=3, help_text="The deflator index for that year."
    )
    source = models.CharField(
        max_length=300, help_text="The release the figure comes from, as its title says."
    )
    source_url = WebAddressField(max_length=500, blank=True)
    published_on = models.DateField(help_text="The date the release was published.")
    forecast = models.BooleanField(
        default=False,
        help_text="A forecast by the Office for Budget Responsibility, not yet outturn.",
    )

    class Meta:
        ordering = ["year"]
        verbose_name = "GDP deflator"
        constraints = [
            models.CheckConstraint(condition=Q(index__gt=0), name="deflator_index_positive"),
            models.CheckConstraint(
                condition=Q(year__gte=FIRST_YEAR, year__lte=LAST_YEAR),
                name="deflator_year_plausible",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{(self.year + 1) % 100:02d}: {self.index}"

    @property
    def financial_year(self) -> str:
        return formatting.financial_year(self.year)


def financial_year_of(day: date) -> int:
    """The financial year (April to March) a day falls in, by the year it starts in."""
    return day.year if day.month >= 4 else day.year - 1
