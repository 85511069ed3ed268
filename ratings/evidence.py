"""What an intervention's evidence says, one outcome domain at a time.

The intervention page (and the admin) show, for each outcome domain: its
findings, a pooled estimate when two or more separate studies allow one, a
warning when those studies disagree, and plain sentences saying what changed.
Child outcomes come first; parent and family outcomes are shown but do not
decide the rating.

Everything here works on findings whose study and outcome domain are already
loaded (`with_findings` prefetches them), so it runs no queries of its own.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from django.db.models import Prefetch, QuerySet

from interventions.formatting import events_in_words, lower_first, ordinal, two_places
from interventions.models import OutcomeDomain
from ratings import derived, effect_sizes, forest_plot, rules
from ratings.effect_sizes import EffectSize, Pooled
from ratings.models import Finding, Study

# Only studies that compare an intervention group with a comparison group give
# effect sizes on one footing (the standard's own list). Before-and-after changes, and
# reviews (which would count their own studies a second time), are shown but never
# pooled or plotted.
COMPARISON_DESIGNS = frozenset(rules.COMPARISON_DESIGNS)
# At this I-squared or more, the studies differ by more than chance would explain.
DISAGREEMENT_I_SQUARED = 50.0
CHANCE = "unlikely to be chance"


def with_findings(interventions: QuerySet) -> QuerySet:
    """Prefetch each intervention's findings with their study and outcome domain,
    as `evidence_findings`: one query for any number of findings."""
    return interventions.prefetch_related(
        Prefetch(
            "findings",
            queryset=Finding.objects.select_related("study", "outcome__domain"),
            to_attr="evidence_findings",
        )
    )


def improves(finding: Finding) -> bool:
    """A positive finding: a better result for the child, unlikely to be chance."""
    return finding.effect_size > 0 and finding.is_significant


def harms(finding: Finding) -> bool:
    """A harmful finding: a worse result with the intervention, unlikely to be chance."""
    return finding.effect_size < 0 and finding.is_significant


def has_comparison_group(finding: Finding) -> bool:
    return finding.study.design in COMPARISON_DESIGNS


def _count(number: int, one: str, many: str) -> str:
    return f"{number} {one if number == 1 else many}"


def _effect(finding: Finding) -> EffectSize:
    return EffectSize(finding.effect_size, finding.effect_se, finding.effect_method)


def _finding_order(finding: Finding) -> tuple:
    study = finding.study
    return (study.year, study.authors, study.pk, finding.months_after_end, finding.pk)


@dataclass(frozen=True)
class StudyEffect:
    """One study's result in one domain: its findings there, combined into one effect."""

    study: Study
    findings: list[Finding]

    @cached_property
    def effect(self) -> EffectSize:
        return effect_sizes.combine_within_study([_effect(f) for f in self.findings])

    @property
    def improved(self) -> bool:
        return any(improves(f) for f in self.findings)

    @property
    def harmed(self) -> bool:
        return any(harms(f) for f in self.findings)


def _percent(value: float) -> str:
    rounded = round(value)
    return "under 1%" if rounded < 1 else f"{rounded}%"


@dataclass(frozen=True)
class Weight:
    """A plotted finding's share of its domain's average, in percent.

    Each study's share is its random-effects weight (`Pooled.weights`). A study with
    several findings here counts once, as the mean of its findings, so each of them
    carries an equal part of the study's share: the parts add up to 100. With only one
    study there is no average and so no weight (`percent` is None).
    """

    percent: float | None
    study_percent: float | None
    shared_by: int  # the study's findings in this domain

    @property
    def share(self) -> str:
        return "—" if self.percent is None else _percent(self.percent)

    @property
    def note(self) -> str:
        if self.percent is None:
            return "Only one study, so no average"
        if self.shared_by > 1:
            return (
                f"Part of the study's {_percent(self.study_percent)}, "
                f"shared by its {self.shared_by} results"
            )
        return ""


@dataclass
class DomainEvidence:
    """The findings in one outcome domain and what they add up to."""

    domain: OutcomeDomain
    findings: list[Finding]  # from studies with a comparison group: plotted and pooled
    other_findings: list[Finding]  # before-and-after studies and reviews: listed only

    @property
    def anchor(self) -> str:
        return f"outcome-{self.domain.slug}"

    @property
    def finding_count(self) -> int:
        return len(self.findings) + len(self.other_findings)

    @property
    def decides_rating(self) -> bool:
        return self.domain.subject == OutcomeDomain.Subject.CHILD

    @property
    def person(self) -> str:
        return "child" if self.decides_rating else "parent"

    @cached_property
    def study_effects(self) -> list[StudyEffect]:
        by_study: dict[int, StudyEffect] = {}
        for finding in self.findings:
            by_study.setdefault(finding.study.pk, StudyEffect(finding.study, [])).findings.append(
                finding
            )
        return list(by_study.values())

    @cached_property
    def pooled(self) -> Pooled | None:
        """Random-effects average, one effect per study, when two or more studies allow it."""
        if len(self.study_effects) < 2:
            return None
        return effect_sizes.pool_random_effects([s.effect for s in self.study_effects])

    @cached_property
    def weights(self) -> dict[int, Weight]:
        """Each plotted finding's weight in the average, by finding id."""
        pooled = self.pooled
        weights = {}
        for i, study in enumerate(self.study_effects):
            study_percent = pooled.weights[i] if pooled is not None else None
            shared_by = len(study.findings)
            for finding in study.findings:
                percent = None if study_percent is None else study_percent / shared_by
                weights[finding.pk] = Weight(percent, study_percent, shared_by)
        return weights

    @property
    def headline(self) -> EffectSize | Pooled | None:
        """The domain's overall result: the pooled estimate, or the one study's effect."""
        if self.pooled is not None:
            return self.pooled
        if len(self.study_effects) == 1:
            return self.study_effects[0].effect
        return None

    @property
    def headline_improvement_index(self) -> float | None:
        headline = self.headline
        return None if headline is None else effect_sizes.improvement_index(headline.estimate)

    @property
    def pooled_significant(self) -> bool:
        """The pooled interval leaves out zero."""
        pooled = self.pooled
        return pooled is not None and (pooled.ci_lower > 0 or pooled.ci_upper < 0)

    @property
    def disagree(self) -> bool:
        return self.pooled is not None and self.pooled.i_squared >= DISAGREEMENT_I_SQUARED

    @property
    def improved(self) -> bool:
        return any(s.improved for s in self.study_effects)

    @property
    def harmful_findings(self) -> list[Finding]:
        return [f for f in self.findings if harms(f)]

    @cached_property
    def sentences(self) -> list[str]:
        """What the studies found, in plain words."""
        name = lower_first(self.domain.name)
        studies = self.study_effects
        if not studies:
            sentences = [f"No study with a comparison group looked at {name}."]
        else:
            sentences = [
                f"{_count(len(studies), 'study', 'studies')} with a comparison group "
                f"looked at {name}.",
                self._found(sum(s.improved for s in studies), "an improvement"),
            ]
            harmed = sum(s.harmed for s in studies)
            if harmed:
                sentences.append(self._found(harmed, "a worse result with the intervention"))
            sentences += self._percentile_sentences()
        if self.other_findings:
            others = len({f.study.pk for f in self.other_findings})
            sentences.append(
                f"{_count(others, 'other study', 'other studies')} without a comparison group "
                f"also looked at it. We show {'its' if others == 1 else 'their'} results but do "
                "not count them in the average, as they cannot show the intervention caused "
                "a change."
            )
        return sentences

    def _found(self, studies: int, what: str) -> str:
        total = len(self.study_effects)
        if total == 1:
            if studies:
                return f"It found {what} that is {CHANCE}."
            return f"It did not find {what} that is {CHANCE}."
        if studies == total:
            return f"{'Both' if total == 2 else f'All {total}'} found {what} that is {CHANCE}."
        return f"{studies or 'None'} found {what} that is {CHANCE}."

    def _percentile_sentences(self) -> list[str]:
        """The improvement index in words, for an average child in the comparison group."""
        headline = self.headline
        moved = min(99, max(1, 50 + round(effect_sizes.improvement_index(headline.estimate))))
        if self.pooled is not None:
            opening = f"Averaged over the {len(self.study_effects)} studies"
        elif len(self.findings) > 1:
            opening = f"Averaged over its {len(self.findings)} results"
        else:
            opening = "On average"
        someone = f"a {self.person} in the comparison group"
        if moved == 50:
            sentences = [
                f"{opening}, the difference would move {someone} less than one place "
                "in a line of 100."
            ]
        elif moved > 50:
            sentences = [
                f"{opening}, {someone} would move from the 50th to about the "
                f"{ordinal(moved)} percentile with the intervention."
            ]
        else:
            sentences = [
                f"{opening}, {someone} would move down from the 50th to about the "
                f"{ordinal(moved)} percentile with the intervention: a worse result."
            ]
        if headline.ci_lower <= 0 <= headline.ci_upper:
            what = "average" if len(self.findings) > 1 else "result"
            sentences.append(
                f"The range of likely values for this {what} includes no difference, "
                "so it could be chance."
            )
        return sentences

    @property
    def disagreement(self) -> str:
        """The warning shown when the pooled studies disagree (I-squared of 50% or more)."""
        if not self.disagree:
            return ""
        share = round(self.pooled.i_squared)
        return (
            "The studies disagree. Their results differ by more than chance would explain: "
            f"about {share}% of the spread between them is real difference between the "
            "studies, not chance. The average may hide this, so read each study's result."
        )

    @property
    def yes_no_results(self) -> list[str]:
        """Yes/no outcomes as the two percentages, e.g. "Entered care: 31% of ... and 40% ..."."""
        return [
            f"{f.measure}: {events_in_words(f.intervention_events, f.intervention_n)} in the "
            f"intervention group and {events_in_words(f.comparison_events, f.comparison_n)} in "
            f"the comparison group ({f.study.short_citation}, {lower_first(f.timepoint)})."
            for f in self.findings
            if f.statistics_form == Finding.StatisticsForm.BINARY
        ]

    @cached_property
    def forest_plot(self) -> forest_plot.ForestPlot | None:
        if not self.findings:
            return None
        entries = [
            forest_plot.Entry(
                label=f"{f.study.short_citation}, {lower_first(f.timepoint)}: {f.measure}",
                estimate=f.effect_size,
                lower=f.effect_ci_lower,
                upper=f.effect_ci_upper,
                weight=self.weights[f.pk].percent,
            )
            for f in self.findings
        ]
        pooled = None
        if self.pooled is not None:
            pooled = forest_plot.Entry(
                label=f"Average of {len(self.study_effects)} studies",
                estimate=self.pooled.estimate,
                lower=self.pooled.ci_lower,
                upper=self.pooled.ci_upper,
            )
        return forest_plot.layout(
            ident=f"forest-{self.domain.slug}",
            title=f"Chart of the results for {lower_first(self.domain.name)}",
            description=self._plot_description(),
            entries=entries,
            pooled=pooled,
        )

    def _plot_description(self) -> str:
        findings, studies = len(self.findings), len(self.study_effects)
        text = (
            f"A forest plot of {_count(findings, 'finding', 'findings')} from "
            f"{_count(studies, 'study', 'studies')}. Each row is one finding: a square at its "
            "effect size and a line across its 95% confidence interval. Results right of the "
            "zero line favour the intervention; results left of it favour the comparison group."
        )
        if self.pooled is not None:
            pooled = self.pooled
            text += (
                " Each square's size shows the finding's weight in the average: the bigger "
                "the square, the more it counts."
                f" The diamond is the average of the {studies} studies: "
                f"{two_places(pooled.estimate)}, from {two_places(pooled.ci_lower)} "
                f"to {two_places(pooled.ci_upper)}."
            )
        else:
            text += (
                " The squares are all one size: with only one study there is no average "
                "to weigh them in."
            )
        return text + " The table after the chart gives the same numbers."


@dataclass
class Evidence:
    """An intervention's evidence, domain by domain: child outcomes first."""

    domains: list[DomainEvidence]
    findings: list[Finding]

    @cached_property
    def assessment(self) -> rules.Assessment:
        """What the evidence standard makes of these findings (no queries: the studies
        come with them). Its harm flag is the one the summary shows."""
        by_study: dict[int, tuple[Study, list[Finding]]] = {}
        for finding in self.findings:
            by_study.setdefault(finding.study.pk, (finding.study, []))[1].append(finding)
        return rules.assess(
            derived.study_evidence(study, findings) for study, findings in by_study.values()
        )

    @property
    def improved_domains(self) -> list[DomainEvidence]:
        """Domains where a study with a comparison group found a positive finding."""
        return [d for d in self.domains if d.improved]


def summarise(findings: Iterable[Finding]) -> Evidence:
    """Group findings (with study and outcome domain loaded) by outcome domain."""
    findings = sorted(findings, key=_finding_order)
    by_domain: dict[int, DomainEvidence] = {}
    for finding in findings:
        domain = finding.outcome.domain
        summary = by_domain.setdefault(domain.pk, DomainEvidence(domain, [], []))
        group = summary.findings if has_comparison_group(finding) else summary.other_findings
        group.append(finding)
    domains = sorted(
        by_domain.values(),
        key=lambda d: (not d.decides_rating, d.domain.position, d.domain.name),
    )
    return Evidence(domains, findings)
