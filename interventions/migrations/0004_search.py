"""Full-text search: a stored, indexed search vector over an intervention's names and text."""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models

import interventions.models

# array_to_string is STABLE in PostgreSQL (some element types print differently
# with different settings); for text it is not, so this wrapper may say IMMUTABLE,
# which a generated column needs.
NAMES_AS_TEXT = """
CREATE FUNCTION intervention_names_as_text(names text[]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN array_to_string(names, ' ')
"""


class Migration(migrations.Migration):
    dependencies = [
        ("interventions", "0003_uk_tested"),
    ]

    operations = [
        migrations.RunSQL(
            NAMES_AS_TEXT, reverse_sql="DROP FUNCTION intervention_names_as_text(text[])"
        ),
        migrations.AddField(
            model_name="intervention",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="intervention",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector(
                            "name",
                            interventions.models.NamesAsText("other_names"),
                            config="english",
                            weight="A",
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "summary", config="english", weight="B"
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "description", "search_text", config="english", weight="C"
                    ),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddField(
            model_name="historicalintervention",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        migrations.AddField(
            model_name="historicalintervention",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=django.contrib.postgres.search.CombinedSearchVector(
                    django.contrib.postgres.search.CombinedSearchVector(
                        django.contrib.postgres.search.SearchVector(
                            "name",
                            interventions.models.NamesAsText("other_names"),
                            config="english",
                            weight="A",
                        ),
                        "||",
                        django.contrib.postgres.search.SearchVector(
                            "summary", config="english", weight="B"
                        ),
                        django.contrib.postgres.search.SearchConfig("english"),
                    ),
                    "||",
                    django.contrib.postgres.search.SearchVector(
                        "description", "search_text", config="english", weight="C"
                    ),
                    django.contrib.postgres.search.SearchConfig("english"),
                ),
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.AddIndex(
            model_name="intervention",
            index=django.contrib.postgres.indexes.GinIndex(
                fields=["search_vector"], name="intervention_search_idx"
            ),
        ),
        # Fill search_text for the interventions already stored.
        migrations.RunSQL(
            """
            UPDATE interventions_intervention i SET search_text = array_to_string(
                ARRAY(SELECT DISTINCT o.name FROM interventions_outcome o
                      JOIN interventions_intervention_target_outcomes t ON t.outcome_id = o.id
                      WHERE t.intervention_id = i.id ORDER BY o.name)
                || ARRAY(SELECT DISTINCT d.name FROM interventions_outcomedomain d
                      JOIN interventions_outcome o ON o.domain_id = d.id
                      JOIN interventions_intervention_target_outcomes t ON t.outcome_id = o.id
                      WHERE t.intervention_id = i.id ORDER BY d.name)
                || ARRAY(SELECT DISTINCT p.name FROM interventions_topic p
                      JOIN interventions_intervention_topics t ON t.topic_id = p.id
                      WHERE t.intervention_id = i.id ORDER BY p.name),
                ' ')
            """,
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
