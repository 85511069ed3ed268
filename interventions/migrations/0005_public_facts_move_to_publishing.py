"""What the public sees is now derived when a version is published (publishing/), so the
working copy no longer keeps a search vector, its search text or "tested in the UK".
The generated column goes first: it is computed from the search text."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0004_search"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="intervention", name="intervention_search_idx"),
        migrations.RemoveField(model_name="historicalintervention", name="search_vector"),
        migrations.RemoveField(model_name="intervention", name="search_vector"),
        migrations.RemoveField(model_name="historicalintervention", name="search_text"),
        migrations.RemoveField(model_name="intervention", name="search_text"),
        migrations.RemoveField(model_name="historicalintervention", name="uk_tested"),
        migrations.RemoveField(model_name="intervention", name="uk_tested"),
    ]
