"""Starter synonym groups, and the curators' permission to keep them.

UK and US spellings, other names for the same need, and acronyms spelled out:
the words commissioners told us they search with. Curators add to them in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = [
    ["behaviour", "behavior"],
    ["behaviour problems", "conduct problems", "disruptive behaviour", "challenging behaviour"],
    ["ADHD", "attention deficit hyperactivity disorder", "hyperactivity", "inattention"],
    ["autism", "autistic", "autism spectrum"],
    ["anxiety", "worry", "worries"],
    ["depression", "low mood"],
    ["PTSD", "post-traumatic stress", "trauma"],
    ["domestic abuse", "domestic violence"],
    ["kinship care", "family and friends care", "kinship carers"],
    ["foster care", "fostering", "foster carers"],
    ["parenting programme", "parenting program", "parent training"],
    ["programme", "program"],
    ["antisocial", "anti-social"],
    ["teenagers", "adolescents", "young people"],
    ["SEND", "special educational needs"],
    ["CAMHS", "child and adolescent mental health services"],
    ["NEET", "not in education, employment or training"],
]


def add_groups(apps, schema_editor):
    SearchSynonym = apps.get_model("publishing", "SearchSynonym")
    SearchSynonym.objects.bulk_create(SearchSynonym(words=words) for words in GROUPS)


def let_curators_keep_them(apps, schema_editor):
    app_config = apps.get_app_config("publishing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators = Group.objects.filter(name="curator").first()
    if curators is not None:
        curators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="publishing",
                content_type__model="searchsynonym",
                codename__in=[f"{action}_searchsynonym" for action in ("view", "add", "change")],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0005_search_synonyms"),
        ("ratings", "0003_curator_group"),
    ]

    operations = [
        migrations.RunPython(add_groups, migrations.RunPython.noop),
        migrations.RunPython(let_curators_keep_them, migrations.RunPython.noop),
    ]
