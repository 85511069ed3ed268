"""Pages with wide evidence on a phone, in a real Chromium at 320 and 390 pixels: nothing
scrolls sideways, forest-plot labels are whole, tables stack into "label: value" rows
(or, for the comparison, scroll inside a region that says so), and axe-core finds nothing."""

import pytest
from django.urls import reverse

from interventions.models import Catalogue
from ratings.models import RatingScale
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONES = [320, 390]

LONG_MEASURES = [
    "Strengths and Difficulties Questionnaire (SDQ) total difficulties score, as reported "
    "by the child's main carer at home",
    "Eyberg Child Behavior Inventory (ECBI) intensity scale, parent-reported frequency of "
    "disruptive behaviour",
    "Dyadic Parent-Child Interaction Coding System: observed child deviance",
]


@pytest.fixture
def long_names(transactional_db) -> dict:
    """An intervention with three trials whose measures have long names, and a second
    intervention to compare it with."""
    Catalogue.objects.create(pk=1, is_demonstration=True)
    intervention = factories.make_intervention(
        name="Hearthstone Parent Group", slug="hearthstone-parent-group", available_in_uk=True
    )
    factories.rate(intervention, RatingScale.EVIDENCE, "3", reason="One rigorous UK trial.")
    factories.rate(intervention, RatingScale.COST, "3")
    factories.make_cost(intervention)
    outcome = factories.make_outcome()
    trials = [
        ("Okafor, A., Reid, J.", 2019, 210, 11.2),
        ("Lindqvist, E.", 2021, 40, 12.0),
        ("Mensah-Worthington, K.", 2023, 620, 12.6),
    ]
    studies = []
    for (authors, year, n, mean), measure in zip(trials, LONG_MEASURES, strict=True):
        study = factories.make_study(intervention, authors=authors, year=year)
        factories.make_finding(
            study,
            intervention,
            outcome=outcome,
            measure=measure,
            intervention_mean=mean,
            intervention_n=n,
            comparison_n=n,
            timepoint="Twelve months after the programme ended",
        )
        studies.append(study)
    factories.publish(intervention)
    other = factories.make_intervention(name="Riverside Mentoring", slug="riverside-mentoring")
    factories.publish(other)
    return {
        "intervention": intervention,
        "study": studies[0],
        "compare": reverse("business:compare") + f"?i={intervention.slug}&i={other.slug}",
    }


@pytest.fixture(params=PHONES, ids=[f"{w}px" for w in PHONES])
def phone(request, browser, live_server):
    width = request.param
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": width, "height": 740}
    )
    page = context.new_page()
    yield page
    context.close()


def open_everything(page) -> None:
    """Open every details section, so what is folded away is measured too."""
    page.evaluate("document.querySelectorAll('details').forEach(d => { d.open = true; })")


def assert_no_sideways_scrolling(page, url: str) -> None:
    width = page.evaluate("window.innerWidth")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width, url


def test_intervention_page_fits_with_whole_labels_and_stacked_tables(phone, axe, long_names):
    problems = watch_for_problems(phone)
    phone.goto(long_names["intervention"].get_absolute_url())
    open_everything(phone)

    assert_no_sideways_scrolling(phone, "intervention page")
    chart = phone.locator("svg.app-forest-plot__chart").first
    box = chart.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= phone.evaluate("window.innerWidth")
    # Every label is whole: its lines join up to the finding's full measure name, and
    # every line of text sits inside the chart's own width.
    labels = chart.locator(".app-forest-plot__label").evaluate_all(
        "texts => texts.map(t => [...t.querySelectorAll('tspan')].map(s => s.textContent)"
        ".join(' '))"
    )
    for measure in LONG_MEASURES:
        assert any(label.endswith(f": {measure}") for label in labels), (measure, labels)
    assert any(label.count(" ") > 10 for label in labels)
    overflowing = chart.evaluate(
        """svg => {
            const width = svg.viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')]
                .map(t => t.getBBox())
                .filter(b => b.x < 0 || b.x + b.width > width + 0.5)
                .length;
        }"""
    )
    assert overflowing == 0
    # Squares are sized by weight: three studies, three different sizes.
    sides = chart.locator(".app-forest-plot__row rect").evaluate_all(
        "rects => rects.map(r => r.getAttribute('width'))"
    )
    assert len(set(sides)) == 3

    # The findings table stacks: each value under its label, within the screen.
    table = phone.get_by_role("table", name="Findings for Behaviour and conduct")
    assert table.is_visible()
    weight = table.locator("td[data-label='Weight in the average']").first
    assert weight.evaluate("c => getComputedStyle(c).display") == "block"
    assert weight.evaluate("c => getComputedStyle(c, '::before').content").startswith(
        '"Weight in the average'
    )
    region = phone.get_by_role("region", name="Findings for Behaviour and conduct")
    assert not region.evaluate("r => r.scrollWidth > r.clientWidth")
    # The column headings are still there for screen readers.
    assert table.get_by_role("columnheader", name="Weight in the average").count() == 1

    assert_no_axe_violations(axe, phone)
    assert problems == []


def test_study_page_stacks_its_findings(phone, axe, long_names):
    phone.goto(long_names["study"].get_absolute_url())
    open_everything(phone)

    assert_no_sideways_scrolling(phone, "study page")
    cell = phone.locator(".app-findings-table td[data-label='Effect size we worked out']").first
    assert cell.evaluate("c => getComputedStyle(c).display") == "block"
    assert LONG_MEASURES[0] in phone.locator(".app-findings-table").inner_text()
    assert_no_axe_violations(axe, phone)


def test_compare_table_scrolls_in_a_region_that_says_so(phone, axe, long_names):
    phone.goto(long_names["compare"])

    assert_no_sideways_scrolling(phone, "compare page")
    region = phone.get_by_role("region", name="The interventions side by side")
    assert region.evaluate("r => r.scrollWidth > r.clientWidth")
    assert region.get_attribute("tabindex") == "0"
    hint = phone.get_by_text("scroll it sideways to see every intervention")
    assert hint.is_visible()
    assert region.get_attribute("aria-describedby") == hint.get_attribute("id")
    # Shadows at the edges show there is more to see.
    assert "radial-gradient" in region.evaluate("r => getComputedStyle(r).backgroundImage")
    region.focus()
    phone.keyboard.press("ArrowRight")
    phone.wait_for_function("r => r.scrollLeft > 0", arg=region.element_handle(), timeout=2000)
    assert_no_axe_violations(axe, phone)


def test_other_tables_fit_a_phone(phone, axe, long_names):
    """The evidence map and the API's tables stack; the open data columns table and the
    costs (summary lists, not tables) fit as they are."""
    slug = long_names["intervention"].slug
    costs = reverse("business:costs", args=[slug, 1]) + "?places=40&years=2"
    for url in [
        reverse("interventions:evidence_map"),
        "/api/v1/docs",
        "/data/",
        costs,
        reverse("business:brief", args=[slug, 1]),
    ]:
        phone.goto(url)
        open_everything(phone)
        assert_no_sideways_scrolling(phone, url)
        for region in phone.locator(".app-table-scroll").all():
            if region.locator(".app-table--stack").count():
                assert not region.evaluate("r => r.scrollWidth > r.clientWidth"), url
        assert_no_axe_violations(axe, phone)


def test_desktop_keeps_real_table_columns(browser, live_server, long_names):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1200, "height": 900})
    page = context.new_page()
    try:
        page.goto(long_names["intervention"].get_absolute_url())
        open_everything(page)
        cell = page.locator("td[data-label='Weight in the average']").first
        assert cell.evaluate("c => getComputedStyle(c).display") == "table-cell"
        assert cell.evaluate("c => getComputedStyle(c, '::before').content") == "none"
    finally:
        context.close()


def test_evidence_map_stacks_each_outcome_area_into_its_cells(phone, axe, transactional_db):
    from tests import catalogues

    catalogues.build(size=6)
    phone.goto(reverse("interventions:evidence_map"))

    assert_no_sideways_scrolling(phone, "evidence map")
    table = phone.locator(".app-evidence-map").first
    cells = table.locator("td[data-label]")
    assert cells.count() > 0
    first = cells.first
    assert first.evaluate("c => getComputedStyle(c).display") == "block"
    label = first.get_attribute("data-label")
    header = table.locator("thead th").nth(1).inner_text()
    assert label == header  # each cell is labelled with its column: an age band
    assert first.evaluate("c => getComputedStyle(c, '::before').content").startswith(f'"{label}')
    assert not phone.locator(".app-table-scroll").first.evaluate(
        "r => r.scrollWidth > r.clientWidth"
    )
    assert_no_axe_violations(axe, phone)
