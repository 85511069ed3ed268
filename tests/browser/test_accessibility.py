"""The public pages in a real Chromium: axe-core, keyboard use, and no JavaScript."""

from datetime import date

import pytest
from django.urls import reverse

from interventions.models import Catalogue, Intervention
from ratings.models import RatingScale
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_catalogue(transactional_db) -> tuple[Intervention, object]:
    """A demonstration catalogue with one fully described, rated and studied intervention."""
    Catalogue.objects.create(pk=1, is_demonstration=True)
    factories.shipped_price_indexes()
    intervention = factories.make_intervention(
        name="Hearthstone Parent Group",
        slug="hearthstone-parent-group",
        summary="A 12-week group for parents of children aged 3 to 11 with behaviour problems.",
        min_age_months=36,
        max_age_months=132,
        available_in_uk=True,
        eligibility_criteria="Parents worried about their child's behaviour.",
        workforce="Two trained facilitators.",
    )
    factories.rate(intervention, RatingScale.EVIDENCE, "2", rated_on=date(2023, 3, 1))
    factories.rate(intervention, RatingScale.EVIDENCE, "3", reason="One rigorous UK trial.")
    factories.rate(intervention, RatingScale.COST, "3")
    factories.make_cost(intervention)
    study = factories.make_study(intervention, title="The Hearthstone trial", doi="10.1234/x")
    factories.make_finding(study, intervention)
    # A second trial in the same outcome domain, so the page pools them in its forest plot.
    second = factories.make_study(intervention, authors="Lindqvist, E.", year=2023, country="SE")
    factories.make_finding(second, intervention, intervention_mean=12.0, comparison_mean=13.1)
    factories.publish(intervention)
    # A second version, so the page has a history and a "what changed" page.
    intervention.workforce = "Two trained facilitators and a crèche worker."
    intervention.save()
    factories.publish(intervention, change="minor", note="Added the crèche worker.")
    other = factories.make_intervention(
        name="Riverside Mentoring", min_age_months=-6, max_age_months=24
    )
    factories.publish(other)
    return intervention, study


def test_public_pages_have_no_axe_violations_with_the_demo_notice(page, axe, demo_catalogue):
    intervention, study = demo_catalogue
    problems = watch_for_problems(page)

    for url in [
        "/",
        "/interventions/",
        intervention.get_absolute_url(),
        intervention.versions.get(number=1).get_absolute_url(),
        reverse("interventions:changes", args=[intervention.slug]),
        study.get_absolute_url(),
        "/methods/",
        reverse("interventions:evidence_map"),
        reverse("interventions:what_works", args=["behaviour"]),
        reverse("interventions:glossary"),
        "/api/v1/docs",
        "/data/",
        "/alerts/subscribe/?kind=intervention&target=hearthstone-parent-group",
    ]:
        page.goto(url)
        assert page.get_by_text("This site shows demonstration data").is_visible(), url
        # GOV.UK Frontend started: the script ran and found a supported browser.
        assert "govuk-frontend-supported" in page.eval_on_selector("body", "b => b.className")
        assert_no_axe_violations(axe, page)

    assert problems == []


def test_business_case_pages_have_no_axe_violations(page, axe, demo_catalogue):
    """The brief, the local cost calculator (with a result and with form errors) and the
    comparison with its calculator."""
    intervention, _ = demo_catalogue
    other = Intervention.objects.get(name="Riverside Mentoring")
    problems = watch_for_problems(page)
    brief = reverse("business:brief", args=[intervention.slug, 2])
    costs = reverse("business:costs", args=[intervention.slug, 2])
    compare = reverse("business:compare") + f"?i={intervention.slug}&i={other.slug}"
    for url in [
        brief,
        brief + "?places=40&years=2",
        costs + "?places=40&years=2&price_year=2023",
        compare,
        compare + "&places=40&years=2",
    ]:
        page.goto(url)
        assert_no_axe_violations(axe, page)
    for url in [costs + "?places=lots&years=0", compare + "&places=-1&years=2"]:
        response = page.goto(url)
        assert response.status == 400
        assert page.get_by_role(
            "heading", name="There is a problem with the calculator"
        ).is_visible()
        assert_no_axe_violations(axe, page)
    # A rejected form is a 400 on purpose, so the watcher sees it as a failed request.
    assert [p for p in problems if "400" not in p] == []


def test_not_found_page_has_no_axe_violations(page, axe, transactional_db):
    response = page.goto("/interventions/no-such-thing/")

    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert_no_axe_violations(axe, page)


def test_skip_link_moves_keyboard_focus_to_the_main_content(page, demo_catalogue):
    page.goto("/interventions/")

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Skip to main content")
    assert skip_link.evaluate("link => link === document.activeElement")
    assert skip_link.is_visible()  # it appears when focused

    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"
    page.keyboard.press("Tab")
    # The next Tab goes into the main content, not back to the header.
    assert page.evaluate("document.getElementById('main-content').contains(document.activeElement)")


def test_pages_work_without_javascript(browser, live_server, demo_catalogue):
    intervention, study = demo_catalogue
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/")
        page.get_by_label("Search interventions").fill("hearthstone")
        page.get_by_role("button", name="Search").click()
        assert page.get_by_role("heading", name="1 intervention").is_visible()
        page.get_by_role("link", name="Hearthstone Parent Group").click()
        assert page.get_by_role("heading", name="Hearthstone Parent Group", level=1).is_visible()
        page.get_by_role("link", name="The Hearthstone trial").click()
        assert page.get_by_role("heading", name="The Hearthstone trial").is_visible()

        page.goto("/interventions/")
        assert page.get_by_role("link", name="Riverside Mentoring").is_visible()
        # The navigation shows as plain links: no menu button needing a script.
        assert page.get_by_role("link", name="Find interventions").first.is_visible()
        assert not page.get_by_role("button", name="Menu").is_visible()
        assert "govuk-frontend-supported" not in page.eval_on_selector("body", "b => b.className")
    finally:
        context.close()


def test_phone_width_has_no_sideways_scrolling_and_the_navigation_in_view(
    browser, live_server, demo_catalogue
):
    intervention, _ = demo_catalogue
    context = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 800})
    page = context.new_page()
    try:
        for url in [
            "/",
            "/interventions/",
            intervention.get_absolute_url(),
            reverse("interventions:evidence_map"),
            reverse("interventions:what_works", args=["behaviour"]),
        ]:
            page.goto(url)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, url
        # Three links side by side, never folded into a menu that moves the page.
        navigation = page.get_by_role("navigation", name="Menu")
        for name in ["Home", "Find interventions", "How to read the ratings"]:
            assert navigation.get_by_role("link", name=name).is_visible()
        assert navigation.bounding_box()["height"] < 100
        assert page.get_by_role("button", name="Menu").count() == 0
    finally:
        context.close()


def test_intervention_page_fits_a_320_pixel_screen(browser, live_server, demo_catalogue):
    """Nothing spills sideways on the narrowest phone: the forest plot shrinks to fit and
    the findings table stacks each row into lines that fit (tests/browser/test_phone_layout.py
    has the details, and the comparison table that scrolls instead)."""
    intervention, _ = demo_catalogue
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        page.goto(intervention.get_absolute_url())
        width = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        # The chart and table are one click away, under the area's summary in words.
        page.locator("summary", has_text="for behaviour and conduct").click()
        chart = page.get_by_role("img", name="Chart of the results for behaviour and conduct")
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width

        table = page.get_by_role("table", name="Findings for Behaviour and conduct")
        region = page.get_by_role("region", name="Findings for Behaviour and conduct")
        assert table.is_visible() and region.is_visible()
        region_box = region.bounding_box()
        assert region_box["x"] + region_box["width"] <= width
        # The table stacks, so nothing in it needs scrolling sideways.
        assert not region.evaluate("r => r.scrollWidth > r.clientWidth")
        cells = table.locator("td[data-label]")
        assert cells.count() > 0
        assert cells.first.evaluate("c => getComputedStyle(c).display") == "block"
    finally:
        context.close()


def test_pages_print_without_navigation_and_with_addresses_of_other_sites(
    browser, live_server, demo_catalogue
):
    intervention, study = demo_catalogue
    context = browser.new_context(base_url=live_server.url)
    page = context.new_page()

    def printed_after(link) -> str:
        return link.evaluate("a => getComputedStyle(a, '::after').content")

    try:
        page.emulate_media(media="print")
        page.goto(intervention.get_absolute_url())
        for hidden in [".govuk-service-navigation", ".govuk-footer", ".app-contents"]:
            assert not page.locator(hidden).first.is_visible(), hidden
        assert page.get_by_text("This site shows demonstration data").count() == 1
        assert page.get_by_text("This site shows demonstration data").is_visible()
        chart = page.get_by_role("img", name="Chart of the results for behaviour and conduct")
        assert chart.is_visible()
        # The site's own links print without their (relative) address.
        assert printed_after(page.get_by_role("link", name="Okafor (2021)").first) == "none"

        page.goto(study.get_absolute_url())
        doi = page.get_by_role("link", name="10.1234/x")
        assert printed_after(doi) == '" (" attr(href) ")"' or "https://doi.org/10.1234/x" in (
            printed_after(doi)
        )
    finally:
        context.close()
