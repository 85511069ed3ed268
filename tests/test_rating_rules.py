"""The evidence standard (ratings/rules.py) on constructed studies.

Every criterion has a pair of cases that differ in that criterion alone and get
different levels, so a rule that stopped being applied, or moved its boundary,
fails here. No database: the rules are pure.
"""

import json
import subprocess
import sys
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest

from ratings import rules
from ratings.rules import FindingEvidence, StudyEvidence, assess

ROOT = Path(__file__).resolve().parents[1]


def finding(**overrides) -> FindingEvidence:
    """A significant improvement in a child outcome on a valid measure, at the end."""
    fields = {
        "outcome": "Behaviour problems",
        "child_outcome": True,
        "validated_measure": True,
        "months_after_end": 0,
        "effect": 0.4,
        "ci_lower": 0.1,
        "ci_upper": 0.7,
        "p_value": 0.01,
        "intervention_n": 50,
        "comparison_n": 50,
    }
    fields.update(overrides)
    return FindingEvidence(**fields)


NULL = {"effect": 0.05, "ci_lower": -0.2, "ci_upper": 0.3, "p_value": 0.6}
WORSE = {"effect": -0.4, "ci_lower": -0.7, "ci_upper": -0.1, "p_value": 0.01}


def study(id: int = 1, *findings: FindingEvidence, **overrides) -> StudyEvidence:
    """A rigorous randomised controlled trial in the UK, by the developer."""
    fields = {
        "id": id,
        "label": f"Author{id} (20{10 + id})",
        "year": 2010 + id,
        "design": "rct",
        "country": "GB",
        "attrition_overall": Decimal("12.00"),
        "attrition_differential": Decimal("3.00"),
        "baseline_equivalence": True,
        "independent": False,
        "intervention_n": 60,
        "comparison_n": 60,
        "findings": findings or (finding(),),
    }
    fields.update(overrides)
    return StudyEvidence(**fields)


def level(*studies: StudyEvidence) -> str:
    return assess(studies).level


LONG = finding(months_after_end=12)


# Each case: (criterion, studies meeting it, the same with only that criterion flipped,
# level when met, level when not).
PAIRS = [
    ("randomised design", [study()], [study(design="pre_post")], "3", "2"),
    (
        "cluster randomised design",
        [study(design="cluster_rct")],
        [study(design="pre_post")],
        "3",
        "2",
    ),
    (
        "a comparison group counts for 2+ even when not rigorous",
        [study(design="qed", baseline_equivalence=False)],
        [study(design="pre_post", baseline_equivalence=False)],
        "2+",
        "2",
    ),
    ("valid measure", [study()], [study(1, finding(validated_measure=False))], "3", "NL2"),
    (
        "valid measure in a before-and-after study",
        [study(design="pre_post")],
        [study(1, finding(validated_measure=False), design="pre_post")],
        "2",
        "NL2",
    ),
    (
        "baseline equivalence in a quasi-experiment",
        [study(design="qed", baseline_equivalence=True)],
        [study(design="qed", baseline_equivalence=None)],
        "3",
        "2+",
    ),
    (
        "overall attrition at most 40%",
        [study(attrition_overall=Decimal("40.00"))],
        [study(attrition_overall=Decimal("40.01"))],
        "3",
        "2+",
    ),
    (
        "overall attrition reported",
        [study(attrition_overall=Decimal("0"))],
        [study(attrition_overall=None)],
        "3",
        "2+",
    ),
    (
        "differential attrition at most 10 points",
        [study(attrition_differential=Decimal("10.00"))],
        [study(attrition_differential=Decimal("10.01"))],
        "3",
        "2+",
    ),
    (
        "differential attrition reported",
        [study(attrition_differential=Decimal("0"))],
        [study(attrition_differential=None)],
        "3",
        "2+",
    ),
    (
        "at least 20 analysed in each group",
        [study(1, finding(intervention_n=20, comparison_n=20))],
        [study(1, finding(intervention_n=20, comparison_n=19))],
        "3",
        "2+",
    ),
    (
        "the study's group sizes when the finding gives none",
        [study(1, finding(intervention_n=None, comparison_n=None), comparison_n=20)],
        [study(1, finding(intervention_n=None, comparison_n=None), comparison_n=19)],
        "3",
        "2+",
    ),
    (
        "significant: p below .05",
        [study(1, finding(p_value=0.049))],
        [study(1, finding(p_value=0.05))],
        "3",
        "NE",
    ),
    (
        "significant: no p-value, the interval leaves out zero",
        [study(1, finding(p_value=None, ci_lower=0.01))],
        [study(1, finding(p_value=None, ci_lower=-0.01))],
        "3",
        "NE",
    ),
    (
        "direction: better for the child",
        [study(1, finding())],
        [study(1, finding(**WORSE))],
        "3",
        "NE",
    ),
    (
        "a child outcome, not a parent one",
        [study(1, finding(child_outcome=True))],
        [study(1, finding(child_outcome=False))],
        "3",
        "NL2",
    ),
    (
        "a second rigorous study",
        [study(1, LONG, independent=True), study(2)],
        [study(1, LONG, independent=True)],
        "4",
        "3+",
    ),
    (
        "the second study found a positive finding too",
        [study(1, LONG, independent=True), study(2)],
        [study(1, LONG, independent=True), study(2, finding(**NULL))],
        "4",
        "3+",
    ),
    (
        "the second study is rigorous",
        [study(1, LONG, independent=True), study(2)],
        [study(1, LONG, independent=True), study(2, attrition_overall=Decimal("41"))],
        "4",
        "3+",
    ),
    (
        "a positive finding 12 months or more after the end",
        [study(1, finding(months_after_end=12), independent=True), study(2)],
        [study(1, finding(months_after_end=11), independent=True), study(2)],
        "4",
        "3+",
    ),
    (
        "a study independent of the developer",
        [study(1, LONG), study(2, independent=True)],
        [study(1, LONG), study(2, independent=False)],
        "4",
        "3+",
    ),
    ("one of level 4's criteria makes 3+", [study(independent=True)], [study()], "3+", "3"),
    ("long follow-up alone makes 3+", [study(1, LONG)], [study(1, finding())], "3+", "3"),
    ("two studies alone make 3+", [study(1), study(2)], [study(1)], "3+", "3"),
    (
        "4+: a third rigorous study",
        [study(1, LONG, independent=True), study(2, independent=True), study(3)],
        [study(1, LONG, independent=True), study(2, independent=True)],
        "4+",
        "4",
    ),
    (
        "4+: two of them independent",
        [study(1, LONG, independent=True), study(2, independent=True), study(3)],
        [study(1, LONG, independent=True), study(2), study(3)],
        "4+",
        "4",
    ),
    (
        "2+: a second separate study",
        [study(1, design="pre_post"), study(2, design="pre_post")],
        [study(1, design="pre_post")],
        "2+",
        "2",
    ),
    (
        "2: the before-and-after finding is significant",
        [study(1, design="pre_post")],
        [study(1, finding(**NULL), design="pre_post")],
        "2",
        "NL2",
    ),
    (
        "NE needs rigorous evidence: a weak null study is NL2",
        [study(1, finding(**NULL))],
        [study(1, finding(**NULL), attrition_overall=Decimal("45"))],
        "NE",
        "NL2",
    ),
]


@pytest.mark.parametrize(
    "met, unmet, level_met, level_unmet",
    [case[1:] for case in PAIRS],
    ids=[case[0] for case in PAIRS],
)
def test_flipping_one_criterion_changes_the_level(met, unmet, level_met, level_unmet):
    assert level(*met) == level_met
    assert level(*unmet) == level_unmet


def test_every_level_is_reached_by_some_case():
    reached = {level for case in PAIRS for level in case[3:]}
    assert reached == set(rules.LEVELS)


def test_no_studies_is_not_yet_level_2():
    result = assess([])
    assert result.level == "NL2"
    assert result.explanation() == (
        "Level NL2 (not yet level 2) because no study of its effect on children has been added yet."
    )


@pytest.mark.parametrize("design", ["qualitative", "systematic_review"])
def test_reviews_and_qualitative_studies_do_not_count(design):
    result = assess([study(design=design)])
    assert result.level == "NL2"
    assert result.counted == ()
    assert [note.label for note in result.set_aside] == ["Author1 (2011)"]
    assert "does not count towards the level" in result.explanation()


def test_rigorous_evidence_of_no_effect_outweighs_a_weak_positive_study():
    result = assess([study(1, finding(**NULL)), study(2, design="pre_post")])
    assert result.level == "NE"
    assert [note.label for note in result.counted] == ["Author1 (2011)"]
    assert "Author2 (2012) found a positive finding but was not rigorous" in (result.explanation())


def test_a_rigorous_null_study_beside_a_positive_one_is_set_aside():
    result = assess([study(1, finding(**NULL)), study(2)])
    assert result.level == "3"
    assert [note.label for note in result.counted] == ["Author2 (2012)"]
    assert str(result.set_aside[0]) == (
        "Author1 (2011) was rigorous but found no significant improvement in behaviour problems"
    )


# --- harm ---


def test_a_rigorous_significant_worsening_is_flagged_whatever_the_level():
    harmed = study(1, finding(), finding(outcome="School attendance", **WORSE))
    result = assess([harmed])
    assert result.level == "3"
    assert result.harmful
    assert result.explanation().endswith(
        " Flagged whatever the level: Author1 (2011) found a significantly worse result on "
        "school attendance (when it ended)."
    )


def test_harm_in_a_parent_outcome_is_flagged_too():
    result = assess([study(1, finding(), finding(child_outcome=False, **WORSE))])
    assert result.level == "3"
    assert result.harmful


def test_harm_needs_a_rigorous_finding():
    assert assess([study(1, finding(**WORSE))]).harmful
    assert not assess([study(1, finding(**WORSE), attrition_overall=Decimal("41"))]).harmful
    assert not assess([study(1, finding(**WORSE), design="pre_post")]).harmful
    assert not assess([study(1, finding(**{**WORSE, "p_value": 0.2}))]).harmful


# --- UK-tested ---


def test_uk_tested_when_a_counted_rigorous_study_took_place_in_the_uk():
    assert assess([study(country="GB")]).uk_tested
    assert not assess([study(country="FR")]).uk_tested
    assert assess([study(country="FR"), study(2, country="GB")]).uk_studies == ("Author2 (2012)",)


def test_uk_tested_only_counts_studies_the_rating_counts():
    # The UK study found nothing; the rating rests on the French one.
    result = assess([study(1, finding(**NULL), country="GB"), study(2, country="FR")])
    assert result.level == "3"
    assert not result.uk_tested
    # A study that is not rigorous counts towards level 2, but is not a rigorous test.
    assert not assess([study(design="pre_post", country="GB")]).uk_tested
    assert not assess([study(design="qed", baseline_equivalence=False, country="GB")]).uk_tested


def test_rigorous_uk_evidence_of_no_effect_is_uk_tested():
    result = assess([study(1, finding(**NULL), country="GB")])
    assert (result.level, result.uk_tested) == ("NE", True)


# --- the explanation ---


def test_the_explanation_names_studies_by_citation_and_says_why_not_higher():
    first = study(1, LONG, label="Okafor (2019)", year=2019, independent=True)
    result = assess([first])
    assert result.level == "3+"
    assert result.explanation() == (
        "Level 3+ because a rigorous study, Okafor (2019), found a positive finding in a "
        "child outcome; a positive finding was measured 12 months or more after the "
        "intervention ended, by Okafor (2019) at 12 months; Okafor (2019) was independent of "
        "the developer. Not level 4 because only one rigorous study found a positive finding, "
        "and level 4 needs two with separate samples."
    )
    assert [str(note) for note in result.counted] == [
        "Okafor (2019) is a rigorous randomised controlled trial that found children did "
        "better on behaviour problems (12 months after it ended)"
    ]


def test_the_explanation_says_why_a_study_is_not_rigorous():
    weak = study(
        1,
        finding(intervention_n=12),
        label="Baker (2018)",
        design="qed",
        baseline_equivalence=False,
        attrition_overall=Decimal("45.50"),
    )
    text = assess([weak]).explanation()
    assert text.startswith("Level 2+ because a study that is not rigorous, Baker (2018), found")
    assert (
        "Not level 3 because no rigorous study found a positive finding: Baker (2018) did not "
        "show the groups were similar at the start, lost 45.5% of its sample (at most 40% is "
        "allowed) and analysed only 12 in one group (at least 20 are needed)."
    ) in text


def test_the_result_does_not_depend_on_the_order_of_studies_or_findings():
    studies = [
        study(1, finding(outcome="Attainment"), finding(**WORSE)),
        study(2, LONG, design="qed"),
        study(3, finding(**NULL), independent=True),
    ]
    shuffled = [replace(s, findings=tuple(reversed(s.findings))) for s in reversed(studies)]
    assert assess(shuffled) == assess(studies)


# --- the standard's version and purity ---


def test_version_matches_the_evidence_scale_in_the_standards_file():
    standards = json.loads((ROOT / "fixtures" / "standards.json").read_text(encoding="utf-8"))
    scale = next(s for s in standards["rating_scales"] if s["slug"] == "evidence-strength")
    assert scale["version"] == rules.VERSION
    assert [lv["code"] for lv in sorted(scale["levels"], key=lambda lv: lv["rank"])] == list(
        rules.LEVELS
    )


def test_the_rules_need_only_the_standard_library():
    # The demo generator runs without Django: importing the rules must not load it.
    code = "import sys, ratings.rules; sys.exit('django' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], cwd=ROOT).returncode == 0
