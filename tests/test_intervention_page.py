"""The intervention page, layered: a summary a senior leader can read alone, then the
sections, with the evidence as plain sentences, a forest plot and its table, whose
numbers must equal an independent computation (statsmodels)."""

import re
from datetime import UTC, date, datetime
from html import unescape

import numpy as np
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from interventions.models import Intervention
from publishing.models import Listing
from ratings.models import Rating, RatingScale, UnitCostEstimate
from tests import evidence_fixtures, factories
from tests.page_text import number, numbers, parse, table, text_of
from tests.reference_effects import TWO_PLACES, Z, expected_effect, improvement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::RuntimeWarning:statsmodels.*"),
]

EVIDENCE, COST = RatingScale.EVIDENCE, RatingScale.COST


def rated(data: evidence_fixtures.Evidence, **publishing) -> Intervention:
    """Rate and cost the intervention, then publish it: the public page shows versions."""
    intervention = data.intervention
    factories.rate(intervention, EVIDENCE, "3", reason="One rigorous UK trial.")
    UnitCostEstimate.record(
        intervention=intervention, unit_cost=850, price_year=2025, staff_time=850
    )
    factories.publish(intervention, **publishing)
    intervention.refresh_from_db()
    return intervention


def assert_row_shows(row: list[str], g: float, se: float) -> None:
    """The effect size cell ("0.42 0.15 to 0.69") and the improvement index cell."""
    shown_g, shown_low, shown_high = numbers(row[3])
    assert shown_g == pytest.approx(g, abs=TWO_PLACES), row
    assert shown_low == pytest.approx(g - Z * se, abs=TWO_PLACES), row
    assert shown_high == pytest.approx(g + Z * se, abs=TWO_PLACES), row
    assert number(row[4]) == pytest.approx(improvement(g), abs=TWO_PLACES), row


# --- The evidence -------------------------------------------------------------------------


def test_every_effect_size_interval_and_improvement_index_equals_statsmodels(client, scales):
    data = evidence_fixtures.studied_intervention()

    response = client.get(rated(data).get_absolute_url())

    rows = table(response, "Findings for Behaviour and conduct").rows
    findings = [data.okafor_sdq, data.okafor_social, data.lindqvist_t, data.mensah_reported]
    assert [row[0].split(" ")[0] for row in rows[:4]] == ["Okafor", "Okafor", "Lindqvist", "Mensah"]
    for row, finding in zip(rows, findings, strict=False):
        assert_row_shows(row, *expected_effect(finding))

    care = table(response, "Findings for Safely reducing entry to care").rows
    assert_row_shows(care[0], *expected_effect(data.okafor_care))
    assert "31 of 100 (31%) with the intervention; 40 of 100 (40%) without." in care[0][1]


def test_the_pooled_estimate_on_the_page_equals_statsmodels(client, scales):
    data = evidence_fixtures.studied_intervention()

    response = client.get(rated(data).get_absolute_url())

    per_study = [
        [expected_effect(data.okafor_sdq), expected_effect(data.okafor_social)],
        [expected_effect(data.lindqvist_t)],
        [expected_effect(data.mensah_reported)],
    ]
    effects = np.array([np.mean([g for g, _ in study]) for study in per_study])
    ses = np.array([np.mean([se for _, se in study]) for study in per_study])
    frame = combine_effects(effects, ses**2, method_re="dl").summary_frame()
    pooled = frame.loc["random effect"]

    last = table(response, "Findings for Behaviour and conduct").rows[-1]
    assert last[0].startswith("Average of 3 studies")
    shown = numbers(last[1])
    assert shown[0] == pytest.approx(pooled["eff"], abs=TWO_PLACES)
    assert shown[1] == pytest.approx(pooled["ci_low"], abs=TWO_PLACES)
    assert shown[2] == pytest.approx(pooled["ci_upp"], abs=TWO_PLACES)
    assert number(last[2]) == pytest.approx(improvement(pooled["eff"]), abs=TWO_PLACES)
    # The sentence rounds the same improvement to a whole percentile.
    percentile = 50 + round(improvement(pooled["eff"]))
    assert f"from the 50th to about the {percentile}th percentile" in text_of(response)


def test_the_findings_table_shows_each_findings_weight_in_the_average(client, scales):
    data = evidence_fixtures.studied_intervention()

    response = client.get(rated(data).get_absolute_url())

    per_study = [
        [expected_effect(data.okafor_sdq), expected_effect(data.okafor_social)],
        [expected_effect(data.lindqvist_t)],
        [expected_effect(data.mensah_reported)],
    ]
    effects = np.array([np.mean([g for g, _ in study]) for study in per_study])
    ses = np.array([np.mean([se for _, se in study]) for study in per_study])
    study_weights = combine_effects(effects, ses**2, method_re="dl").weights_rel_re * 100
    behaviour = table(response, "Findings for Behaviour and conduct")
    assert behaviour.header[-1].startswith("Weight in the average")
    *rows, average = behaviour.rows
    # Okafor's two findings count once, as their mean: each carries half its weight.
    expected = [study_weights[0] / 2, study_weights[0] / 2, study_weights[1], study_weights[2]]
    assert [number(row[-1]) for row in rows] == [round(w) for w in expected]
    assert (
        f"Part of the study's {round(study_weights[0])}%, shared by its 2 results" in (rows[0][-1])
    )
    assert number(average[-1]) == 100
    # One study: no average, so no weight is invented.
    care = table(response, "Findings for Safely reducing entry to care")
    assert care.rows[0][-1] == "\u2014 Only one study, so no average"
    # Studies without a comparison group are not in the average: no weight column.
    other = table(response, "Studies without a comparison group: not in the chart or the average")
    assert not any("Weight" in heading for heading in other.header)


def chart(html: str, domain: str) -> str:
    """The forest plot of one outcome domain, as SVG markup."""
    charts = re.findall(r"<svg .*?</svg>", html, flags=re.S)
    return unescape(next(svg for svg in charts if f'id="forest-{domain}-title"' in svg))


def test_the_chart_sizes_squares_by_weight_and_says_so(client, scales):
    data = evidence_fixtures.studied_intervention()

    html = client.get(rated(data).get_absolute_url()).content.decode()

    behaviour = chart(html, "behaviour")
    sides = [float(side) for side in re.findall(r'<rect [^>]*width="([\d.]+)"', behaviour)]
    assert len(sides) == 4 and len(set(sides)) > 1
    assert "Each square's size shows the finding's weight in the average" in behaviour
    care = chart(html, "entry-to-care")
    assert "The squares are all one size" in care


def test_evidence_says_what_changed_in_plain_words(client, scales):
    data = evidence_fixtures.studied_intervention()

    text = text_of(client.get(rated(data).get_absolute_url()))

    evidence = text[text.index("What the studies found") :]
    assert "3 studies with a comparison group looked at behaviour and conduct." in evidence
    assert "1 found an improvement that is unlikely to be chance." in evidence
    assert (
        "Entered care: 31 of 100 (31%) in the intervention group and 40 of 100 (40%) in the "
        "comparison group" in evidence
    )
    assert "1 other study without a comparison group also looked at it." in evidence
    assert "only children's outcomes decide the evidence rating" in evidence  # parenting
    assert evidence.index("Behaviour and conduct") < evidence.index("Parenting warmth scale")


def test_each_finding_links_to_its_study(client, scales):
    data = evidence_fixtures.studied_intervention()

    links = parse(client.get(rated(data).get_absolute_url())).links

    for study in [data.okafor, data.lindqvist, data.mensah, data.ashby]:
        assert (study.get_absolute_url(), study.short_citation) in links


def test_before_and_after_findings_have_their_own_table(client, scales):
    data = evidence_fixtures.studied_intervention()

    response = client.get(rated(data).get_absolute_url())

    other = table(
        response, "Studies without a comparison group: not in the chart or the average"
    ).rows
    assert len(other) == 1 and other[0][0].startswith("Ashby (2017)")
    assert numbers(other[0][3]) == pytest.approx([0.6, 0.3, 0.9], abs=TWO_PLACES)


def test_the_forest_plot_is_an_accessible_image_with_its_table_beside_it(client, scales):
    data = evidence_fixtures.studied_intervention()

    response = client.get(rated(data).get_absolute_url())

    html = response.content.decode()
    svg = re.search(r'<svg class="app-forest-plot__chart".*?</svg>', html, flags=re.S).group()
    opening = re.match(r"<svg[^>]*>", svg).group()
    assert 'role="img"' in opening
    assert 'viewBox="0 0 360 ' in opening
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', opening).group(1).split()
    title_id, description_id = labelled_by
    assert re.search(rf'<title id="{title_id}">Chart of the results for behaviour and', svg)
    description = re.search(rf'<desc id="{description_id}">(.*?)</desc>', svg, re.S).group(1)
    assert "A forest plot of 4 findings from 3 studies." in description
    assert "The diamond is the average of the 3 studies" in description
    assert "The table after the chart gives the same numbers." in description
    # The table comes straight after the chart, in a labelled region that can scroll.
    after = html[html.index(svg) + len(svg) :]
    assert re.match(
        r'\s*</div>\s*<div class="app-table-scroll" role="region" '
        r'aria-labelledby="outcome-behaviour-findings-caption" tabindex="0">',
        after,
    )
    for words in ["No difference", "Favours comparison", "Favours intervention"]:
        assert words in svg
    assert "<polygon" in svg  # the pooled diamond


def test_the_page_has_no_inline_styles_for_the_strict_content_security_policy(client, scales):
    data = evidence_fixtures.studied_intervention()

    response = client.get(rated(data).get_absolute_url())

    elements = parse(response).elements
    assert [tag for tag, attributes in elements if "style" in attributes] == []
    assert "style" not in [tag for tag, _ in elements]


def test_harm_found_by_a_rigorous_study_is_flagged_at_the_top(client, scales):
    intervention = factories.make_intervention(slug="risky")
    study = factories.make_study(intervention, authors="Harmsworth, B.")
    factories.make_finding(
        study, intervention, intervention_mean=14.0, comparison_mean=11.0, p_value=0.01
    )
    factories.publish(intervention)

    text = text_of(client.get("/interventions/risky/"))

    flag = "Whatever its evidence strength: a rigorous study found a worse result"
    assert flag in text
    assert text.index(flag) < text.index("Summary")
    assert "Harmsworth (2021) found a significantly worse result" in text
    assert "1 result here was worse with the intervention, and this is unlikely to be chance" in (
        text
    )


def test_no_harm_no_flag(client, scales):
    data = evidence_fixtures.studied_intervention()

    text = text_of(client.get(rated(data).get_absolute_url()))

    assert "Whatever its evidence strength" not in text
    assert "worse with the intervention" not in text


# --- The summary --------------------------------------------------------------------------


def summary_text(response) -> str:
    return summary_text_of(text_of(response))


def summary_text_of(text: str) -> str:
    return text[text.index("Summary") : text.index("On this page")]


def test_the_summary_alone_answers_whether_to_read_on(client, scales):
    data = evidence_fixtures.studied_intervention(
        name="Hearthstone Parent Group",
        available_in_uk=True,
        evidence_last_reviewed=date(2026, 1, 15),
        min_age_months=36,
        max_age_months=132,
    )
    intervention = rated(data)

    summary = summary_text(client.get(intervention.get_absolute_url()))

    assert "3 to 11 years" in summary
    assert "Level of need: Targeted selected" in summary
    assert "3 Evidence of a short-term effect" in summary
    assert "Evidence of a short-term effect." in summary  # the level's plain meaning
    assert "not how big the effect is. It is not a recommendation." in summary
    assert "3 Medium About £850 per child, at 2025 to 2026 prices." in summary
    outcomes = summary[summary.index("Found to improve") : summary.index("Cost")]
    # The specific outcomes, each with its size in words, children's and parents' apart.
    assert "Conduct problems: an average child would move up about 16 places in 100" in outcomes
    assert "Warm parenting (for parents or the family): an average parent would move" in outcomes
    assert "entry to care" not in outcomes  # could be chance
    assert "Tested in the UK: yes, a rigorous study counted in the rating took place" in summary
    assert "Available in the UK: yes, it can be bought or delivered in the UK now." in summary
    assert "4 studies, 3 of them in the UK." in summary
    assert "Evidence last reviewed: 15 January 2026." in summary


def test_the_summary_says_why_the_rating_is_what_it_is(client, scales):
    intervention = rated(evidence_fixtures.studied_intervention(name="Hearthstone Parent Group"))
    summary = summary_text(client.get(intervention.get_absolute_url()))
    assert "Why level 3 One rigorous UK trial." in summary
    assert "rather than the one the rules suggest" not in summary

    factories.rate(
        intervention,
        EVIDENCE,
        "2",
        basis=Rating.Basis.OVERRIDE,
        reason="The two trials share one sample.",
    )
    factories.publish(intervention, note="Rated 2: the trials share one sample.")
    summary = summary_text(client.get(intervention.get_absolute_url()))
    assert "Why level 2 The curators chose this level rather than the one the rules " in summary
    assert "The two trials share one sample." in summary


def test_improved_outcomes_link_to_their_evidence(client, scales):
    data = evidence_fixtures.studied_intervention()

    page = parse(client.get(rated(data).get_absolute_url()))

    assert ("#outcome-behaviour", "Conduct problems") in page.links
    assert "outcome-behaviour" in page.ids


def test_a_summary_with_no_improvement_says_so(client, scales):
    intervention = factories.make_intervention(slug="untested", available_in_uk=False)
    factories.publish(intervention)

    summary = summary_text(client.get("/interventions/untested/"))

    assert "no study that compared it with a similar group has found an improvement" in summary
    assert "Not rated yet" in summary
    assert "No unit cost recorded yet." in summary
    # Unrated: nothing has been counted in a rating yet, so "no" would mislead.
    assert "Tested in the UK: not rated yet, so no study has been counted in a rating" in summary
    assert "Available in the UK: no, not available in the UK now." in summary
    assert Listing.objects.get(intervention=intervention).uk_tested is False


def test_what_does_this_mean_links_go_to_the_level_on_the_methods_page(client, scales):
    data = evidence_fixtures.studied_intervention()

    links = parse(client.get(rated(data).get_absolute_url())).links

    meanings = [href for href, text in links if text.startswith("What does this mean?")]
    assert meanings == ["/methods/#evidence-3", "/methods/#cost-3", "/methods/#uk-tested"]


# --- Sections -----------------------------------------------------------------------------


SECTIONS = [
    ("about", "About"),
    ("who-it-is-for", "Who it is for"),
    ("delivery", "How it is delivered"),
    ("cost", "Cost"),
    ("theory-of-change", "Theory of change"),
    ("evidence", "Evidence"),
    ("rating-history", "Rating history"),
    ("page-history", "Page history"),
    ("cite", "Cite this version"),
]


def test_contents_list_leads_to_every_section_in_order(client, scales):
    data = evidence_fixtures.studied_intervention(
        eligibility_criteria="Parents worried about their child's behaviour.",
        exclusion_criteria="Families in crisis.",
        workforce="Two trained facilitators.",
        training="Three days.",
        supervision="Monthly.",
        licensing="Yearly licence.",
        change_mechanism="Warm, consistent parenting reduces conflict.",
    )

    response = client.get(rated(data).get_absolute_url())

    page = parse(response)
    start = page.links.index(("#about", "About"))  # the contents list, after the summary
    contents = [(href[1:], text) for href, text in page.links[start : start + len(SECTIONS)]]
    assert contents == SECTIONS
    assert all(anchor in page.ids for anchor, _ in SECTIONS)
    body = text_of(response).split("On this page", 1)[1]
    html = response.content.decode()
    headings = re.findall(r'<h2 class="govuk-heading-l[^"]*" id="([^"]+)"', html)
    assert headings == ["summary", *[anchor for anchor, _ in SECTIONS]]
    for words in [
        "Parents worried about their child's behaviour.",
        "Families in crisis.",
        "Two trained facilitators.",
        "Three days.",
        "Monthly.",
        "Yearly licence.",
        "Warm, consistent parenting reduces conflict.",
    ]:
        assert words in body


def test_cost_section_gives_the_breakdown(client, scales):
    intervention = factories.make_intervention(slug="costed")
    UnitCostEstimate.record(
        intervention=intervention,
        unit_cost=1200,
        per="family",
        price_year=2024,
        staff_time=900,
        training=200,
        licence=100,
    )
    factories.publish(intervention)

    text = text_of(client.get("/interventions/costed/"))

    cost = text[text.index("About £1,200 per family, at 2024 to 2025 prices. That is") :]
    assert "That is a cost rating of 4, medium-high." in cost
    assert "Staff time £900" in cost and "Training £200" in cost and "Licence £100" in cost
    assert "Materials Not broken down" in cost


def test_rating_history_shows_each_rating_with_its_basis_reason_suggestion_and_version(
    client, scales
):
    intervention = factories.make_intervention(slug="rerated")
    factories.rate(
        intervention,
        EVIDENCE,
        "2",
        rated_on=date(2023, 3, 1),
        basis=Rating.Basis.CONFIRMED,
        reason="Level 2 because a before-and-after study found a positive finding.",
        suggestion="Level 2 because a before-and-after study found a positive finding.",
        standards_version="2024.1",
    )
    factories.rate(
        intervention,
        EVIDENCE,
        "3",
        rated_on=date(2025, 6, 1),
        basis=Rating.Basis.OVERRIDE,
        reason="The two reports share one sample.",
        suggestion="Level 4 because two rigorous studies found positive findings.",
    )
    factories.publish(intervention)

    response = client.get("/interventions/rerated/")

    rows = table(response, "Rating history, newest first").rows
    assert rows[0][0] == "1 Jun 2025"
    assert "(current)" in rows[0][1] and "3 Evidence of a short-term effect" in rows[0][1]
    assert rows[0][2].startswith("Curator override, with a reason. The two reports share")
    assert "What the standard suggested Level 4 because two rigorous studies" in rows[0][2]
    assert rows[0][3] == "test-1"
    assert rows[1][0] == "1 Mar 2023"
    assert "(current)" not in rows[1][1]
    # The suggestion is the reason given: it is not repeated.
    assert "What the standard suggested" not in rows[1][2]
    assert rows[1][2].startswith("Suggested by the standard and confirmed by a curator.")
    assert rows[1][3] == "2024.1"


def test_cite_this_version_gives_its_permanent_address_and_the_date(client, scales):
    data = evidence_fixtures.studied_intervention(name="Hearthstone Parent Group")
    intervention = rated(data, when=datetime(2026, 2, 3, 10, tzinfo=UTC))

    text = text_of(client.get(intervention.get_absolute_url()))

    cite = text[text.index("Cite this version This address always shows version 1") :]
    permalink = f"/interventions/{intervention.slug}/versions/1/"
    assert (
        "Evidence Store (2026). Hearthstone Parent Group, version 1. Evidence strength 3: "
        "evidence of a short-term effect. Published 3 February 2026. "
        f"http://testserver{permalink}" in cite.replace(" .", ".").replace(" ,", ",")
    )
    assert client.get(permalink).status_code == 200


def test_an_unpublished_change_of_address_does_not_reach_the_page_or_its_links(client, scales):
    intervention = rated(evidence_fixtures.studied_intervention(slug="hearthstone"))
    intervention.slug = "hearthstone-renamed"
    intervention.save()

    response = client.get("/interventions/hearthstone/")

    html = response.content.decode()
    assert response.status_code == 200
    assert "hearthstone-renamed" not in html
    assert "http://testserver/interventions/hearthstone/versions/1/" in html  # the citation
    assert client.get("/interventions/hearthstone/versions/1/").status_code == 200


# --- Who sees it --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "status",
    [Intervention.Status.DRAFT, Intervention.Status.IN_REVIEW, Intervention.Status.PUBLISHED],
)
def test_an_intervention_that_is_not_published_is_not_found(client, scales, status):
    # Rated and studied, but never published as a version: whatever its status, no page.
    data = evidence_fixtures.studied_intervention(slug="not-public", status=status)
    factories.rate(data.intervention, EVIDENCE, "3", reason="One rigorous UK trial.")

    response = client.get("/interventions/not-public/")

    assert response.status_code == 404
    assert "Page not found" in text_of(response)
    assert "Okafor" not in text_of(response)


def test_an_unpublished_edit_is_not_on_the_page_until_it_is_published(client, scales):
    intervention = rated(evidence_fixtures.studied_intervention(slug="edited"))
    intervention.summary = "A new summary, not yet checked."
    intervention.save()
    factories.rate(intervention, EVIDENCE, "4", reason="A second trial.")

    before = text_of(client.get("/interventions/edited/"))
    factories.publish(intervention, note="New summary; rated 4.")
    after = text_of(client.get("/interventions/edited/"))

    assert "A new summary, not yet checked." not in before
    assert "3 Evidence of a short-term effect" in summary_text_of(before)
    assert "This is version 1," in before
    assert "A new summary, not yet checked." in after
    assert "4 Evidence of a long-term effect" in summary_text_of(after)
    assert "This is version 2," in after


def test_each_outcome_areas_chart_says_how_many_findings_it_holds(client, scales):
    data = evidence_fixtures.studied_intervention()
    text = text_of(client.get(rated(data).get_absolute_url()))
    findings = data.intervention.findings.select_related("outcome__domain")
    counts = {}
    for finding in findings:
        name = finding.outcome.domain.name
        counts[name] = counts.get(name, 0) + 1
    assert counts and max(counts.values()) > 1
    for name, count in counts.items():
        label = f"{count} finding{'s' if count > 1 else ''}"
        assert f"Chart and table of the {label} for {name[0].lower()}{name[1:]}" in text
