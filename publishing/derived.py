"""What the public sees that is worked out, never typed, in one place.

Computed when a version is published (publishing/publish.py) or imported, from
the same evidence standard the rating uses (ratings/rules.py):
- tested in the UK: a rigorous study counted in the rating took place in the UK
  (stored in the snapshot, since the page shows it);
- found to improve: the outcomes, and their areas, where a rigorous study found
  an improvement unlikely to be chance; none at all when the intervention is
  rated "found not to be effective" or a rigorous study found harm;
- the search text: the description and the names of its outcomes, their areas
  and its topics.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from interventions.models import OutcomeDomain
from publishing import snapshot
from publishing.restore import restore
from ratings import rules
from ratings.derived import finding_evidence, study_evidence
from ratings.effect_sizes import improvement_index
from ratings.models import Finding, RatingScale, Study

NOT_EFFECTIVE = "NE"
CHILD = OutcomeDomain.Subject.CHILD


def _by_study(findings: Iterable[Finding], studies: Iterable[Study] = ()) -> dict:
    """Each study (by id) with its findings for this intervention."""
    grouped: dict[int, tuple[Study, list[Finding]]] = {s.pk: (s, []) for s in studies}
    for finding in findings:
        grouped.setdefault(finding.study_id, (finding.study, []))[1].append(finding)
    return grouped


def assessment(findings: Iterable[Finding], studies: Iterable[Study] = ()) -> rules.Assessment:
    grouped = _by_study(findings, studies)
    return rules.assess(study_evidence(study, own) for study, own in grouped.values())


def uk_tested(studies: Iterable[Study], findings: Iterable[Finding]) -> bool:
    return assessment(findings, studies).uk_tested


@dataclass(frozen=True)
class Improved:
    outcomes: list[str]  # outcome slugs, sorted
    domains: list[str]  # outcome area slugs, sorted
    harmful: bool
    # For cards and the page's summary: each outcome's name, its area and whose outcome it
    # is (a child's or a parent's), with the places in 100 an average one would move (the
    # improvement index of its rigorous positive findings' average effect).
    sizes: list[dict[str, Any]]


def found_to_improve(content: dict[str, Any]) -> Improved:
    """What a snapshot's rigorous evidence was found to improve."""
    return improved_by(restore(content, pk=0).findings, content)


def improved_by(
    findings: list[Finding], content: dict[str, Any], judged: rules.Assessment | None = None
) -> Improved:
    """What these findings (a snapshot's, already restored) were found to improve.
    `judged`: the standard's assessment of them, when the caller has it already."""
    judged = judged if judged is not None else assessment(findings)
    evidence = snapshot.current_level(content, RatingScale.EVIDENCE)
    not_effective = evidence is not None and evidence["code"] == NOT_EFFECTIVE
    if judged.harmful or not_effective:
        return Improved([], [], judged.harmful, [])
    effects: dict = {}  # outcome -> the effect sizes of its rigorous positive findings
    for study, own in _by_study(findings).values():
        evidence = study_evidence(study, own)
        for finding in own:
            judged_finding = finding_evidence(finding)
            if judged_finding.improved and rules.is_rigorous(evidence, judged_finding):
                effects.setdefault(finding.outcome, []).append(finding.effect_size)
    sizes = [
        {
            "slug": outcome.slug,
            "name": outcome.name,
            "places": round(improvement_index(sum(found) / len(found))),
            "area": outcome.domain.slug,
            "person": "child" if outcome.domain.subject == CHILD else "parent",
        }
        for outcome, found in sorted(effects.items(), key=lambda item: item[0].name)
    ]
    return Improved(
        sorted(o.slug for o in effects), sorted({o.domain.slug for o in effects}), False, sizes
    )


def search_text(content: dict[str, Any]) -> str:
    data, terms = content["intervention"], content["terms"]
    outcomes, domains = content["outcomes"], content["domains"]
    targets = terms["target_outcomes"]
    words = [
        data["description"],
        *(outcomes[slug]["name"] for slug in targets),
        *(domains[slug]["name"] for slug in sorted({outcomes[s]["domain"] for s in targets})),
        *(topic["name"] for topic in terms["topics"]),
    ]
    return " ".join(word for word in words if word)
