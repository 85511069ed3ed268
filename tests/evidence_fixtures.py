"""An intervention with evidence of every shape the pages show: several studies in
one child outcome domain (so a pooled estimate), a study with two findings in it
(combined before pooling), every form of statistics, a yes/no outcome in another
domain, a parent outcome, and a before-and-after study that is shown but not pooled."""

from dataclasses import dataclass

from interventions.models import Intervention, Outcome, OutcomeDomain
from ratings.models import Finding, Study
from tests import factories

CHILD = OutcomeDomain.Subject.CHILD
PARENT = OutcomeDomain.Subject.PARENT_FAMILY


def make_domain(name: str, slug: str, subject=CHILD, position: int = 0) -> OutcomeDomain:
    domain, _ = OutcomeDomain.objects.get_or_create(
        slug=slug, defaults={"name": name, "subject": subject, "position": position}
    )
    return domain


def make_outcome(domain: OutcomeDomain, name: str) -> Outcome:
    return factories.make_outcome(domain=domain, name=name)


def binary(**overrides) -> dict:
    """The fields of a yes/no finding: events and group sizes, no means."""
    fields = {
        "statistics_form": Finding.StatisticsForm.BINARY,
        "intervention_mean": None,
        "intervention_sd": None,
        "comparison_mean": None,
        "comparison_sd": None,
    }
    return fields | overrides


def reported(**overrides) -> dict:
    """The fields of a finding that reports only an effect size."""
    fields = {
        "statistics_form": Finding.StatisticsForm.EFFECT_SIZE,
        "intervention_mean": None,
        "intervention_sd": None,
        "comparison_mean": None,
        "comparison_sd": None,
        "intervention_n": None,
        "comparison_n": None,
    }
    return fields | overrides


@dataclass
class Evidence:
    intervention: Intervention
    okafor: Study
    lindqvist: Study
    mensah: Study
    ashby: Study
    behaviour: OutcomeDomain
    care: OutcomeDomain
    parenting: OutcomeDomain
    okafor_sdq: Finding
    okafor_social: Finding
    lindqvist_t: Finding
    mensah_reported: Finding
    ashby_before_after: Finding
    okafor_care: Finding
    lindqvist_parenting: Finding


def studied_intervention(**overrides) -> Evidence:
    intervention = factories.make_intervention(**overrides)
    behaviour = make_domain("Behaviour and conduct", "behaviour", position=10)
    care = make_domain("Safely reducing entry to care", "entry-to-care", position=20)
    parenting = make_domain("Parenting", "parenting-outcomes", PARENT, position=5)
    conduct = make_outcome(behaviour, "Conduct problems")
    social = make_outcome(behaviour, "Social skills")
    entering_care = make_outcome(care, "Entering care")
    warmth = make_outcome(parenting, "Warm parenting")

    okafor = factories.make_study(intervention, authors="Okafor, A.", year=2019)
    lindqvist = factories.make_study(
        intervention, authors="Lindqvist, E.", year=2020, country="SE", independent=False
    )
    mensah = factories.make_study(
        intervention,
        authors="Mensah, K.",
        year=2022,
        design=Study.Design.QED,
        baseline_equivalence=True,
    )
    ashby = factories.make_study(
        intervention,
        authors="Ashby, R.",
        year=2017,
        design=Study.Design.PRE_POST,
        comparison_n=None,
    )

    def finding(study, outcome, **fields):
        return factories.make_finding(study, intervention, outcome=outcome, **fields)

    return Evidence(
        intervention=intervention,
        okafor=okafor,
        lindqvist=lindqvist,
        mensah=mensah,
        ashby=ashby,
        behaviour=behaviour,
        care=care,
        parenting=parenting,
        # Lower difficulties are better: 11.2 against 13.4 is an improvement.
        okafor_sdq=finding(okafor, conduct, p_value=0.003),
        okafor_social=finding(
            okafor,
            social,
            measure="Social Skills Rating",
            higher_is_better=True,
            intervention_mean=24.1,
            intervention_sd=6.0,
            comparison_mean=22.0,
            comparison_sd=6.2,
            p_value=0.012,
            timepoint="6 months after the end",
        ),
        lindqvist_t=finding(
            lindqvist,
            conduct,
            measure="Eyberg intensity",
            statistics_form="t_statistic",
            intervention_mean=None,
            intervention_sd=None,
            comparison_mean=None,
            comparison_sd=None,
            t_statistic=-1.4,
            intervention_n=61,
            comparison_n=58,
            p_value=0.16,
        ),
        mensah_reported=finding(
            mensah,
            conduct,
            measure="Teacher report of conduct",
            higher_is_better=True,
            p_value=None,
            **reported(reported_effect_size=0.05, reported_se=0.12),
        ),
        ashby_before_after=finding(
            ashby,
            conduct,
            measure="Change in difficulties",
            higher_is_better=True,
            p_value=0.001,
            **reported(reported_effect_size=0.6, reported_ci_lower=0.3, reported_ci_upper=0.9),
        ),
        okafor_care=finding(
            okafor,
            entering_care,
            measure="Entered care",
            informant="records",
            higher_is_better=False,
            p_value=0.17,
            timepoint="12 months after the end",
            **binary(
                intervention_events=31, intervention_n=100, comparison_events=40, comparison_n=100
            ),
        ),
        lindqvist_parenting=finding(
            lindqvist,
            warmth,
            measure="Parenting warmth scale",
            higher_is_better=True,
            intervention_mean=30.0,
            intervention_sd=5.0,
            comparison_mean=28.0,
            comparison_sd=5.0,
            intervention_n=61,
            comparison_n=58,
            p_value=0.03,
        ),
    )


def study_findings(study: Study, domain: OutcomeDomain) -> list[Finding]:
    return list(
        Finding.objects.filter(study=study, outcome__domain=domain).order_by(
            "months_after_end", "pk"
        )
    )
