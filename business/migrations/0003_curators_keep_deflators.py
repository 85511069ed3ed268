"""Curators keep the price indexes up to date: they view, add and change them.
Deleting is left to administrators, so a year the calculator relies on stays."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR = "curator"


def grant(apps, schema_editor):
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
            content_type__app_label="business",
            codename__in=["view_gdpdeflator", "add_gdpdeflator", "change_gdpdeflator"],
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("business", "0002_illustrative_deflators"),
        ("ratings", "0003_curator_group"),
    ]
    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
