"""Two database rules.

- A finding's computed effect, its standard error and both ends of its interval
  are all required: 0009 compared them with numbers, and a comparison with NULL
  passes a CHECK constraint.
- The breakdown of a unit cost, where given, adds up to the unit cost (give or
  take £1 for rounding; ratings/cost_breakdown.py).
"""

from decimal import Decimal

from django.db import migrations, models
from django.db.models.functions import Coalesce

PARTS = ["staff_time", "training", "licence", "materials", "set_up", "other"]
TOLERANCE = Decimal("1.00")


def parts_total():
    zero = models.Value(Decimal("0"), output_field=models.DecimalField())
    first, *others = (Coalesce(models.F(name), zero) for name in PARTS)
    return sum(others, first)


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0009_effect_size_constraints"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="finding",
            name="finding_effect_size_computed",
        ),
        migrations.AddConstraint(
            model_name="finding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("effect_ci_lower__isnull", False),
                    ("effect_ci_lower__lte", models.F("effect_size")),
                    ("effect_ci_upper__gte", models.F("effect_size")),
                    ("effect_ci_upper__isnull", False),
                    ("effect_se__gt", 0),
                    ("effect_se__isnull", False),
                    ("effect_size__isnull", False),
                    models.Q(("effect_method", ""), _negated=True),
                ),
                name="finding_effect_size_computed",
            ),
        ),
        migrations.AddConstraint(
            model_name="unitcostestimate",
            constraint=models.CheckConstraint(
                condition=models.Q(**{f"{name}__isnull": True for name in PARTS})
                | models.Q(
                    unit_cost__gte=parts_total() - TOLERANCE,
                    unit_cost__lte=parts_total() + TOLERANCE,
                ),
                name="cost_breakdown_adds_up",
                violation_error_message="The parts of the breakdown must add up to the unit cost.",
            ),
        ),
    ]
