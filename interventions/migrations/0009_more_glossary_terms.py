"""More abbreviations that curators and searchers use, explained where they appear."""

from django.db import migrations
from django.db.models import Q

TERMS = [
    (
        "ADHD",
        "adhd",
        "Attention deficit hyperactivity disorder: a child finds it much harder "
        "than others of their age to pay attention, sit still or wait their turn.",
    ),
    (
        "CBT",
        "cbt",
        "Cognitive behavioural therapy: a talking therapy that helps people change "
        "unhelpful ways of thinking and acting.",
    ),
    ("GP", "gp", "General practitioner: a family doctor."),
]


def add_terms(apps, schema_editor):
    GlossaryTerm = apps.get_model("interventions", "GlossaryTerm")
    for term, slug, meaning in TERMS:
        # A curator may have added it already: theirs stays.
        if not GlossaryTerm.objects.filter(Q(term=term) | Q(slug=slug)).exists():
            GlossaryTerm.objects.create(term=term, slug=slug, meaning=meaning)


def remove_terms(apps, schema_editor):
    GlossaryTerm = apps.get_model("interventions", "GlossaryTerm")
    for term, slug, meaning in TERMS:
        GlossaryTerm.objects.filter(term=term, slug=slug, meaning=meaning).delete()


class Migration(migrations.Migration):
    dependencies = [("interventions", "0008_starter_glossary")]

    operations = [migrations.RunPython(add_terms, remove_terms)]
