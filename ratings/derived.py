"""The evidence standard (ratings/rules.py) applied to the database.

`suggestions()` reads the studies and findings of any number of interventions in
three queries and returns what the standard suggests for each. `refresh_uk_tested()`
stores the one fact the standard derives for the pages, Intervention.uk_tested; the
receivers at the end keep it current whenever the evidence changes (registered in
ratings/apps.py), and the catalogue import refreshes it once at the end.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch

from interventions.models import Intervention, Outcome, OutcomeDomain
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


def refresh_uk_tested(interventions: Iterable[Intervention | int]) -> None:
    """Store whether each intervention is UK-tested. QuerySet.update(), so neither the page's
    "last changed" date nor its change history moves: nothing a curator typed changed."""
    assessed = suggestions(interventions)
    for value in (True, False):
        ids = [pk for pk, assessment in assessed.items() if assessment.uk_tested is value]
        if ids:
            Intervention.objects.filter(pk__in=ids).exclude(uk_tested=value).update(uk_tested=value)


def refresh_all_uk_tested() -> None:
    refresh_uk_tested(Intervention.objects.values_list("pk", flat=True))


# --- Keeping uk_tested current (receivers connected in ratings/apps.py) ---


def _study_interventions(study_id: int) -> set[int]:
    return set(
        StudyInterventions.objects.filter(study_id=study_id).values_list(
            "intervention_id", flat=True
        )
    )


def finding_saving(sender, instance: Finding, raw: bool = False, **kwargs) -> None:
    # A curator may move a finding to another intervention: that one's evidence changes too.
    if not raw and instance.pk is not None:
        instance._previous_intervention_id = (
            Finding.objects.filter(pk=instance.pk).values_list("intervention_id", flat=True).first()
        )


def finding_changed(sender, instance: Finding, raw: bool = False, **kwargs) -> None:
    """A finding was saved or deleted: it is evidence for its intervention only."""
    if raw:  # loading a catalogue or fixture: refreshed once at the end instead
        return
    previous = getattr(instance, "_previous_intervention_id", None)
    refresh_uk_tested({instance.intervention_id} | ({previous} - {None}))


def study_saved(sender, instance: Study, raw: bool = False, **kwargs) -> None:
    if raw:
        return
    refresh_uk_tested(_study_interventions(instance.pk))


def study_deleting(sender, instance: Study, **kwargs) -> None:
    # Its links go with it: note whose evidence changes while they are still there.
    instance._evaluated_interventions = _study_interventions(instance.pk)


def study_deleted(sender, instance: Study, **kwargs) -> None:
    refresh_uk_tested(getattr(instance, "_evaluated_interventions", ()))


def outcome_saved(sender, instance, raw: bool = False, **kwargs) -> None:
    """An outcome or domain was saved: it may have moved between child and parent outcomes,
    and only child outcomes decide the level."""
    if raw:
        return
    outcome = "outcome" if sender is Outcome else "outcome__domain"
    refresh_uk_tested(
        set(Finding.objects.filter(**{outcome: instance}).values_list("intervention_id", flat=True))
    )


def study_links_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    """Interventions were added to or removed from a study (or studies to an intervention)."""
    if action == "pre_clear" and not reverse:
        instance._cleared_links = _study_interventions(instance.pk)
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if reverse:  # instance is an intervention: only its own evidence changed
        refresh_uk_tested([instance.pk])
    elif action == "post_clear":
        refresh_uk_tested(getattr(instance, "_cleared_links", ()))
    else:
        refresh_uk_tested(pk_set or ())
