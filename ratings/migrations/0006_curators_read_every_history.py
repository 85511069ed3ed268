"""Curators can read the change history of rating scales, levels and taxonomy terms too."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR = "curator"
APPS = ["interventions", "ratings"]


def grant_history_views(apps, schema_editor):
    # Permissions are created after migrations on a fresh database; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.get(name=CURATOR)
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=APPS,
            content_type__model__startswith="historical",
            codename__startswith="view_",
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0002_taxonomy_history"),
        ("ratings", "0005_rating_scale_history"),
        ("ratings", "0003_curator_group"),
    ]

    operations = [migrations.RunPython(grant_history_views, migrations.RunPython.noop)]
