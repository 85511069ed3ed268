"""Rules Django cannot express on its own, as composite foreign keys.

- A finding's intervention must be one the study evaluated: (study, intervention)
  references the study-intervention link. Deferred to commit so a study, its
  links and its findings can be saved in any order inside one transaction.
- A rating's level must be on the rating's scale: (level, scale) references
  the level's (id, scale).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("ratings", "0001_initial")]

    operations = [
        migrations.RunSQL(
            sql="""
                ALTER TABLE ratings_finding
                ADD CONSTRAINT finding_intervention_evaluated_by_study
                FOREIGN KEY (study_id, intervention_id)
                REFERENCES ratings_study_interventions (study_id, intervention_id)
                DEFERRABLE INITIALLY DEFERRED;
            """,
            reverse_sql="ALTER TABLE ratings_finding DROP CONSTRAINT finding_intervention_evaluated_by_study;",
        ),
        migrations.RunSQL(
            sql="""
                ALTER TABLE ratings_rating
                ADD CONSTRAINT rating_level_on_rating_scale
                FOREIGN KEY (level_id, scale_id)
                REFERENCES ratings_ratinglevel (id, scale_id)
                DEFERRABLE INITIALLY DEFERRED;
            """,
            reverse_sql="ALTER TABLE ratings_rating DROP CONSTRAINT rating_level_on_rating_scale;",
        ),
    ]
