"""The curation admin in a real Chromium: it works under its Content Security Policy."""

import importlib

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

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

    assert problems == []
