"""Topics that are needs follow their outcomes (publishing/topics.py): each listing gets
its topics for "found to improve". No topic has outcomes yet, so situations as ticked."""

import django.contrib.postgres.fields
from django.db import migrations, models

from publishing.topics import columns


def fill_improved_topics(apps, schema_editor):
    Listing = apps.get_model("publishing", "Listing")
    rows = list(Listing.objects.select_related("version"))
    for row in rows:
        ticked = [term["slug"] for term in row.version.content["terms"]["topics"]]
        fresh = columns(ticked, row.outcomes, row.improved_outcomes, {})
        row.topics, row.improved_topics = fresh["topics"], fresh["improved_topics"]
    Listing.objects.bulk_update(rows, ["topics", "improved_topics"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0010_needs_cover_outcomes"),
        ("publishing", "0007_listing_term_and_recent_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="listing",
            name="improved_topics",
            field=django.contrib.postgres.fields.ArrayField(
                base_field=models.SlugField(max_length=120), default=list, size=None
            ),
        ),
        migrations.RunPython(fill_improved_topics, migrations.RunPython.noop),
    ]
