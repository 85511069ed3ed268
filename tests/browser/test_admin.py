"""The curation admin in a real Chromium: it works under its Content Security Policy."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from publishing.models import Listing
from tests import factories
from tests.browser.conftest import watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def curator_group(transactional_db):
    """The curator group, made by its own migration code.

    A migration creates it, and earlier transactional tests flush it away.
    """
    migration = importlib.import_module("ratings.migrations.0003_curator_group")
    state = MigrationLoader(connection).project_state(("ratings", "0003_curator_group"))
    migration.create_curator_group(state.apps, None)


def test_a_curator_signs_in_and_the_change_pages_break_no_csp_rule(page, curator_group):
    factories.make_curator("casey.curator")
    intervention = factories.make_intervention(name="Hearthstone Parent Group")
    study = factories.make_study(intervention, title="The Hearthstone trial")
    factories.make_finding(study, intervention)
    factories.publish(intervention)
    intervention.summary = "A group for parents, with a crèche for younger children."
    intervention.save()
    problems = watch_for_problems(page)

    page.goto("/admin/login/")
    page.get_by_label("Username").fill("casey.curator")
    page.get_by_label("Password").fill("a long test password 1")
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/admin/")

    page.goto(f"/admin/interventions/intervention/{intervention.pk}/change/")
    assert page.get_by_role("heading", name="Hearthstone Parent Group").is_visible()
    # The publication styles load from their file: the status line is small text.
    assert page.eval_on_selector(".publication-status", "p => getComputedStyle(p).fontSize") == (
        "14px"
    )

    page.goto(f"/admin/ratings/study/{study.pk}/change/")
    assert page.get_by_role("heading", name="The Hearthstone trial").first.is_visible()

    # Reviewing and publishing a version, then archiving: each a page with a form.
    page.goto(f"/admin/interventions/intervention/{intervention.pk}/change/")
    page.get_by_role("link", name="Review and publish a version").click()
    page.wait_for_url("**/publish/")
    assert page.get_by_text("Compared with version 1").is_visible()
    assert page.locator("ins", has_text="crèche").is_visible()
    page.get_by_label("Minor: wording, spelling or layout").check()
    page.get_by_label("Change note").fill("Mentioned the crèche.")
    page.get_by_role("button", name="Publish version 2").click()
    page.wait_for_url(f"**/admin/interventions/intervention/{intervention.pk}/change/")
    assert page.get_by_text("Published version 2 of Hearthstone Parent Group.").is_visible()

    page.get_by_role("link", name="Archive").click()
    page.wait_for_url("**/archive/")
    page.get_by_role("button", name="Archive").click()
    assert page.get_by_text("Say why it is archived: readers see the reason.").is_visible()
    page.get_by_label("Why it is archived").fill("The developer no longer offers it.")
    page.get_by_role("button", name="Archive").click()
    page.wait_for_url(f"**/admin/interventions/intervention/{intervention.pk}/change/")
    assert intervention.versions.count() == 2
    assert Listing.objects.get(intervention=intervention).is_archived

    assert problems == []


def test_a_stale_save_in_another_tab_is_refused_with_both_versions(
    browser, live_server, curator_group, axe
):
    factories.make_curator("casey.curator")
    intervention = factories.make_intervention(name="Hearthstone Parent Group")
    context = browser.new_context(base_url=live_server.url)
    first, second = context.new_page(), context.new_page()
    problems = watch_for_problems(second)
    first.goto("/admin/login/")
    first.get_by_label("Username").fill("casey.curator")
    first.get_by_label("Password").fill("a long test password 1")
    first.get_by_role("button", name="Log in").click()
    first.wait_for_url("**/admin/")

    url = f"/admin/interventions/intervention/{intervention.pk}/change/"
    first.goto(url)
    second.goto(url)
    first.get_by_label("Summary").fill("The first tab's summary.")
    first.get_by_role("button", name="Save", exact=True).first.click()
    first.wait_for_url("**/admin/interventions/intervention/")

    second.get_by_label("Summary").fill("The second tab's summary.")
    second.get_by_role("button", name="Save", exact=True).first.click()
    summary = second.locator(".error-summary")
    summary.wait_for()  # the refused save's page has loaded
    assert summary.get_by_text("Someone else saved this intervention").is_visible()
    table = summary.get_by_role("table")
    assert table.get_by_text("The first tab's summary.").is_visible()
    assert table.get_by_text("The second tab's summary.").is_visible()
    assert second.get_by_label("Summary").input_value() == "The second tab's summary."
    results = axe.run(second, context=".error-summary")
    assert results.violations_count == 0, results.generate_report()

    # Having compared them, the curator keeps theirs.
    second.get_by_role("button", name="Save", exact=True).first.click()
    second.wait_for_url("**/admin/interventions/intervention/")
    intervention.refresh_from_db()
    assert intervention.summary == "The second tab's summary."
    assert problems == []
    context.close()
