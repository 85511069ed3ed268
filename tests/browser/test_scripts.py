"""GOV.UK Frontend's script loads as one module and starts its components."""

import pytest

from tests.browser.conftest import watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_govuk_frontend_starts_from_one_module(page, live_server):
    scripts = []
    page.on("request", lambda r: r.resource_type == "script" and scripts.append(r.url))
    problems = watch_for_problems(page)

    page.goto(f"{live_server.url}/")
    page.wait_for_function("document.body.classList.contains('govuk-frontend-supported')")

    # Ours, GOV.UK Frontend's one module, the copy button's (business/ citations) and
    # the phone list's filter button.
    assert sorted(url.rsplit("/", 1)[-1] for url in scripts) == [
        "copy.js",
        "filter-toggle.js",
        "govuk-frontend.min.js",
        "init.js",
    ]
    # GOV.UK Frontend marks each component it starts: the search button is one.
    assert page.locator("[data-module='govuk-button'][data-govuk-button-init]").count() >= 1
    assert problems == []
