"""The evidence standard (ratings/rules.py) applied to the database.

`suggestions()` reads the studies and findings of any number of interventions in
three queries and returns what the standard suggests for each. What the public
sees (such as whether it was tested in the UK) is derived once, when a version
is published (publishing/snapshot.py).
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch

from interventions.models import Intervention, OutcomeDomain
from ratings import rules
from ratings.models import Finding, Study

StudyInterventions = Study.interventions.through


def finding_evidence(finding: Finding) -> rules.FindingEvidence:
    return rules.FindingEvidence(
        outcome=finding.outcome.name,
        child_outcome=finding.outcome.domain.subject == OutcomeDomain.Subject.CHILD,
        validated_measure=finding.validated_measure,
        months_after_end=finding.months_after_end,
        effect=finding.effect_size,
        ci_lower=finding.effect_ci_lower,
        ci_upper=finding.effect_ci_upper,
        p_value=finding.p_value,
        intervention_n=finding.intervention_n,
        comparison_n=finding.comparison_n,
    )


def study_evidence(study: Study, findings: Iterable[Finding]) -> rules.StudyEvidence:
    return rules.StudyEvidence(
        id=study.pk,
        label=study.short_citation,
        year=study.year,
        design=study.design,
        country=study.country.code,
        attrition_overall=study.attrition_overall,
        attrition_differential=study.attrition_differential,
        baseline_equivalence=study.baseline_equivalence,
        independent=study.independent,
        intervention_n=study.intervention_n,
        comparison_n=study.comparison_n,
        findings=tuple(finding_evidence(finding) for finding in findings),
    )


def _ids(interventions: Iterable[Intervention | int]) -> set[int]:
    return {getattr(item, "pk", item) for item in interventions}


def evidence(interventions: Iterable[Intervention | int]) -> dict[int, list[rules.StudyEvidence]]:
    """Each intervention's studies, holding only its own findings. Three queries."""
    ids = _ids(interventions)
    by_intervention: dict[int, list[rules.StudyEvidence]] = {pk: [] for pk in ids}
    if not ids:
        return by_intervention
    # 1: which studies evaluated which of these interventions.
    links = StudyInterventions.objects.filter(intervention_id__in=ids).values_list(
        "study_id", "intervention_id"
    )
    evaluated: dict[int, list[int]] = defaultdict(list)
    for study_id, intervention_id in links:
        evaluated[study_id].append(intervention_id)
    # 2: the studies; 3: their findings for these interventions, with outcome and domain.
    studies = Study.objects.filter(pk__in=list(evaluated)).prefetch_related(
        Prefetch(
            "findings",
            queryset=Finding.objects.filter(intervention_id__in=ids).select_related(
                "outcome__domain"
            ),
        )
    )
    for study in studies:
        for intervention_id in evaluated[study.pk]:
            own = [f for f in study.findings.all() if f.intervention_id == intervention_id]
            by_intervention[intervention_id].append(study_evidence(study, own))
    return by_intervention


def suggestions(interventions: Iterable[Intervention | int]) -> dict[int, rules.Assessment]:
    """What the standard suggests for each intervention, by its id."""
    return {pk: rules.assess(studies) for pk, studies in evidence(interventions).items()}


def suggest(intervention: Intervention | int) -> rules.Assessment:
    pk = getattr(intervention, "pk", intervention)
    return suggestions([pk])[pk]
