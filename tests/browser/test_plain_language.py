"""Plain-language advice follows the curator's typing, in a real Chromium under the CSP."""

import pytest

from tests import factories
from tests.browser.conftest import watch_for_problems
from tests.browser.test_admin import curator_group  # noqa: F401 - a fixture

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HARD = (
    "A multicomponent psychoeducational intervention operationalising attachment-informed "
    "therapeutic methodologies for caregivers experiencing intergenerational adversity, "
    "delivered through NL2 pathways."
)
PLAIN = (
    "Parents meet in a small group once a week. They learn to praise their child, set calm "
    "limits and look after themselves. Workers use cognitive behavioural therapy (CBT)."
)


@pytest.mark.usefixtures("curator_group")
def test_typing_in_the_summary_updates_its_reading_ease_and_abbreviations(page, axe):
    factories.make_curator("casey.curator")
    intervention = factories.make_intervention(name="Hearthstone Parent Group")
    problems = watch_for_problems(page)
    page.goto("/admin/login/")
    page.get_by_label("Username").fill("casey.curator")
    page.get_by_label("Password").fill("a long test password 1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.goto(f"/admin/interventions/intervention/{intervention.pk}/change/")
    advice = page.locator("#id_summary_plain_language")
    assert advice.get_attribute("aria-live") == "polite"
    # The saved summary's advice is on the page before any typing.
    assert "Too short for a reading-ease score" in advice.inner_text()

    summary = page.get_by_label("Summary")
    summary.fill(HARD)
    advice.get_by_text("hard to read (aim for 60 or more)").wait_for()
    assert "Abbreviations not explained: NL2." in advice.inner_text()

    summary.fill(PLAIN)
    advice.get_by_text("No unexplained abbreviations.").wait_for()
    assert "hard to read" not in advice.inner_text()
    assert advice.inner_text().startswith("Reading ease ")

    # Beside the field, with its description read out with the field.
    assert "id_summary_plain_language" in summary.get_attribute("aria-describedby")
    results = axe.run(page, context=".field-summary")
    assert results.violations_count == 0, results.generate_report()

    # Advice only: the summary saves as typed.
    page.get_by_role("button", name="Save", exact=True).first.click()
    page.wait_for_url("**/admin/interventions/intervention/")
    intervention.refresh_from_db()
    assert intervention.summary == PLAIN

    # A rating added with "Add another": its reason gets the same advice as it is typed.
    page.goto(f"/admin/interventions/intervention/{intervention.pk}/change/")
    page.get_by_role("button", name="Add another Rating").click()
    reason = page.locator("#id_ratings-0-reason")
    reason.fill(HARD)
    row_advice = page.locator("#id_ratings-0-reason_plain_language")
    row_advice.get_by_text("Abbreviations not explained: NL2.").wait_for()
    assert reason.get_attribute("aria-describedby") == (
        "id_ratings-0-reason_helptext id_ratings-0-reason_plain_language"
    )
    assert problems == []
