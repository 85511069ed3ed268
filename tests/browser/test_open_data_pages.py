"""The Data page, the API docs and the alert form in a real Chromium: at 320 pixels
wide with nothing spilling sideways, and subscribing without JavaScript, by keyboard."""

import pytest

from alerts.models import Subscription
from tests.browser.test_accessibility import demo_catalogue  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_open_data_pages_fit_a_320_pixel_screen(browser, live_server, demo_catalogue):  # noqa: F811
    context = browser.new_context(base_url=live_server.url, viewport={"width": 320, "height": 640})
    page = context.new_page()
    try:
        for url in [
            "/data/",
            "/api/v1/docs",
            "/alerts/subscribe/?kind=intervention&target=hearthstone-parent-group",
        ]:
            page.goto(url)
            overflow = page.evaluate(
                "document.documentElement.scrollWidth - document.documentElement.clientWidth"
            )
            assert overflow <= 0, url
    finally:
        context.close()


def test_subscribing_works_by_keyboard_without_javascript(browser, live_server, demo_catalogue):  # noqa: F811
    intervention, _ = demo_catalogue
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(intervention.get_absolute_url())
        page.get_by_role("link", name="Get emails when this intervention changes").click()
        page.get_by_label("Email address").focus()
        page.keyboard.type("casey@example.org")
        page.get_by_label("Once a week at most").check()
        page.get_by_role("button", name="Subscribe").focus()
        page.keyboard.press("Enter")
        page.get_by_role("heading", name="Check your email").wait_for()
        subscription = Subscription.objects.get()
        assert (subscription.email, subscription.frequency) == ("casey@example.org", "weekly")
        assert subscription.confirmed_at is None
    finally:
        context.close()
