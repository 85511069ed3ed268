"""The abbreviations the pages use, explained, and the curators' permission to keep them."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

TERMS = [
    ("AUDIT-C", "audit-c", "Alcohol Use Disorders Identification Test, short form: three "
     "questions on how often and how much someone drinks. A higher score means riskier drinking."),
    ("CARE-Index", "care-index", "A way of scoring a short video of a parent playing with "
     "their baby, for how sensitive and responsive the parent is."),
    ("CSI-16", "csi-16", "Couples Satisfaction Index, 16-question version: how happy partners "
     "are with their relationship."),
    ("GAD-7", "gad-7", "Generalised Anxiety Disorder scale: seven questions on how much anxiety "
     "someone has felt over the last two weeks. A higher score means more anxiety."),
    ("HOME", "home", "Home Observation for Measurement of the Environment: a visitor's checklist "
     "of how safe and stimulating a child's home is."),
    ("PHQ-9", "phq-9", "Patient Health Questionnaire: nine questions on how much low mood "
     "someone has felt over the last two weeks. A higher score means more depression."),
    ("PTSD", "ptsd", "Post-traumatic stress disorder: distress that carries on after a "
     "frightening event, such as flashbacks, nightmares and feeling on edge."),
    ("SDQ", "sdq", "Strengths and Difficulties Questionnaire: 25 questions on a child's "
     "behaviour, emotions and friendships, answered by a parent, teacher or the child."),
    ("T-score", "t-score", "A score put on a common scale where the average is 50 and most "
     "people score between 40 and 60."),
]


def add_terms(apps, schema_editor):
    GlossaryTerm = apps.get_model("interventions", "GlossaryTerm")
    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(term=term, slug=slug, meaning=meaning) for term, slug, meaning in TERMS
    )


def let_curators_keep_them(apps, schema_editor):
    app_config = apps.get_app_config("interventions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    curators = Group.objects.filter(name="curator").first()
    if curators is not None:
        curators.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="interventions",
                codename__in=[
                    "view_glossaryterm",
                    "add_glossaryterm",
                    "change_glossaryterm",
                    "view_historicalglossaryterm",
                ],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0007_glossary"),
        ("ratings", "0003_curator_group"),
    ]

    operations = [
        migrations.RunPython(add_terms, migrations.RunPython.noop),
        migrations.RunPython(let_curators_keep_them, migrations.RunPython.noop),
    ]
