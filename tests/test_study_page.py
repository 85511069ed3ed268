"""The study page: what the study was, and every finding with its numbers as reported
beside the effect size worked out from them (checked against statsmodels)."""

import pytest

from interventions.models import Intervention
from tests import evidence_fixtures, factories
from tests.page_text import number, numbers, parse, table, text_of
from tests.reference_effects import TWO_PLACES, Z, expected_effect, improvement

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore::RuntimeWarning:statsmodels.*"),
]


def findings_table(response, count: int):
    return table(response, f"Findings, {count} in all").rows


def studied(**overrides) -> evidence_fixtures.Evidence:
    """The intervention with evidence of every shape, published: study pages show
    studies as the published versions of their interventions show them."""
    data = evidence_fixtures.studied_intervention(**overrides)
    factories.publish(data.intervention)
    return data


def test_every_finding_shows_its_computed_effect_size_equal_to_statsmodels(client, scales):
    data = studied()

    response = client.get(data.okafor.get_absolute_url())

    rows = findings_table(response, 3)
    by_measure = {
        "Strengths and Difficulties Questionnaire": data.okafor_sdq,
        "Social Skills Rating": data.okafor_social,
        "Entered care": data.okafor_care,
    }
    assert len(rows) == len(by_measure)
    for row in rows:
        finding = next(f for words, f in by_measure.items() if words in row[0])
        g, se = expected_effect(finding)
        shown = numbers(row[-3])[:3]
        assert shown == pytest.approx([g, g - Z * se, g + Z * se], abs=TWO_PLACES), row
        assert number(row[-2]) == pytest.approx(improvement(g), abs=TWO_PLACES), row


def test_each_finding_says_how_its_effect_size_was_worked_out_and_if_it_could_be_chance(
    client, scales
):
    data = studied()

    okafor = findings_table(client.get(data.okafor.get_absolute_url()), 3)
    lindqvist = findings_table(client.get(data.lindqvist.get_absolute_url()), 2)
    mensah = findings_table(client.get(data.mensah.get_absolute_url()), 1)

    sdq = next(row for row in okafor if "Strengths and Difficulties" in row[0])
    care = next(row for row in okafor if "Entered care" in row[0])
    assert "Unlikely to be chance Hedges' g from means, standard deviations" in sdq[-3]
    assert "Could be chance Cox index from events and group sizes" in care[-3]
    assert care[1:3] == ["31 of 100 (31%)", "40 of 100 (40%)"]
    eyberg = next(row for row in lindqvist if "Eyberg" in row[0])
    assert eyberg[1] == "t statistic -1.4 61 and 58 children"
    assert "Hedges' g from a t statistic and group sizes" in eyberg[-3]
    assert mensah[0][1].startswith("Reported effect size 0.05 standard error 0.12")
    assert "Effect size as reported by the study" in mensah[0][-3]


def test_a_harmful_finding_says_worse_with_the_intervention(client, scales):
    intervention = factories.make_intervention()
    study = factories.make_study(intervention)
    factories.make_finding(
        study, intervention, intervention_mean=14.0, comparison_mean=11.0, p_value=0.01
    )
    factories.publish(intervention)

    row = findings_table(client.get(study.get_absolute_url()), 1)[0]

    assert "Worse with the intervention, unlikely to be chance" in row[-3]
    assert row[-2].startswith("\u2212")  # a true minus sign


def test_study_page_describes_the_study_in_plain_words(client, scales):
    intervention = factories.make_intervention(name="Hearthstone Parent Group")
    study = factories.make_study(
        intervention,
        authors="Okafor, A., Reid, J.",
        year=2021,
        title="The Hearthstone trial",
        publication="Journal of Family Studies",
        doi="10.1234/jfs.2021.01",
        url="https://example.org/hearthstone-trial",
        design="cluster_rct",
        country="IE",
        intervention_n=120,
        comparison_n=118,
        follow_up_months=18,
        independent=False,
        population="Parents in three Irish towns.",
        ethnicity="White Irish 91%; other 9%.",
        quality_notes="Teachers knew which schools took part.",
    )
    factories.make_finding(study, intervention)
    factories.publish(intervention)

    response = client.get(study.get_absolute_url())

    text = text_of(response)
    links = parse(response).links
    assert "Okafor, A., Reid, J. (2021). The Hearthstone trial. Journal of Family Studies." in text
    assert ("https://doi.org/10.1234/jfs.2021.01", "10.1234/jfs.2021.01") in links
    assert ("https://example.org/hearthstone-trial", "Read the study: The Hearthstone trial") in (
        links
    )
    assert "Whole groups, such as schools or areas, were put into" in text
    assert "Ireland" in text and "(in the UK)" not in text
    assert "120 in the group that got the intervention" in text
    assert "118 in the comparison group" in text
    assert "18 months" in text
    assert "No, or not known" in text  # independence
    assert "Parents in three Irish towns." in text
    assert "White Irish 91%; other 9%." in text
    assert "Teachers knew which schools took part." in text
    assert (intervention.get_absolute_url(), "Hearthstone Parent Group") in links


def test_study_page_lists_only_published_interventions_and_their_findings(client, scales):
    published = factories.make_intervention(name="Hearthstone Parent Group")
    draft = factories.make_intervention(name="Secret Draft", status=Intervention.Status.DRAFT)
    study = factories.make_study(published, draft)
    factories.make_finding(study, published, measure="Public measure")
    factories.make_finding(study, draft, measure="Finding about the draft")
    factories.publish(published)

    text = text_of(client.get(study.get_absolute_url()))

    assert "Hearthstone Parent Group" in text and "Public measure" in text
    assert "Secret Draft" not in text and "Finding about the draft" not in text
    assert "Findings, 1 in all" in text


@pytest.mark.parametrize(
    "status",
    [Intervention.Status.DRAFT, Intervention.Status.IN_REVIEW, Intervention.Status.PUBLISHED],
)
def test_a_study_of_interventions_that_are_not_published_is_not_found(client, scales, status):
    # Whatever its status, an intervention never published as a version shows no study.
    intervention = factories.make_intervention(status=status)
    study = factories.make_study(intervention)
    factories.make_finding(study, intervention)

    response = client.get(study.get_absolute_url())

    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_a_study_edit_or_a_new_study_is_not_public_until_published(client, scales):
    intervention = factories.make_intervention()
    study = factories.make_study(intervention, title="The first title")
    factories.make_finding(study, intervention, measure="First measure")
    factories.publish(intervention)
    study.title = "A corrected title"
    study.save()
    factories.make_finding(study, intervention, measure="Unchecked measure")
    newer = factories.make_study(intervention, title="A study not yet published")
    factories.make_finding(newer, intervention)

    before = text_of(client.get(study.get_absolute_url()))
    newer_before = client.get(newer.get_absolute_url()).status_code
    factories.publish(intervention, note="Corrected the title; added a study.")
    after = text_of(client.get(study.get_absolute_url()))

    assert "The first title" in before and "A corrected title" not in before
    assert "Unchecked measure" not in before and "Findings, 1 in all" in before
    assert newer_before == 404
    assert "A corrected title" in after and "Unchecked measure" in after
    assert client.get(newer.get_absolute_url()).status_code == 200


def test_the_numbers_help_links_to_the_methods_page(client, scales):
    data = studied()

    links = parse(client.get(data.okafor.get_absolute_url())).links

    assert ("/methods/#effect-sizes", "More about effect sizes") in links
    assert ("/methods/#improvement-index", "More about the improvement index") in links
