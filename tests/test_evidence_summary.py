"""What ratings/evidence.py makes of an intervention's findings: domains in order, one
effect per study, a pooled estimate that agrees with statsmodels, and plain sentences."""

import math

import numpy as np
import pytest
from scipy.stats import norm
from statsmodels.stats.meta_analysis import combine_effects

from interventions.models import Intervention
from ratings import evidence
from ratings.models import Finding, Study
from tests import evidence_fixtures, factories

pytestmark = [
    pytest.mark.django_db,
    # statsmodels warns about the square root of a negative, untruncated tau-squared.
    pytest.mark.filterwarnings("ignore::RuntimeWarning:statsmodels.*"),
]

TWO_PLACES = 0.005


def summary_of(intervention: Intervention) -> evidence.Evidence:
    loaded = evidence.with_findings(Intervention.objects.filter(pk=intervention.pk)).get()
    return evidence.summarise(loaded.evidence_findings)


def domain(summary: evidence.Evidence, slug: str) -> evidence.DomainEvidence:
    return next(d for d in summary.domains if d.domain.slug == slug)


def statsmodels_pooled(per_study: list[list[Finding]]):
    """DerSimonian-Laird in statsmodels, on one effect per study: the mean of its findings'
    effect sizes with the mean of their standard errors."""
    effects = np.array([np.mean([f.effect_size for f in fs]) for fs in per_study])
    ses = np.array([np.mean([f.effect_se for f in fs]) for fs in per_study])
    result = combine_effects(effects, ses**2, method_re="dl")
    row = result.summary_frame().loc["random effect"]
    return row["eff"], row["ci_low"], row["ci_upp"], result.i2 * 100


def test_child_domains_come_first_and_parent_outcomes_do_not_decide_the_rating(scales):
    data = evidence_fixtures.studied_intervention()

    summary = summary_of(data.intervention)

    # Parenting's position (5) is lowest, but parent outcomes come after child ones.
    assert [d.domain.slug for d in summary.domains] == [
        "behaviour",
        "entry-to-care",
        "parenting-outcomes",
    ]
    assert [d.decides_rating for d in summary.domains] == [True, True, False]
    assert domain(summary, "parenting-outcomes").person == "parent"


def test_studies_without_a_comparison_group_are_listed_but_not_pooled(scales):
    data = evidence_fixtures.studied_intervention()

    behaviour = domain(summary_of(data.intervention), "behaviour")

    assert behaviour.other_findings == [data.ashby_before_after]
    assert data.ashby_before_after not in behaviour.findings
    assert [s.study for s in behaviour.study_effects] == [data.okafor, data.lindqvist, data.mensah]
    assert behaviour.pooled.studies == 3
    assert "1 other study without a comparison group also looked at it." in " ".join(
        behaviour.sentences
    )


def test_a_study_with_several_findings_in_a_domain_counts_once(scales):
    data = evidence_fixtures.studied_intervention()

    behaviour = domain(summary_of(data.intervention), "behaviour")

    okafor = behaviour.study_effects[0]
    assert okafor.findings == [data.okafor_sdq, data.okafor_social]
    assert okafor.effect.estimate == pytest.approx(
        (data.okafor_sdq.effect_size + data.okafor_social.effect_size) / 2
    )
    assert okafor.effect.se == pytest.approx(
        (data.okafor_sdq.effect_se + data.okafor_social.effect_se) / 2
    )


def test_pooled_estimate_equals_statsmodels(scales):
    data = evidence_fixtures.studied_intervention()

    behaviour = domain(summary_of(data.intervention), "behaviour")

    estimate, low, high, i_squared = statsmodels_pooled(
        [[data.okafor_sdq, data.okafor_social], [data.lindqvist_t], [data.mensah_reported]]
    )
    pooled = behaviour.pooled
    assert pooled.estimate == pytest.approx(estimate, abs=1e-9)
    assert pooled.ci_lower == pytest.approx(low, abs=1e-9)
    assert pooled.ci_upper == pytest.approx(high, abs=1e-9)
    assert pooled.i_squared == pytest.approx(i_squared, abs=1e-6)
    assert behaviour.headline_improvement_index == pytest.approx(
        (norm.cdf(estimate) - 0.5) * 100, abs=1e-9
    )


def test_each_plotted_finding_carries_its_share_of_the_average(scales):
    data = evidence_fixtures.studied_intervention()

    behaviour = domain(summary_of(data.intervention), "behaviour")

    per_study = [[data.okafor_sdq, data.okafor_social], [data.lindqvist_t], [data.mensah_reported]]
    effects = np.array([np.mean([f.effect_size for f in fs]) for fs in per_study])
    ses = np.array([np.mean([f.effect_se for f in fs]) for fs in per_study])
    study_weights = 100 * combine_effects(effects, ses**2, method_re="dl").weights_rel_re
    weights = behaviour.weights
    # Okafor's two findings are averaged into one effect, so each carries half its share.
    expected = {
        data.okafor_sdq.pk: study_weights[0] / 2,
        data.okafor_social.pk: study_weights[0] / 2,
        data.lindqvist_t.pk: study_weights[1],
        data.mensah_reported.pk: study_weights[2],
    }
    assert {pk: w.percent for pk, w in weights.items()} == pytest.approx(expected, abs=1e-9)
    assert sum(w.percent for w in weights.values()) == pytest.approx(100, abs=1e-9)
    assert weights[data.okafor_sdq.pk].study_percent == pytest.approx(study_weights[0])
    assert weights[data.okafor_sdq.pk].shared_by == 2
    assert data.ashby_before_after.pk not in weights  # not in the average
    # The chart draws each share: a bigger weight, a bigger square.
    by_weight = sorted(
        zip(
            [weights[f.pk].percent for f in behaviour.findings],
            behaviour.forest_plot.rows,
            strict=True,
        ),
        key=lambda pair: pair[0],
    )
    sides = [row.square for _, row in by_weight]
    assert sides == sorted(sides) and sides[0] < sides[-1]


def test_one_study_gives_no_weights_and_says_why(scales):
    data = evidence_fixtures.studied_intervention()

    care = domain(summary_of(data.intervention), "entry-to-care")

    weight = care.weights[data.okafor_care.pk]
    assert weight.percent is None
    assert (weight.share, weight.note) == ("\u2014", "Only one study, so no average")


def test_one_study_gives_no_pooled_estimate(scales):
    data = evidence_fixtures.studied_intervention()

    care = domain(summary_of(data.intervention), "entry-to-care")

    assert care.pooled is None
    assert care.headline.estimate == pytest.approx(data.okafor_care.effect_size)
    assert care.forest_plot.diamond is None


def test_sentences_say_how_many_studies_improved_and_what_it_means_for_a_child(scales):
    data = evidence_fixtures.studied_intervention()

    behaviour = domain(summary_of(data.intervention), "behaviour")

    index = (norm.cdf(behaviour.pooled.estimate) - 0.5) * 100
    percentile = 50 + round(index)
    assert 50 < percentile < 60  # the check below means something
    assert behaviour.sentences[:3] == [
        "3 studies with a comparison group looked at behaviour and conduct.",
        "1 found an improvement that is unlikely to be chance.",
        "Averaged over the 3 studies, a child in the comparison group would move from the "
        f"50th to about the {percentile}th percentile with the intervention.",
    ]


def test_one_study_in_a_domain_is_it_and_yes_no_outcomes_give_two_percentages(scales):
    data = evidence_fixtures.studied_intervention()

    care = domain(summary_of(data.intervention), "entry-to-care")

    # 31% against 40% entering care is better, but p = 0.17: it could be chance.
    assert care.sentences[:2] == [
        "1 study with a comparison group looked at safely reducing entry to care.",
        "It did not find an improvement that is unlikely to be chance.",
    ]
    assert care.sentences[-1] == (
        "The range of likely values for this result includes no difference, so it could be chance."
    )
    assert care.yes_no_results == [
        "Entered care: 31 of 100 (31%) in the intervention group and 40 of 100 (40%) in the "
        "comparison group (Okafor (2019), 12 months after the end)."
    ]


def test_parent_outcomes_speak_of_a_parent(scales):
    data = evidence_fixtures.studied_intervention()

    parenting = domain(summary_of(data.intervention), "parenting-outcomes")

    assert "a parent in the comparison group would move" in " ".join(parenting.sentences)


def test_improved_domains_are_those_with_a_positive_finding_from_a_comparison_study(scales):
    data = evidence_fixtures.studied_intervention()

    summary = summary_of(data.intervention)

    # Behaviour (Okafor) and parenting (Lindqvist) improved; entering care did not, and
    # Ashby's before-and-after improvement does not count.
    assert [d.domain.slug for d in summary.improved_domains] == [
        "behaviour",
        "parenting-outcomes",
    ]


def make_studies(intervention, outcome, effects: list[tuple[float, float]]) -> None:
    """One randomised trial per (effect size, standard error), as reported."""
    for n, (effect, se) in enumerate(effects):
        study = factories.make_study(intervention, authors=f"Author{n}, A.", year=2010 + n)
        factories.make_finding(
            study,
            intervention,
            outcome=outcome,
            higher_is_better=True,
            p_value=None,
            **evidence_fixtures.reported(reported_effect_size=effect, reported_se=se),
        )


def test_studies_that_disagree_get_a_plain_warning(scales):
    intervention = factories.make_intervention()
    outcome = factories.make_outcome()
    make_studies(intervention, outcome, [(0.9, 0.1), (-0.1, 0.1), (0.3, 0.1)])

    behaviour = summary_of(intervention).domains[0]

    effects, variances = np.array([0.9, -0.1, 0.3]), np.array([0.01, 0.01, 0.01])
    i_squared = combine_effects(effects, variances, method_re="dl").i2 * 100
    assert i_squared >= 50
    assert behaviour.disagree
    assert behaviour.disagreement == (
        "The studies disagree. Their results differ by more than chance would explain: "
        f"about {round(i_squared)}% of the spread between them is real difference between the "
        "studies, not chance. The average may hide this, so read each study's result."
    )


def test_studies_that_agree_get_no_warning(scales):
    intervention = factories.make_intervention()
    outcome = factories.make_outcome()
    make_studies(intervention, outcome, [(0.30, 0.1), (0.35, 0.1)])

    behaviour = summary_of(intervention).domains[0]

    assert behaviour.pooled.i_squared < 50
    assert not behaviour.disagree
    assert behaviour.disagreement == ""


def test_a_harmful_finding_is_called_out_and_flagged_by_the_standard(scales):
    intervention = factories.make_intervention()
    study = factories.make_study(intervention, authors="Harmsworth, B.")
    # Higher difficulties are worse: the intervention group scored higher, p = 0.01.
    harmful = factories.make_finding(
        study, intervention, intervention_mean=14.0, comparison_mean=11.0, p_value=0.01
    )

    summary = summary_of(intervention)

    behaviour = summary.domains[0]
    assert behaviour.harmful_findings == [harmful]
    assert "It found a worse result with the intervention that is unlikely to be chance." in (
        behaviour.sentences
    )
    assert "would move down from the 50th" in " ".join(behaviour.sentences)
    assert summary.assessment.harmful
    assert "Harmsworth (2021)" in str(summary.assessment.harm[0])


def test_a_significant_worse_result_in_a_study_that_is_not_rigorous_is_not_flagged(scales):
    intervention = factories.make_intervention()
    study = factories.make_study(intervention, attrition_overall=60)  # lost too many
    factories.make_finding(
        study, intervention, intervention_mean=14.0, comparison_mean=11.0, p_value=0.01
    )

    summary = summary_of(intervention)

    assert summary.domains[0].harmful_findings  # still shown where it belongs
    assert not summary.assessment.harmful  # but only rigorous harm is flagged at the top


def test_no_findings_give_no_domains(scales):
    intervention = factories.make_intervention()
    factories.make_study(intervention, design=Study.Design.QUALITATIVE)

    summary = summary_of(intervention)

    assert summary.domains == []
    assert summary.improved_domains == []


def test_the_prefetch_is_one_query_for_any_number_of_findings(scales, django_assert_num_queries):
    small = factories.make_intervention()
    large = factories.make_intervention()
    factories.make_finding(factories.make_study(small), small)
    for _ in range(5):
        study = factories.make_study(large)
        for _ in range(4):
            factories.make_finding(study, large)

    for intervention, count in [(small, 1), (large, 20)]:
        with django_assert_num_queries(2):  # 1 the intervention, 2 its findings with all
            loaded = evidence.with_findings(Intervention.objects.filter(pk=intervention.pk))
            summary = evidence.summarise(loaded.get().evidence_findings)
        with django_assert_num_queries(0):  # everything after runs on what was loaded
            assert sum(len(d.findings) for d in summary.domains) == count
            for d in summary.domains:
                assert d.sentences and d.forest_plot
            assert summary.assessment.level


def test_a_tiny_improvement_index_is_said_as_less_than_one_place(scales):
    intervention = factories.make_intervention()
    make_studies(intervention, factories.make_outcome(), [(0.005, 0.1)])

    behaviour = summary_of(intervention).domains[0]

    assert math.isclose(behaviour.headline.estimate, 0.005)
    assert (
        "On average, the difference would move a child in the comparison group less than one "
        "place in a line of 100." in behaviour.sentences
    )


def test_when_every_study_improved_the_sentence_says_all(scales):
    intervention = factories.make_intervention()
    outcome = factories.make_outcome()
    make_studies(intervention, outcome, [(0.4, 0.1), (0.5, 0.1)])
    both = summary_of(intervention).domains[0].sentences[1]
    make_studies(intervention, outcome, [(0.45, 0.1)])
    all_three = summary_of(intervention).domains[0].sentences[1]

    assert both == "Both found an improvement that is unlikely to be chance."
    assert all_three == "All 3 found an improvement that is unlikely to be chance."
