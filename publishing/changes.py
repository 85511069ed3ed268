"""What changed between two snapshots, in plain words.

Used by the public "what changed" page between any two versions, and by the
admin to show a curator what publishing would change. Works on snapshots only
(publishing/snapshot.py): no queries.
"""

import difflib
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.text import capfirst

from interventions.formatting import money
from publishing import snapshot
from publishing.restore import restore
from ratings import evidence
from ratings.models import Study, UnitCostEstimate

WORDS = re.compile(r"\s+|[^\s]+")

# Text the reader sees, in page order, with the labels the page uses.
TEXT_FIELDS = [
    ("name", "Name"),
    ("summary", "Summary"),
    ("description", "Description"),
    ("target_population", "Children and families it is for"),
    ("eligibility_criteria", "Who can take part"),
    ("exclusion_criteria", "Who it is not for"),
    ("sessions", "Sessions"),
    ("workforce", "Who delivers it"),
    ("training", "Training"),
    ("supervision", "Supervision"),
    ("licensing", "Licence"),
    ("fidelity_monitoring", "Checking it is delivered as designed"),
    ("change_need", "The need it addresses"),
    ("change_activities", "What it does"),
    ("change_short_term", "Short-term outcomes"),
    ("change_long_term", "Long-term outcomes"),
    ("change_mechanism", "Why it should work"),
    ("developer", "Developer or provider"),
    ("contact", "Contact"),
]
OTHER_FIELDS = [
    ("other_names", "Other names"),
    ("kind", "Kind"),
    ("min_age_months", "Youngest age"),
    ("max_age_months", "Oldest age"),
    ("duration_weeks", "How long it lasts"),
    ("available_in_uk", "Available in the UK"),
    ("uk_tested", "Tested in the UK"),
    ("evidence_last_reviewed", "Evidence last reviewed"),
]
TERM_LABELS = {
    "need_levels": "Level of need",
    "topics": "Topics",
    "delivery_models": "How it is delivered",
    "settings": "Where it is delivered",
}


@dataclass
class TextChange:
    """One text field's old and new wording, as runs of kept, removed and added words."""

    label: str
    runs: list[tuple[str, str]]  # ("same" | "removed" | "added", text)


@dataclass
class Changes:
    ratings: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)
    texts: list[TextChange] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.ratings or self.evidence or self.outcomes or self.details or self.texts)


def word_runs(old: str, new: str) -> list[tuple[str, str]]:
    """The new text word by word against the old: what was kept, removed and added."""
    before, after = WORDS.findall(old or ""), WORDS.findall(new or "")
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", "".join(before[a1:a2])))
            continue
        if a2 > a1:
            runs.append(("removed", "".join(before[a1:a2])))
        if b2 > b1:
            runs.append(("added", "".join(after[b1:b2])))
    return runs


def _level_words(level: dict[str, Any] | None) -> str:
    return f"{level['code']} ({level['label'].lower()})" if level else "not rated"


def _cost_words(content: dict[str, Any]) -> str:
    cost = snapshot.current_cost(content)
    if cost is None:
        return "no unit cost"
    per = UnitCostEstimate.Per(cost["per"]).label
    return f"{money(Decimal(cost['unit_cost']))} {per} at {cost['price_year']} prices"


def _citation(study: dict[str, Any]) -> str:
    return f"{study['authors'].split(',')[0].strip()} ({study['year']}), “{study['title']}”"


def _finding_words(finding: dict[str, Any]) -> str:
    return f"{finding['measure']} ({finding['timepoint'].lower()})"


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(value) or "none"
    if value in (None, ""):
        return "not recorded"
    return str(value)


def improved_areas(content: dict[str, Any]) -> set[str]:
    """The outcome areas a snapshot's evidence was found to improve."""
    restored = restore(content, pk=0)
    return {d.domain.name for d in evidence.summarise(restored.findings).improved_domains}


def between(old: dict[str, Any], new: dict[str, Any]) -> Changes:
    """What changed from snapshot `old` to `new`."""
    return compare(old, new, (improved_areas(old), improved_areas(new)))


def compare(old: dict[str, Any], new: dict[str, Any], improved: tuple[set, set]) -> Changes:
    """What changed from snapshot `old` to `new`. `improved` is the names of the outcome
    areas each found improved (from the evidence summary), old then new."""
    changes = Changes()
    for scale, label in (("evidence-strength", "Evidence strength"), ("cost", "Cost rating")):
        before, after = snapshot.current_level(old, scale), snapshot.current_level(new, scale)
        if (before or {}).get("code") != (after or {}).get("code"):
            changes.ratings.append(
                f"{label} changed from {_level_words(before)} to {_level_words(after)}."
            )
    if _cost_words(old) != _cost_words(new):
        changes.ratings.append(f"Unit cost changed from {_cost_words(old)} to {_cost_words(new)}.")

    _compare_studies(old["studies"], new["studies"], changes)

    gained, lost = sorted(improved[1] - improved[0]), sorted(improved[0] - improved[1])
    changes.outcomes += [f"Now found to improve: {name}." for name in gained]
    changes.outcomes += [f"No longer found to improve: {name}." for name in lost]

    before, after = old["intervention"], new["intervention"]
    for name, label in OTHER_FIELDS:
        if before.get(name) != after.get(name):
            changes.details.append(
                f"{label} changed from {_shown(before.get(name))} to {_shown(after.get(name))}."
            )
    for key, label in TERM_LABELS.items():
        _compare_names(label, old["terms"][key], new["terms"][key], changes)
    _compare_names(
        "Outcomes it aims to improve",
        [{"name": old["outcomes"][s]["name"]} for s in old["terms"]["target_outcomes"]],
        [{"name": new["outcomes"][s]["name"]} for s in new["terms"]["target_outcomes"]],
        changes,
    )
    for name, label in TEXT_FIELDS:
        if (before.get(name) or "") != (after.get(name) or ""):
            changes.texts.append(TextChange(label, word_runs(before.get(name), after.get(name))))
    return changes


def _compare_names(label: str, old: list[dict], new: list[dict], changes: Changes) -> None:
    before, after = {t["name"] for t in old}, {t["name"] for t in new}
    for name in sorted(after - before):
        changes.details.append(f"{label}: added “{name}”.")
    for name in sorted(before - after):
        changes.details.append(f"{label}: removed “{name}”.")


def _compare_studies(old: list[dict], new: list[dict], changes: Changes) -> None:
    before = {study["id"]: study for study in old}
    after = {study["id"]: study for study in new}
    for pk in [pk for pk in after if pk not in before]:
        study = after[pk]
        changes.evidence.append(
            f"Study added: {_citation(study)}, with "
            f"{_count(len(study['findings']), 'finding', 'findings')}."
        )
    for pk in [pk for pk in before if pk not in after]:
        changes.evidence.append(f"Study removed: {_citation(before[pk])}.")
    for pk in [pk for pk in after if pk in before]:
        _compare_one_study(before[pk], after[pk], changes)


def _compare_one_study(old: dict, new: dict, changes: Changes) -> None:
    citation = _citation(new)
    fields = [
        capfirst(Study._meta.get_field(name).verbose_name)
        for name in new
        if name not in ("findings", "id") and old.get(name) != new.get(name)
    ]
    if fields:
        changes.evidence.append(f"{citation}: changed {', '.join(fields).lower()}.")
    before = {f["id"]: f for f in old["findings"]}
    after = {f["id"]: f for f in new["findings"]}
    for pk in [pk for pk in after if pk not in before]:
        changes.evidence.append(f"{citation}: finding added, {_finding_words(after[pk])}.")
    for pk in [pk for pk in before if pk not in after]:
        changes.evidence.append(f"{citation}: finding removed, {_finding_words(before[pk])}.")
    for pk in [pk for pk in after if pk in before and before[pk] != after[pk]]:
        old_effect, new_effect = before[pk]["effect_size"], after[pk]["effect_size"]
        if old_effect != new_effect:
            changes.evidence.append(
                f"{citation}: the effect size for {_finding_words(after[pk])} changed "
                f"from {old_effect:.2f} to {new_effect:.2f}."
            )
        else:
            changes.evidence.append(
                f"{citation}: details of the finding {_finding_words(after[pk])} changed."
            )


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"
