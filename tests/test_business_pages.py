"""The business-case pages: the brief, the local cost page, citations and the comparison."""

import csv
import io
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse

from ratings.models import Finding, RatingScale
from tests import factories
from tests.page_text import text_of
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db


def _pounds(amount: Decimal) -> str:
    """As the pages write money: pence only when there are some."""
    return f"£{amount:,.0f}" if amount == amount.to_integral_value() else f"£{amount:,.2f}"


def _family_service(**fields):
    """Published: rated 3, £1,200 a family at 2024 prices (£200 of it set-up spread per
    place), £5,000 to set up once, and a trial in which fewer children entered care."""
    intervention = factories.make_intervention(
        name=fields.pop("name", "Harbour Family Service"),
        workforce="A social worker and a family support worker.",
        training="Three days for each worker.",
        available_in_uk=True,
        **fields,
    )
    factories.rate(intervention, RatingScale.EVIDENCE, "3", reason="One rigorous UK trial.")
    factories.make_cost(
        intervention,
        per="family",
        unit_cost=Decimal("1200"),
        price_year=2024,
        staff_time=Decimal("1000"),
        set_up=Decimal("200"),
        set_up_cost_total=Decimal("5000"),
    )
    study = factories.make_study(intervention, authors="Marsh, T.", year=2022)
    first = factories.make_finding(study, intervention)
    intervention.target_outcomes.add(first.outcome)
    # Entered care: 62 of 200 with the service, 100 of 250 without.
    factories.make_finding(
        study,
        intervention,
        measure="Entered care",
        statistics_form=Finding.StatisticsForm.BINARY,
        intervention_mean=None,
        intervention_sd=None,
        comparison_mean=None,
        comparison_sd=None,
        intervention_events=62,
        intervention_n=200,
        comparison_events=100,
        comparison_n=250,
        p_value=0.04,
    )
    factories.publish(intervention)
    return intervention


def _url(name, intervention, number=1):
    return reverse(f"business:{name}", args=[intervention.slug, number])


def test_the_brief_gives_the_facts_a_decision_paper_needs(client):
    intervention = _family_service()
    with assert_queries(4):  # listing, version, price indexes, demo banner
        response = client.get(_url("brief", intervention))
    text = text_of(response)
    assert "Harbour Family Service" in text
    assert "3: " in text  # evidence strength with its meaning
    assert "About £1,200 per family, at 2024 to 2025 prices" in text
    assert "One-off set-up for a service: £5,000" in text
    assert "A social worker and a family support worker." in text
    assert "Three days for each worker." in text
    assert "A rating is not a recommendation." in text
    assert "Version 1, published" in text
    assert f"/interventions/{intervention.slug}/versions/1/" in text
    assert "save it as a PDF from your browser's print menu. It fits on one A4 page." in text


def test_the_intervention_page_links_to_the_brief_comparison_and_calculator(client):
    intervention = _family_service()
    page = client.get(intervention.get_absolute_url()).content.decode()
    assert _url("brief", intervention) in page
    assert f"{reverse('business:compare')}?i={intervention.slug}" in page
    assert f'action="{_url("costs", intervention)}"' in page
    assert _url("cite_ris", intervention) in page


def test_the_local_cost_counts_set_up_once(client):
    intervention = _family_service()
    with assert_queries(4):  # listing, version, price indexes, demo banner
        response = client.get(
            _url("costs", intervention), {"places": "40", "years": "2", "price_year": "2024"}
        )
    text = text_of(response)
    # Running (1,200 - 200) x 40 x 2 = 80,000; set-up 5,000 once; 85,000 in all.
    assert "the total cost is about £85,000" in text
    assert "Set-up, paid once: £5,000" in text
    assert "Running costs: £80,000" in text


def test_the_local_cost_moves_to_another_price_year_and_says_which_figures_it_used(client):
    intervention = _family_service()
    response = client.get(
        _url("costs", intervention), {"places": "40", "years": "2", "price_year": "2022"}
    )
    text = text_of(response)
    # Worked by hand from whichever release is loaded: each amount x index(2022) / index(2024),
    # to the penny. Running costs leave out the £200 set-up share: £1,000 a family.
    from business.models import GdpDeflator

    rows = {row.year: row for row in GdpDeflator.objects.filter(year__in=[2022, 2024])}
    ratio = rows[2022].index / rows[2024].index
    running_per_family = (Decimal("1000") * ratio).quantize(Decimal("0.01"), ROUND_HALF_UP)
    set_up = (Decimal("5000") * ratio).quantize(Decimal("0.01"), ROUND_HALF_UP)
    assert "at 2022 to 2023 prices" in text
    assert f"Running costs: {_pounds(running_per_family * 80)}" in text
    assert f"Set-up, paid once: {_pounds(set_up)}" in text
    assert f"2022 to 2023: {rows[2022].index}" in text
    assert f"2024 to 2025: {rows[2024].index}" in text
    assert f"Source: {rows[2022].source}" in text


def test_cases_avoided_are_stated_with_their_range_and_the_caveat(client):
    intervention = _family_service()
    response = client.get(
        _url("costs", intervention), {"places": "40", "years": "2", "price_year": "2024"}
    )
    text = text_of(response)
    # 9 in 100 (0.2 to 17.8); 80 places: 7.2 (0.1 to 14.3), and
    # £85,000 / 7.2 = £11,806 a case, from £85,000 / 14.26 = £5,959.
    assert (
        "Entered care (Marsh (2022)): about 9 fewer children in 100 than in the comparison "
        "group (between fewer than 1 and 18)." in text
    )
    assert "For your 80 places that is about 7 fewer children (between fewer than 1 and 14)" in text
    assert "at about £11,806 for each one (from £5,959 to £" in text
    assert "Your local population may differ." in text


@pytest.mark.parametrize(
    "params, message",
    [
        ({"places": "forty", "years": "2"}, "as a whole number"),
        ({"places": "0", "years": "2"}, "at least 1"),
        ({"places": "40", "years": "99"}, "no more than 10 years"),
        ({"places": "40"}, "Enter the number of years"),
        ({"places": "40", "years": "2", "price_year": "1999"}, "Choose a price year"),
        ({"places": "9" * 400, "years": "2\x00"}, "whole number"),
    ],
)
def test_bad_calculator_inputs_give_a_message_not_an_error(client, params, message):
    intervention = _family_service()
    for name in ["costs", "brief"]:
        response = client.get(_url(name, intervention), params)
        assert response.status_code == 400
        assert message in text_of(response)
        assert "There is a problem with the calculator" in text_of(response)


def test_citation_files_for_reference_managers(client):
    intervention = _family_service()
    ris = client.get(_url("cite_ris", intervention))
    assert ris["Content-Disposition"].endswith('.ris"')
    body = ris.content.decode()
    assert "TY  - ELEC" in body
    assert "TI  - Harbour Family Service, version 1" in body
    assert f"UR  - http://testserver/interventions/{intervention.slug}/versions/1/" in body
    bib = client.get(_url("cite_bib", intervention)).content.decode()
    assert bib.startswith(f"@online{{{intervention.slug}-v1,")
    assert "version = {1}" in bib


def test_a_version_that_does_not_exist_is_a_404(client):
    intervention = _family_service()
    assert client.get(_url("brief", intervention, 9)).status_code == 404
    assert client.get(_url("cite_ris", intervention, 9)).status_code == 404


def _compare(client, interventions, **params):
    query = [("i", i.slug) for i in interventions] + list(params.items())
    return client.get(reverse("business:compare"), query)


def test_the_comparison_names_each_version_and_makes_the_stronger_evidence_stand_out(client):
    strong = _family_service()
    weak = factories.make_intervention(name="Lantern Visits")
    factories.rate(weak, RatingScale.EVIDENCE, "2")
    factories.publish(weak)
    weak.summary = "Changed."
    weak.save()
    factories.publish(weak, change="minor", note="Wording.")
    response = _compare(client, [strong, weak])
    text = text_of(response)
    assert "Version 1, published" in text
    assert "Version 2, published" in text
    page = response.content.decode()
    assert page.count("Strongest evidence</strong>") == 1
    assert "3: " in text.split("Strongest evidence")[0].split("Evidence strength")[-1]


def test_the_comparison_runs_the_same_queries_for_two_or_four(client):
    interventions = [_family_service(name=f"Service {n}") for n in range(4)]
    # Chosen listings with their versions, the others to add, price indexes, demo banner.
    with assert_queries(4):
        _compare(client, interventions[:2])
    with assert_queries(4):
        _compare(client, interventions, places="40", years="2")


def test_the_comparison_explains_unknown_and_too_many_choices(client):
    interventions = [_family_service(name=f"Service {n}") for n in range(5)]
    text = text_of(_compare(client, interventions))
    assert "You can compare up to 4 interventions" in text
    text = text_of(client.get(reverse("business:compare"), {"i": ["no-such-thing", "x" * 5000]}))
    assert "We could not find “no-such-thing”" in text
    # PostgreSQL text cannot hold a NUL, so one is dropped before the lookup.
    for download in ["", "options-appraisal.csv"]:
        nul = client.get(reverse("business:compare") + download, {"i": ["a\x00b", "\x00"]})
        assert nul.status_code == 200
    assert "Choose at least two to compare." in text


def test_the_options_appraisal_download_names_versions_permalinks_and_local_costs(client):
    one, two = _family_service(name="Service A"), _family_service(name="Service B")
    response = client.get(
        reverse("business:compare_csv"),
        [
            ("i", one.slug),
            ("i", two.slug),
            ("places", "40"),
            ("years", "2"),
            ("price_year", "2024"),
        ],
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    cells = {row[0]: row[1:] for row in rows if row}
    assert cells[""] == ["Service A (version 1)", "Service B (version 1)"]
    assert cells["Permanent address"][0].endswith(f"/interventions/{one.slug}/versions/1/")
    assert cells["Children or families each year"] == ["40"]
    assert cells["Local cost: total"] == ["£85,000", "£85,000"]
    helped = cells["Children helped, for a yes-or-no result"]
    assert helped[0].startswith("Entered care (Marsh (2022)): about 9 fewer children in 100")
    bad = client.get(reverse("business:compare_csv"), {"i": one.slug, "places": "x", "years": "1"})
    assert bad.status_code == 400


def test_the_list_offers_add_to_comparison_without_javascript(client):
    intervention = _family_service()
    page = client.get(reverse("interventions:list")).content.decode()
    assert f'name="i" type="checkbox" value="{intervention.slug}" form="compare-form"' in page
    assert 'id="compare-form"' in page
    assert f'action="{reverse("business:compare")}"' in page


def test_the_outcome_area_filtered_on_comes_first_and_is_carried_from_the_list(client):
    one, two = _family_service(name="Service A"), _family_service(name="Service B")
    listing_page = client.get(reverse("interventions:list"), {"domain": "behaviour"})
    assert 'name="domain" value="behaviour" form="compare-form"' in listing_page.content.decode()

    response = client.get(
        reverse("business:compare"), [("i", one.slug), ("i", two.slug), ("domain", "behaviour")]
    )
    text = text_of(response)
    effects = text.split("Effect on ")[1:]
    assert effects[0].startswith("behaviour and conduct (the outcome area you chose)")
    page = response.content.decode()
    # Removing one keeps the other and the outcome area; adding keeps them all.
    assert f'href="?i={two.slug}&amp;domain=behaviour"' in page
    assert '<input type="hidden" name="domain" value="behaviour">' in page


def test_the_options_appraisal_as_an_excel_workbook_keeps_text_as_text(client):
    from openpyxl import load_workbook

    one, two = _family_service(name="Service A"), _family_service(name="=Service B")
    response = client.get(
        reverse("business:compare_xlsx"),
        [
            ("i", one.slug),
            ("i", two.slug),
            ("places", "40"),
            ("years", "2"),
            ("price_year", "2024"),
        ],
    )
    assert response["Content-Disposition"] == 'attachment; filename="options-appraisal.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = {row[0]: row[1:] for row in sheet.iter_rows(values_only=True) if row[0]}
    assert cells["Permanent address"][0].endswith(f"/interventions/{one.slug}/versions/1/")
    assert cells["Local cost: total"] == ("£85,000", "£85,000")
    names = next(row for row in sheet.iter_rows() if "(version 1)" in str(row[1].value))
    assert names[2].value == "=Service B (version 1)"
    assert names[2].data_type == "s"  # shown as text, not run as a formula


def test_a_curator_can_update_the_price_indexes_in_the_admin(client):
    client.force_login(factories.make_curator())
    from business.models import GdpDeflator

    row = GdpDeflator.objects.get(year=2024)
    page = client.get(reverse("admin:business_gdpdeflator_change", args=[row.pk]))
    assert page.status_code == 200
    response = client.post(
        reverse("admin:business_gdpdeflator_change", args=[row.pk]),
        {
            "year": "2024",
            "index": "100.500",
            "source": "GDP deflators at market prices, and money GDP: a later release",
            "source_url": "",
            "published_on": "2026-01-05",
        },
    )
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.index == Decimal("100.500")
