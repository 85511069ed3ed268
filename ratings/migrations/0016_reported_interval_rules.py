"""A reported confidence interval has both ends, the lower below the upper: rules clean()
always gave (FINDING_RULES in ratings/models.py), now kept by the database as well."""

from django.db import migrations, models


def refuse_intervals_that_break_the_rules(apps, schema_editor):
    """Say which findings to correct, rather than fail on the ALTER TABLE with no names."""
    Finding = apps.get_model("ratings", "Finding")
    one_end = models.Q(reported_ci_lower__isnull=True) ^ models.Q(reported_ci_upper__isnull=True)
    reversed_ends = models.Q(reported_ci_lower__gte=models.F("reported_ci_upper"))
    broken = list(Finding.objects.filter(one_end | reversed_ends).values_list("pk", flat=True))
    if broken:
        raise RuntimeError(
            "These findings have a reported confidence interval with one end, or with the "
            f"lower end not below the upper end: {broken}. Correct them in the admin, then "
            "migrate again."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("ratings", "0015_higher_is_better_has_no_default"),
    ]

    operations = [
        migrations.RunPython(refuse_intervals_that_break_the_rules, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="finding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("reported_ci_upper__isnull", True),
                        ("reported_ci_lower__isnull", False),
                        _connector="OR",
                    ),
                    models.Q(
                        ("reported_ci_lower__isnull", True),
                        ("reported_ci_upper__isnull", False),
                        _connector="OR",
                    ),
                ),
                name="finding_reported_ci_both_ends_or_neither",
            ),
        ),
        migrations.AddConstraint(
            model_name="finding",
            constraint=models.CheckConstraint(
                condition=models.Q(("reported_ci_lower__lt", models.F("reported_ci_upper"))),
                name="finding_reported_ci_lower_below_upper",
            ),
        ),
    ]
