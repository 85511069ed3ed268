"""What each filter offers, from the taxonomies and rating scales: one query.

Each table's rows (in its usual order) become one JSON array column of a single
SELECT, so the list's queries stay few whatever the number of taxonomies.
"""

from dataclasses import dataclass

from django.db import connection, models

from interventions.models import (
    AgeBand,
    DeliveryModel,
    NeedLevel,
    Outcome,
    OutcomeDomain,
    Setting,
    Topic,
)
from ratings.models import RatingLevel, RatingScale

# The lowest evidence level worth filtering for: NE and NL2 are not "at least" anything.
LOWEST_EVIDENCE_OPTION = "2"


def _rows(queryset: models.QuerySet) -> tuple[str, tuple]:
    """A table's rows, in the queryset's order, as one JSON array (SQL and parameters)."""
    fields = [field.attname for field in queryset.model._meta.concrete_fields]
    sql, params = queryset.values(*fields).query.sql_with_params()
    # An aggregate over an ordered subquery keeps its order (PostgreSQL documents this).
    # The SQL is Django's own compiled query; values stay parameters.
    return f"(SELECT coalesce(json_agg(t), '[]') FROM ({sql}) t)", params  # noqa: S608


def _instances(model: type[models.Model], rows: list[dict]) -> list:
    fields = model._meta.concrete_fields
    return [model(**{f.attname: f.to_python(row[f.attname]) for f in fields}) for row in rows]


def load_all(querysets: dict[str, models.QuerySet]) -> dict[str, list]:
    """Several tables' rows in one query, as unsaved-looking model instances."""
    parts = [_rows(queryset) for queryset in querysets.values()]
    sql = "SELECT " + ", ".join(part for part, _ in parts)
    params = [param for _, part_params in parts for param in part_params]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        columns = cursor.fetchone()
    return {
        name: _instances(queryset.model, rows if isinstance(rows, list) else [])
        for (name, queryset), rows in zip(querysets.items(), columns, strict=True)
    }


@dataclass
class Options:
    """What each filter offers, from the taxonomies and scales."""

    age_bands: list[AgeBand]
    outcomes: list[Outcome]
    need_levels: list[NeedLevel]
    settings: list[Setting]
    delivery_models: list[DeliveryModel]
    topics: list[Topic]
    levels: list[RatingLevel]

    @classmethod
    def load(cls) -> "Options":
        """Every option, in one query."""
        scales = [RatingScale.EVIDENCE, RatingScale.COST]
        tables = load_all(
            {
                "age_bands": AgeBand.objects.all(),
                "domains": OutcomeDomain.objects.all(),
                "outcomes": Outcome.objects.all(),
                "need_levels": NeedLevel.objects.all(),
                "settings": Setting.objects.all(),
                "delivery_models": DeliveryModel.objects.all(),
                "topics": Topic.objects.all(),
                "scales": RatingScale.objects.filter(slug__in=scales),
                "levels": RatingLevel.objects.filter(scale__slug__in=scales),
            }
        )
        # Join each outcome to its domain and each level to its scale, as
        # select_related would.
        domains = {domain.pk: domain for domain in tables.pop("domains")}
        for outcome in tables["outcomes"]:
            outcome.domain = domains[outcome.domain_id]
        by_scale = {scale.pk: scale for scale in tables.pop("scales")}
        for level in tables["levels"]:
            level.scale = by_scale[level.scale_id]
        return cls(**tables)

    def domains(self) -> list[OutcomeDomain]:
        """The outcome domains that have outcomes, in the outcomes' order."""
        return list({outcome.domain.pk: outcome.domain for outcome in self.outcomes}.values())

    def scale(self, slug: str) -> list[RatingLevel]:
        return [level for level in self.levels if level.scale.slug == slug]

    def evidence_options(self) -> list[RatingLevel]:
        levels = self.scale(RatingScale.EVIDENCE)
        floor = next((lv.rank for lv in levels if lv.code == LOWEST_EVIDENCE_OPTION), None)
        return [lv for lv in levels if floor is None or lv.rank >= floor]
