"""The store's evidence-strength standard, version 2026.1, as code.

Pure functions on small frozen dataclasses, standard library only (no Django), so
the site (ratings/derived.py reads the input from the database) and the demo
generator (fixtures/demo_catalogue) apply one standard the same way. The written
standard is `../shared/brief/domain.md`, "Ratings"; the levels' technical meanings
in fixtures/standards.json say the same in words, and carry the same VERSION.

`assess(studies)` takes one intervention's studies, each holding only that
intervention's findings, and returns an itemised Assessment: the suggested level,
the studies counted and why, the criteria met and not met, the harm flag and
whether it was tested in the UK, with an explanation in plain English.

Decisions the written standard leaves open, made here and stated in the scale's
technical meanings:

- Only studies with a comparison group (randomised controlled trial, cluster
  randomised controlled trial, quasi-experimental design) can be rigorous.
  Before-and-after studies can reach level 2. Systematic reviews and qualitative
  studies inform the page but not the level: a review's trials are rated one by one.
- Rigour is judged per finding: the study's design, attrition and (for
  quasi-experiments) baseline equivalence, plus the finding's own measure and the
  number analysed in each group (the finding's numbers, or else the study's).
  Attrition that was not reported does not meet the test.
- A positive finding is a significant improvement (p < .05 as reported, or else a
  95% confidence interval that leaves out zero) in a child outcome, on the
  oriented effect size (positive is better for the child).
- "Lasted 12 months or more" means a positive finding measured at least 12
  months after the intervention ended, so an effect that faded does not count.
- Each study is treated as a separate sample. Curators override the suggestion
  when two reports share a sample.
- NE needs rigorous evidence: at least one rigorous study measured a child
  outcome and none found a positive finding. It outranks a positive finding
  from a study that is not rigorous.
- 2+ means level 2 plus part of level 3: the positive finding came from a study
  with a comparison group that fell short of rigorous, or two or more separate
  studies found positive findings.
- 4+ means level 4 and more: at least three rigorous studies with positive
  findings, at least two of them independent of the developer. This reading of
  "part of the next level" (there is no level 5) still awaits the standard
  owner's approval; change it here and in the scale's technical meaning together.
- Harm: any significant worsening in a rigorous finding, child or parent outcome,
  is flagged whatever the level.
- UK-tested: a study counted in the rating took place in the UK. The studies
  counted are the rigorous studies with positive findings (levels 3 to 4+) or
  the rigorous studies that found no improvement (NE); levels 2, 2+ and NL2
  count no rigorous study, so they are never UK-tested.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from ratings import effect_sizes

VERSION = "2026.1"

UK = "GB"
COMPARISON_DESIGNS = ("rct", "cluster_rct", "qed")  # can be rigorous
PRELIMINARY_DESIGNS = (*COMPARISON_DESIGNS, "pre_post")  # can reach level 2
DESIGN_NAMES = {
    "rct": "randomised controlled trial",
    "cluster_rct": "cluster randomised controlled trial",
    "qed": "quasi-experimental study",
    "pre_post": "before-and-after study",
    "qualitative": "qualitative study",
    "systematic_review": "systematic review",
}
MAX_ATTRITION = Decimal("40")  # percent of the sample, overall
MAX_DIFFERENTIAL = Decimal("10")  # percentage points between the groups
MIN_PER_GROUP = 20
LONG_TERM_MONTHS = 12

# Order of the levels, weakest first (the scale's ranks).
LEVELS = ("NE", "NL2", "2", "2+", "3", "3+", "4", "4+")
NAMES = {"NE": "found not to be effective", "NL2": "not yet level 2"}


@dataclass(frozen=True, kw_only=True)
class FindingEvidence:
    """One finding of one study, as the standard sees it."""

    outcome: str  # the outcome's name, e.g. "Behaviour problems"
    child_outcome: bool
    validated_measure: bool
    months_after_end: int
    effect: float  # oriented: positive is better for the child
    ci_lower: float
    ci_upper: float
    p_value: float | None
    intervention_n: int | None = None
    comparison_n: int | None = None

    @property
    def significant(self) -> bool:
        return effect_sizes.significant(self.p_value, self.ci_lower, self.ci_upper)

    @property
    def improved(self) -> bool:
        return self.significant and self.effect > 0

    @property
    def worse(self) -> bool:
        return self.significant and self.effect < 0


@dataclass(frozen=True, kw_only=True)
class StudyEvidence:
    """One study, with the findings for the intervention being assessed."""

    id: int
    label: str  # the short citation, e.g. "Okafor (2019)"
    year: int
    design: str
    country: str  # ISO 3166 code; "GB" is the UK
    attrition_overall: Decimal | None
    attrition_differential: Decimal | None
    baseline_equivalence: bool | None
    independent: bool
    intervention_n: int | None = None
    comparison_n: int | None = None
    findings: tuple[FindingEvidence, ...] = ()

    @property
    def design_name(self) -> str:
        return DESIGN_NAMES.get(self.design, self.design)


@dataclass(frozen=True)
class StudyNote:
    """Why a study counts towards the level, or why it does not. The text reads after
    the study's name: "Okafor (2019)" + " is a rigorous randomised controlled trial ..."."""

    id: int
    label: str
    text: str

    def __str__(self) -> str:
        return f"{self.label} {self.text}"


@dataclass(frozen=True)
class Assessment:
    level: str
    because: tuple[str, ...]  # the criteria met, in plain words
    not_higher: tuple[str, ...] = ()  # what the next level needs and is missing
    next_level: str | None = None
    counted: tuple[StudyNote, ...] = ()
    set_aside: tuple[StudyNote, ...] = ()
    harm: tuple[StudyNote, ...] = ()  # rigorous studies that found a significantly worse result
    uk_studies: tuple[str, ...] = ()  # labels of counted studies that took place in the UK
    version: str = VERSION

    @property
    def harmful(self) -> bool:
        return bool(self.harm)

    @property
    def uk_tested(self) -> bool:
        return bool(self.uk_studies)

    def explanation(self) -> str:
        """Why this level, and why not the next, in sentences for a page."""
        name = f" ({NAMES[self.level]})" if self.level in NAMES else ""
        text = f"Level {self.level}{name} because {'; '.join(self.because)}."
        if self.not_higher:
            text += f" Not level {self.next_level} because {'; '.join(self.not_higher)}."
        if self.harm:
            text += f" Flagged whatever the level: {'; '.join(map(str, self.harm))}."
        return text


# --- Rigour ---


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}"


def study_problems(study: StudyEvidence) -> list[str]:
    """Why the study's design or conduct falls short of rigorous; empty when it does not.
    Each reads after the study's name, e.g. "Chen (2020) had no comparison group"."""
    if study.design not in COMPARISON_DESIGNS:
        return ["had no comparison group"]
    problems = []
    if study.design == "qed" and study.baseline_equivalence is not True:
        problems.append("did not show the groups were similar at the start")
    overall, differential = study.attrition_overall, study.attrition_differential
    if overall is None:
        problems.append("did not report how many it lost from its sample")
    elif overall > MAX_ATTRITION:
        problems.append(
            f"lost {_percent(overall)}% of its sample (at most {MAX_ATTRITION}% is allowed)"
        )
    if differential is None:
        problems.append("did not report how many more it lost from one group than the other")
    elif differential > MAX_DIFFERENTIAL:
        problems.append(
            f"lost {_percent(differential)} percentage points more from one group than the "
            f"other (at most {MAX_DIFFERENTIAL} is allowed)"
        )
    return problems


def finding_problems(study: StudyEvidence, finding: FindingEvidence) -> list[str]:
    """Why one finding is not rigorous evidence; empty when it is."""
    problems = study_problems(study)
    if not finding.validated_measure:
        problems.append(f"measured {_lower(finding.outcome)} in a way not shown to be valid")
    if study.design in COMPARISON_DESIGNS:
        n1 = finding.intervention_n or study.intervention_n
        n2 = finding.comparison_n or study.comparison_n
        if n1 is None or n2 is None:
            problems.append("did not report how many it analysed in each group")
        elif min(n1, n2) < MIN_PER_GROUP:
            problems.append(
                f"analysed only {min(n1, n2)} in one group (at least {MIN_PER_GROUP} are needed)"
            )
    return problems


def is_rigorous(study: StudyEvidence, finding: FindingEvidence) -> bool:
    return not finding_problems(study, finding)


# --- The standard ---


@dataclass(frozen=True)
class _Weighed:
    """One study's child-outcome findings, sorted by what the standard makes of them."""

    study: StudyEvidence
    rigorous: tuple[FindingEvidence, ...]  # rigorous findings
    preliminary: tuple[FindingEvidence, ...]  # not rigorous, on a valid measure
    problems: tuple[str, ...]  # why its findings are not rigorous

    @property
    def improved(self) -> tuple[FindingEvidence, ...]:
        return tuple(f for f in self.rigorous or self.preliminary if f.improved)


def assess(studies: Iterable[StudyEvidence]) -> Assessment:
    """The level the standard suggests for one intervention, from its studies."""
    studies = sorted(studies, key=lambda s: (s.year, s.label, s.id))
    weighed, harm = [], []
    for study in studies:
        if study.design not in PRELIMINARY_DESIGNS:
            continue
        findings = sorted(study.findings, key=_finding_order)
        worse = [f for f in findings if f.worse and is_rigorous(study, f)]
        if worse:
            harm.append(_note(study, f"found a significantly worse result {_results(worse)}"))
        child = [f for f in findings if f.child_outcome]
        rigorous = tuple(f for f in child if is_rigorous(study, f))
        preliminary = () if rigorous else tuple(f for f in child if f.validated_measure)
        problems = _unique(p for f in child for p in finding_problems(study, f))
        weighed.append(_Weighed(study, rigorous, preliminary, tuple(problems)))

    rigorous = [w for w in weighed if w.rigorous]
    positive = [w for w in rigorous if w.improved]
    if positive:
        result = _level_3_up(positive)
    elif rigorous:
        result = _not_effective(rigorous, weighed)
    elif any(w.improved for w in weighed):
        result = _preliminary([w for w in weighed if w.improved])
    else:
        result = _not_level_2(weighed, studies)
    # Each gives: the level, the criteria met, those of the next level not met, the next
    # level, and the studies counted with why.
    level, because, not_higher, next_level, counted = result
    counted_ids = {w.study.id for w in counted}
    by_id = {w.study.id: w for w in weighed}
    return Assessment(
        level=level,
        because=tuple(because),
        not_higher=tuple(not_higher),
        next_level=next_level,
        counted=tuple(_note(w.study, text) for w, text in counted.items()),
        set_aside=tuple(
            _note(study, _set_aside_text(study, by_id.get(study.id)))
            for study in studies
            if study.id not in counted_ids
        ),
        harm=tuple(harm),
        uk_studies=tuple(w.study.label for w in counted if w.rigorous and w.study.country == UK),
    )


def _level_3_up(positive: list[_Weighed]):
    independent = [w.study for w in positive if w.study.independent]
    lasting = [(w.study, f) for w in positive for f in w.improved if _lasting(f)]
    latest = max(f.months_after_end for w in positive for f in w.improved)
    cited = _cite(w.study for w in positive)
    criteria = [
        (
            len(positive) >= 2,
            f"{_number(len(positive))} rigorous studies with separate samples, {cited}, found "
            "positive findings in child outcomes",
            "only one rigorous study found a positive finding, and level 4 needs two with "
            "separate samples",
        ),
        (
            bool(lasting),
            f"a positive finding was measured {LONG_TERM_MONTHS} months or more after the "
            "intervention ended"
            + (
                f", by {lasting[0][0].label} at {lasting[0][1].months_after_end} months"
                if lasting
                else ""
            ),
            f"no positive finding was measured {LONG_TERM_MONTHS} months or more after the "
            "intervention ended "
            + (
                f"(the latest was at {latest} months)"
                if latest
                else "(all were measured when it ended)"
            ),
        ),
        (
            bool(independent),
            f"{_cite(independent)} {'was' if len(independent) == 1 else 'were'} independent of "
            "the developer",
            "no study with a positive finding was independent of the developer",
        ),
    ]
    met = [yes for ok, yes, _ in criteria if ok]
    unmet = [no for ok, _, no in criteria if not ok]
    counted = {
        w: f"is a rigorous {w.study.design_name} that found children did better "
        f"{_results(w.improved)}"
        for w in positive
    }
    if not unmet:
        if len(positive) >= 3 and len(independent) >= 2:
            return "4+", met, [], None, counted
        short = []
        if len(positive) < 3:
            short.append(
                f"only {_number(len(positive))} rigorous studies found positive findings, and "
                "level 4+ needs three"
            )
        if len(independent) < 2:
            short.append(
                "only one of them was independent of the developer, and level 4+ needs two"
            )
        return "4", met, short, "4+", counted
    because = met
    if len(positive) == 1:
        because = [f"a rigorous study, {cited}, found a positive finding in a child outcome", *met]
    return ("3+" if met else "3"), because, unmet, "4", counted


def _not_effective(rigorous: list[_Weighed], weighed: list[_Weighed]):
    because = [
        "rigorous evidence found no improvement in child outcomes: "
        + "; ".join(
            f"{w.study.label} found no significant improvement {_outcomes(w.rigorous)}"
            for w in rigorous
        )
    ]
    outweighed = [w.study for w in weighed if not w.rigorous and w.improved]
    if outweighed:
        because.append(
            f"{_cite(outweighed)} found a positive finding but "
            f"{'was' if len(outweighed) == 1 else 'were'} not rigorous, so the rigorous "
            "evidence counts for more"
        )
    counted = {
        w: f"is a rigorous {w.study.design_name} that found no significant improvement "
        f"{_outcomes(w.rigorous)}"
        for w in rigorous
    }
    return "NE", because, [], None, counted


def _preliminary(positive: list[_Weighed]):
    with_comparison = [w.study for w in positive if w.study.design in COMPARISON_DESIGNS]
    cited = _cite(w.study for w in positive)
    because = [
        f"a study that is not rigorous, {cited}, found a positive finding in a child outcome"
        if len(positive) == 1
        else f"studies that are not rigorous, {cited}, found positive findings in child outcomes"
    ]
    if with_comparison:
        who = "it" if len(positive) == 1 else _cite(with_comparison)
        because.append(f"{who} had a comparison group")
    elif len(positive) >= 2:
        because.append(f"{_number(len(positive))} separate studies found positive findings")
    not_3 = "no rigorous study found a positive finding: " + "; ".join(
        f"{w.study.label} {_and(w.problems)}" for w in positive
    )
    counted = {
        w: f"is a {w.study.design_name} that found children did better "
        f"{_results(w.improved)}, but it {_and(w.problems)}"
        for w in positive
    }
    if len(because) > 1:
        return "2+", because, [not_3], "3", counted
    not_2_plus = (
        "the positive finding came from one study without a comparison group, and level 2+ "
        "needs a study with a comparison group or a second separate study"
    )
    return "2", because, [not_2_plus, not_3], "2+", counted


def _not_level_2(weighed: list[_Weighed], studies: list[StudyEvidence]):
    if not studies:
        return "NL2", ["no study of its effect on children has been added yet"], [], None, {}
    by_id = {w.study.id: w for w in weighed}
    reasons = "; ".join(f"{s.label} {_set_aside_text(s, by_id.get(s.id))}" for s in studies)
    because = [
        "evidence exists but no study found a positive finding in a child outcome on a valid "
        f"measure: {reasons}"
    ]
    return "NL2", because, [], None, {}


# --- Wording ---


def _note(study: StudyEvidence, text: str) -> StudyNote:
    return StudyNote(study.id, study.label, text)


def _set_aside_text(study: StudyEvidence, w: _Weighed | None) -> str:
    """Why a study does not count towards the level."""
    if study.design == "systematic_review":
        return (
            "is a systematic review, which does not count towards the level: the trials in it "
            "are rated one by one"
        )
    if w is None:
        return f"is a {study.design_name}, which does not count towards the level"
    if not study.findings:
        return "has no findings recorded yet"
    if not any(f.child_outcome for f in study.findings):
        return "measured only parent or family outcomes, which do not decide the level"
    if w.rigorous:
        return f"was rigorous but found no significant improvement {_outcomes(w.rigorous)}"
    if w.improved:
        return f"found children did better {_results(w.improved)}, but it {_and(w.problems)}"
    if w.preliminary:
        return (
            f"found no significant improvement {_outcomes(w.preliminary)}, and it "
            f"{_and(w.problems)}"
        )
    return _and(w.problems)


def _results(findings: Iterable[FindingEvidence]) -> str:
    return "on " + _and(f"{_lower(f.outcome)} ({_when(f)})" for f in findings)


def _outcomes(findings: Iterable[FindingEvidence]) -> str:
    return "in " + _and(_lower(f.outcome) for f in findings)


def _when(finding: FindingEvidence) -> str:
    months = finding.months_after_end
    if months == 0:
        return "when it ended"
    return f"{months} month{'s' if months != 1 else ''} after it ended"


def _lasting(finding: FindingEvidence) -> bool:
    return finding.months_after_end >= LONG_TERM_MONTHS


def _cite(studies: Iterable[StudyEvidence]) -> str:
    return _and(study.label for study in studies)


def _finding_order(finding: FindingEvidence):
    return (not finding.child_outcome, finding.outcome, finding.months_after_end)


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))


def _and(items: Iterable[str]) -> str:
    items = _unique(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _lower(name: str) -> str:
    """ "Behaviour problems" -> "behaviour problems", but "SDQ score" stays as it is."""
    if len(name) > 1 and name[1].isupper():
        return name
    return name[:1].lower() + name[1:]


_NUMBERS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


def _number(n: int) -> str:
    return _NUMBERS[n] if n < len(_NUMBERS) else str(n)
