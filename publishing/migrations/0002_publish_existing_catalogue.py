"""Give every intervention that was public before versions existed its version 1.

Before this, a published intervention's page showed its rows directly. This
freezes each published or archived one as version 1, so nothing that was
public disappears. It uses the application's publishing code, not historical
models, because the snapshot is the application's format; it runs once, on
databases from before versions, and does nothing on a new database.
"""

from django.db import migrations

def publish_existing(apps, schema_editor):
    from interventions.models import Intervention
    from publishing.publish import publish_history

    publish_history(
        Intervention.objects.filter(
            status__in=[Intervention.Status.PUBLISHED, Intervention.Status.ARCHIVED]
        ).order_by("pk")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("ratings", "0011_finding_updated_at"),
    ]

    operations = [migrations.RunPython(publish_existing, migrations.RunPython.noop)]
