"""Business-case pages in a real Chromium: the brief prints on one A4 page for every
demonstration intervention, the comparison prints landscape, and the pages work
without JavaScript."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone
from pypdf import PdfReader

from business.models import financial_year_of
from publishing.models import Listing
from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

A4_WIDTH_POINTS = 595  # 210 mm


def _pages(pdf: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(pdf))


@pytest.fixture
def demo(transactional_db) -> list[Listing]:
    call_command("load_demo_catalogue")
    factories.shipped_price_indexes()
    return list(Listing.objects.order_by("name"))


def test_every_demo_brief_prints_on_one_a4_page(page, demo):
    assert len(demo) > 40
    too_long = []
    for listing in demo:
        url = f"/interventions/{listing.slug}/versions/{listing.version_number}/brief/"
        page.goto(url + "?places=40&years=2")
        assert page.get_by_role("heading", name=listing.name, level=1).is_visible()
        pdf = _pages(page.pdf(format="A4", print_background=False))
        if len(pdf.pages) != 1:
            too_long.append(f"{listing.slug}: {len(pdf.pages)} pages")
    assert too_long == []


def test_the_comparison_prints_on_a4_landscape(page, demo):
    chosen = "&".join(f"i={listing.slug}" for listing in demo[:3])
    page.goto(f"/compare/?{chosen}&places=40&years=2")
    assert page.get_by_role("table", name="The interventions side by side").is_visible()
    pdf = _pages(page.pdf(prefer_css_page_size=True))
    first = pdf.pages[0].mediabox
    assert float(first.width) > float(first.height)  # landscape
    assert len(pdf.pages) <= 2


def test_choose_compare_and_cost_without_javascript(browser, live_server, demo):
    """The practice lead's journey: three from the list, 40 families over 2 years."""
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/interventions/")
        boxes = page.get_by_label("Add to comparison")
        for n in range(3):
            boxes.nth(n).check()
        page.get_by_role("button", name="Compare the ones you chose").click()
        assert "/compare/" in page.url
        headers = page.locator("table.app-compare thead th")
        assert headers.count() == 3
        page.get_by_label("How many children or families each year").fill("40")
        page.get_by_label("For how many years").fill("2")
        page.get_by_role("button", name="Work out the cost").click()
        assert "places=40" in page.url and page.url.count("i=") == 3
        assert page.get_by_role("row", name="Local cost: total").is_visible()
        # At this year's prices unless another year is chosen (the shipped figures end in 2030).
        year = min(financial_year_of(timezone.localdate()), 2030)
        caption = f"The interventions side by side, with costs at {year} to {year + 1} prices"
        assert page.get_by_role("table", name=caption).is_visible()
        # The copy button needs JavaScript, so it stays hidden; the citation is there.
        page.goto(f"/interventions/{demo[0].slug}/versions/{demo[0].version_number}/brief/")
        assert not page.get_by_role("button", name="Copy the citation").is_visible()
        assert page.get_by_text("Evidence Store (").first.is_visible()
    finally:
        context.close()


def test_the_copy_button_appears_with_javascript(page, demo):
    listing = demo[0]
    page.goto(f"/interventions/{listing.slug}/versions/{listing.version_number}/brief/")
    assert page.get_by_role("button", name="Copy the citation").is_visible()


def test_business_pages_fit_a_320_pixel_screen(browser, live_server, demo):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    first, second = demo[0], demo[1]
    versions = f"/interventions/{first.slug}/versions/{first.version_number}"
    try:
        for url in [
            f"{versions}/brief/?places=40&years=2",
            f"{versions}/costs/?places=40&years=2",
            f"/compare/?i={first.slug}&i={second.slug}&places=40&years=2",
        ]:
            page.goto(url)
            width = page.evaluate("document.documentElement.clientWidth")
            assert page.evaluate("document.documentElement.scrollWidth") <= width, url
        # The wide comparison scrolls inside its own region, which the keyboard can reach.
        region = page.get_by_role("region", name="The interventions side by side")
        assert region.evaluate("r => r.scrollWidth > r.clientWidth")
        assert region.get_attribute("tabindex") == "0"
    finally:
        context.close()
