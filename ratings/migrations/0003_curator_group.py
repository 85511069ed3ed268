"""The curator group, with exactly the permissions curating needs.

Curators edit the catalogue and the evidence, and publish. They add ratings and
cost estimates but never change or delete them (a new one supersedes the old).
They see rating scales but do not change them, and can read every change history.
Deleting is allowed only for findings, which are corrected by removing a wrong row.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CURATOR = "curator"

TAXONOMIES = [
    "ageband",
    "outcomedomain",
    "outcome",
    "needlevel",
    "setting",
    "deliverymodel",
    "topic",
]

PERMISSIONS = {
    "interventions": {
        "intervention": ["view", "add", "change", "publish"],
        **{taxonomy: ["view", "add", "change"] for taxonomy in TAXONOMIES},
    },
    "ratings": {
        "study": ["view", "add", "change"],
        "finding": ["view", "add", "change", "delete"],
        "rating": ["view", "add"],
        "unitcostestimate": ["view", "add"],
        "ratingscale": ["view"],
        "ratinglevel": ["view"],
    },
}


def codename(action: str, model: str) -> str:
    return "publish_intervention" if action == "publish" else f"{action}_{model}"


def create_curator_group(apps, schema_editor):
    # Permissions are created after migrations on a fresh database; create them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=CURATOR)

    wanted = []
    for app_label, models in PERMISSIONS.items():
        for model, actions in models.items():
            for action in actions:
                wanted.append(
                    Permission.objects.get(
                        content_type__app_label=app_label,
                        content_type__model=model,
                        codename=codename(action, model),
                    )
                )
    # Reading every change history: the historical models, including their many-to-many tables.
    wanted += Permission.objects.filter(
        content_type__app_label__in=list(PERMISSIONS),
        content_type__model__startswith="historical",
        codename__startswith="view_",
    )
    group.permissions.set(wanted)


def remove_curator_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=CURATOR).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("interventions", "0001_initial"),
        ("ratings", "0002_composite_foreign_keys"),
    ]

    operations = [migrations.RunPython(create_curator_group, remove_curator_group)]
