"""Layered pages that fit a phone, with the demonstration catalogue in a real Chromium:
the list shows its first result on the first screen, its filters wait behind a button
that works with or without JavaScript, no page scrolls sideways at 320 pixels, axe-core
finds nothing at 390, and an intervention's summary fits one desktop screen."""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse

from publishing.models import Listing, Version
from ratings.models import Study
from tests import factories
from tests.browser.conftest import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}
NARROWEST = {"width": 320, "height": 640}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def demo(transactional_db) -> list[Listing]:
    call_command("load_demo_catalogue")
    factories.shipped_price_indexes()
    return list(Listing.objects.order_by("name"))


def top(locator) -> float:
    return locator.evaluate("e => e.getBoundingClientRect().top + window.scrollY")


def every_page_type(demo: list[Listing]) -> list[str]:
    listing = next(listing for listing in demo if listing.version_number > 1)
    earlier = Version.objects.get(intervention_id=listing.intervention_id, number=1)
    study = Study.objects.filter(interventions=listing.intervention_id).first()
    chosen = "&".join(f"i={other.slug}" for other in demo[:3])
    return [
        "/",
        "/interventions/",
        "/interventions/?q=behaviour&age=3-4&uk_tested=yes",
        "/interventions/#filters",
        listing.get_absolute_url(),
        earlier.get_absolute_url(),
        reverse("interventions:changes", args=[listing.slug]),
        reverse("ratings:study", args=[study.pk]),
        reverse("interventions:methods"),
        reverse("interventions:glossary"),
        reverse("interventions:evidence_map"),
        reverse("interventions:what_works", args=["behaviour"]),
        reverse("business:brief", args=[listing.slug, listing.version_number]),
        reverse("business:costs", args=[listing.slug, listing.version_number]),
        f"{reverse('business:compare')}?{chosen}",
        reverse("data"),
        reverse("api_docs"),
        reverse("alerts:subscribe"),
    ]


def test_on_a_phone_the_results_come_first_and_nothing_scrolls_sideways(
    browser, live_server, demo, axe
):
    for javascript in (True, False):
        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE, java_script_enabled=javascript
        )
        page = context.new_page()
        try:
            page.goto("/interventions/")
            search = page.get_by_label("Search interventions")
            first_result = page.locator(".app-intervention-card").first
            # The search box, then the first result, both on the first screen.
            assert top(search) < top(first_result) < PHONE["height"], javascript
            age = page.get_by_role("group", name="Age")
            assert not age.is_visible()

            role = "button" if javascript else "link"
            page.get_by_role(role, name="Show filters").click()
            assert age.is_visible()
            if javascript:
                toggle = page.get_by_role("button", name="Hide filters")
                assert toggle.get_attribute("aria-expanded") == "true"
            page.get_by_label("3 to 4 years").check()
            page.get_by_role("button", name="Apply filters").first.click()
            page.wait_for_url("**age=3-4**")
            # Back to the results first, and the button says a filter is chosen.
            assert not age.is_visible()
            assert page.get_by_role(role, name="Show filters (1 selected)").is_visible()
        finally:
            context.close()

    for viewport in (NARROWEST, PHONE):
        context = browser.new_context(base_url=live_server.url, viewport=viewport)
        page = context.new_page()
        try:
            for url in every_page_type(demo):
                page.goto(url)
                for summary in page.locator("details > summary").all():
                    if summary.is_visible():
                        summary.click()  # what opens must fit too
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                assert overflow <= 0, (viewport["width"], url)
                if viewport is PHONE:
                    assert_no_axe_violations(axe, page)
        finally:
            context.close()


def test_every_intervention_summary_fits_one_desktop_screen(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP)
    page = context.new_page()
    too_tall = []
    try:
        for listing in demo:
            page.goto(listing.get_absolute_url())
            summary = page.locator(".app-summary-section")
            height = summary.evaluate("e => e.getBoundingClientRect().height")
            if height > DESKTOP["height"]:
                too_tall.append(f"{listing.slug}: {round(height)} pixels")
            # The summary, cost, delivery and theory of change come before the evidence,
            # whose charts and tables wait one click away.
            assert top(page.locator("#summary")) < top(page.locator("#cost"))
            assert top(page.locator("#theory-of-change")) < top(page.locator("#evidence"))
            for chart in page.locator(".app-evidence-details").all():
                assert chart.get_attribute("open") is None
    finally:
        context.close()
    assert too_tall == []


LAYOUT_SHIFT = """() => new Promise(resolve => {
  let total = 0;
  new PerformanceObserver(list => {
    for (const shift of list.getEntries()) if (!shift.hadRecentInput) total += shift.value;
  }).observe({type: "layout-shift", buffered: true});
  setTimeout(() => resolve(total), 500);
})"""


def test_on_a_phone_nothing_moves_once_the_page_has_drawn(browser, live_server, demo):
    """Cumulative layout shift, as Chromium measures it for Lighthouse: the scripts that
    start after the page has drawn (GOV.UK Frontend, the filter button) move nothing.
    Scripts arrive late here, as on a slow phone network, so the page draws first."""
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()

    def late(route):
        time.sleep(0.4)
        route.continue_()

    page.route("**/*.js", late)
    try:
        for url in ["/", "/interventions/", demo[0].get_absolute_url()]:
            page.goto(url, wait_until="load")
            assert page.evaluate(LAYOUT_SHIFT) < 0.01, url
    finally:
        context.close()
