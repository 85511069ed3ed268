"""Intervals that agree with the reported p-value (effect_sizes.agreeing_with_p_value).

Recomputes the stored interval of every finding that reports a p-value. Only those
whose interval disagreed with it change. Published versions keep what they showed.
"""

from django.db import migrations

from ratings.effect_sizes import CannotCompute
from ratings.finding_effects import effect_of


def agree_with_p_values(apps, schema_editor):
    Finding = apps.get_model("ratings", "Finding")
    contradictions = []
    for finding in Finding.objects.exclude(p_value=None).iterator():
        try:
            effect = effect_of(finding)
        except CannotCompute:
            contradictions.append(finding.pk)  # p below 0.05 with an effect of 0: left as is
            continue
        if not effect.from_p_value:
            continue
        finding.effect_se = effect.se
        finding.effect_ci_lower = effect.ci_lower
        finding.effect_ci_upper = effect.ci_upper
        finding.save(update_fields=["effect_se", "effect_ci_lower", "effect_ci_upper"])
    if contradictions:
        print(
            "\n  These findings report a p-value below 0.05 with an effect size of 0; check "
            f"them in the admin: {', '.join(map(str, contradictions))}"
        )


class Migration(migrations.Migration):
    dependencies = [("ratings", "0016_reported_interval_rules")]

    operations = [migrations.RunPython(agree_with_p_values, migrations.RunPython.noop)]
