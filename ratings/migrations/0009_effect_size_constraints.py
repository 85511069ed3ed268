from django.db import migrations, models


class Migration(migrations.Migration):
    """Separate from 0008 so that the rows it updates are committed before the
    table is altered (deferred foreign-key triggers would block the ALTER)."""

    dependencies = [
        ("ratings", "0008_computed_effect_sizes"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="finding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("comparison_events__isnull", True),
                        ("comparison_mean__isnull", False),
                        ("comparison_n__isnull", False),
                        ("comparison_sd__isnull", False),
                        ("intervention_events__isnull", True),
                        ("intervention_mean__isnull", False),
                        ("intervention_n__isnull", False),
                        ("intervention_sd__isnull", False),
                        ("reported_ci_lower__isnull", True),
                        ("reported_ci_upper__isnull", True),
                        ("reported_effect_size__isnull", True),
                        ("reported_se__isnull", True),
                        ("statistics_form", "continuous"),
                        ("t_statistic__isnull", True),
                    ),
                    models.Q(
                        ("comparison_events__isnull", True),
                        ("comparison_mean__isnull", True),
                        ("comparison_n__isnull", False),
                        ("comparison_sd__isnull", True),
                        ("intervention_events__isnull", True),
                        ("intervention_mean__isnull", True),
                        ("intervention_n__isnull", False),
                        ("intervention_sd__isnull", True),
                        ("reported_ci_lower__isnull", True),
                        ("reported_ci_upper__isnull", True),
                        ("reported_effect_size__isnull", True),
                        ("reported_se__isnull", True),
                        ("statistics_form", "t_statistic"),
                        ("t_statistic__isnull", False),
                    ),
                    models.Q(
                        ("comparison_events__isnull", False),
                        ("comparison_mean__isnull", True),
                        ("comparison_n__isnull", False),
                        ("comparison_sd__isnull", True),
                        ("intervention_events__isnull", False),
                        ("intervention_mean__isnull", True),
                        ("intervention_n__isnull", False),
                        ("intervention_sd__isnull", True),
                        ("reported_ci_lower__isnull", True),
                        ("reported_ci_upper__isnull", True),
                        ("reported_effect_size__isnull", True),
                        ("reported_se__isnull", True),
                        ("statistics_form", "binary"),
                        ("t_statistic__isnull", True),
                    ),
                    models.Q(
                        ("comparison_events__isnull", True),
                        ("comparison_mean__isnull", True),
                        ("comparison_sd__isnull", True),
                        ("intervention_events__isnull", True),
                        ("intervention_mean__isnull", True),
                        ("intervention_sd__isnull", True),
                        ("reported_effect_size__isnull", False),
                        ("statistics_form", "effect_size"),
                        ("t_statistic__isnull", True),
                        models.Q(
                            ("reported_se__isnull", False),
                            models.Q(
                                ("reported_ci_lower__isnull", False),
                                ("reported_ci_upper__isnull", False),
                            ),
                            _connector="OR",
                        ),
                    ),
                    _connector="OR",
                ),
                name="finding_exactly_one_statistics_form",
            ),
        ),
        migrations.AddConstraint(
            model_name="finding",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("effect_ci_lower__lte", models.F("effect_size")),
                    ("effect_ci_upper__gte", models.F("effect_size")),
                    ("effect_se__gt", 0),
                    ("effect_size__isnull", False),
                    models.Q(("effect_method", ""), _negated=True),
                ),
                name="finding_effect_size_computed",
            ),
        ),
    ]
