"""A commissioner's journeys through the list in a real Chromium: with a mouse, with
the keyboard only, without JavaScript, and axe-core on the filtered list.

The "done when" scenario: the interventions for 3 to 4 year olds that improve
behaviour, tested in the UK, costing at most "medium"; open one.
"""

import re

import pytest
from django.utils.text import slugify

from interventions.models import AgeBand, Catalogue, Outcome, OutcomeDomain
from ratings.models import RatingScale
from tests import factories
from tests.browser.conftest import assert_no_axe_violations, watch_for_problems

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WANTED = "Little Steps Behaviour Group"


@pytest.fixture
def catalogue(transactional_db):
    Catalogue.objects.create(pk=1, is_demonstration=True)
    factories.make_scales()
    AgeBand.objects.create(name="3 to 4 years", slug="3-4", min_age_months=36, max_age_months=59)
    AgeBand.objects.create(
        name="12 to 17 years", slug="12-17", min_age_months=144, max_age_months=215
    )
    domain = OutcomeDomain.objects.create(name="Mental health and wellbeing", slug="mental-health")
    behaviour = Outcome.objects.create(name="Behaviour problems", slug="behaviour", domain=domain)
    reading = Outcome.objects.create(name="Early reading", slug="reading", domain=domain)

    def add(name, low, high, outcome, uk_tested, cost):
        intervention = factories.make_intervention(
            name=name,
            slug=slugify(name),
            summary=f"{name}: a programme for families.",
            min_age_months=low,
            max_age_months=high,
            available_in_uk=True,
        )
        intervention.target_outcomes.add(outcome)
        factories.rate(intervention, RatingScale.EVIDENCE, "3")
        factories.rate(intervention, RatingScale.COST, cost)
        # Tested in the UK is derived from the studies when a version is published.
        trial = factories.make_study(intervention, country="GB" if uk_tested else "FR")
        factories.make_finding(trial, intervention, outcome=outcome)
        factories.publish(intervention)

    add(WANTED, 36, 59, behaviour, True, "2")
    add("Bright Start Behaviour Clinic", 24, 60, behaviour, True, "5")  # costs too much
    add("Calm Kids Behaviour Sessions", 36, 72, behaviour, False, "1")  # not tested in the UK
    add("Teen Talk Behaviour Project", 156, 216, behaviour, True, "1")  # too old
    add("Reading Together", 36, 59, reading, True, "1")  # another outcome


def result_names(page) -> list[str]:
    return page.locator(".app-intervention-card__title").all_inner_texts()


def test_a_commissioner_searches_filters_opens_a_result_and_comes_back(page, catalogue):
    problems = watch_for_problems(page)
    page.goto("/")
    page.get_by_label("Search interventions").fill("behaviour")
    page.get_by_role("button", name="Search").click()
    assert page.get_by_role("heading", name="4 interventions matching “behaviour”").is_visible()

    page.get_by_label("3 to 4 years").check()
    page.get_by_label("Tested in the UK").check()
    page.get_by_label("At most 3: Medium").check()
    page.get_by_role("button", name="Apply filters").first.click()

    assert page.get_by_role("heading", name="1 intervention matching “behaviour”").is_visible()
    assert result_names(page) == [WANTED]
    filtered_url = page.url
    assert re.search(r"age=3-4", filtered_url) and "uk_tested=yes" in filtered_url
    assert page.get_by_role("link", name=re.compile("Remove this filter: Cost rating")).is_visible()

    page.get_by_role("link", name=WANTED).click()
    assert page.get_by_role("heading", name=WANTED, level=1).is_visible()

    page.go_back()
    assert page.url == filtered_url
    assert page.get_by_label("3 to 4 years").is_checked()
    assert page.get_by_label("Tested in the UK").is_checked()
    assert page.get_by_label("At most 3: Medium").is_checked()
    assert page.get_by_label("Search interventions").input_value() == "behaviour"
    assert result_names(page) == [WANTED]
    assert problems == []


def tab_to(page, locator, limit: int = 200) -> None:
    """Press Tab until `locator` has the keyboard focus, as a keyboard user would."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"Tab never reached {locator}")


def test_the_same_journey_with_the_keyboard_only(page, catalogue):
    page.goto("/interventions/")

    tab_to(page, page.get_by_label("3 to 4 years"))
    page.keyboard.press("Space")
    # Tab reaches a group of radios at its chosen one ("Any"); arrows move the choice.
    tab_to(page, page.get_by_role("group", name="Cost rating").get_by_label("Any"))
    medium = page.get_by_label("At most 3: Medium")
    for _ in range(5):
        if medium.is_checked():
            break
        page.keyboard.press("ArrowDown")
    assert medium.is_checked()
    tab_to(page, page.get_by_label("Tested in the UK"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_label("Search interventions"))
    page.keyboard.type("behaviour")
    page.keyboard.press("Enter")

    page.wait_for_url(re.compile(r"q=behaviour"))
    assert result_names(page) == [WANTED]
    tab_to(page, page.get_by_role("link", name=WANTED))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/interventions/little-steps-behaviour-group/"))
    assert page.get_by_role("heading", name=WANTED, level=1).is_visible()

    # The browser's own Back (Alt+Left): headless Chromium has no shortcut for it.
    page.go_back()
    page.wait_for_url(re.compile(r"q=behaviour"))
    assert page.get_by_label("Tested in the UK").is_checked()
    assert result_names(page) == [WANTED]


def test_the_filter_form_works_without_javascript(browser, live_server, catalogue):
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto("/interventions/")
        assert page.get_by_role("heading", name="5 interventions").is_visible()

        page.get_by_label("3 to 4 years").check()
        page.get_by_label("Tested in the UK").check()
        page.get_by_role("button", name="Apply filters").first.click()
        assert sorted(result_names(page)) == [
            "Bright Start Behaviour Clinic",
            "Little Steps Behaviour Group",
            "Reading Together",
        ]

        page.get_by_label("Sort by").select_option("cost")
        page.get_by_role("button", name="Sort").click()
        assert result_names(page)[0] == "Reading Together"  # cost 1 before 2 and 5
        assert "sort=cost" in page.url

        page.get_by_role("link", name=re.compile("Remove this filter: Age")).click()
        assert page.get_by_role("heading", name="4 interventions").is_visible()
        assert not page.get_by_label("3 to 4 years").is_checked()
        assert page.get_by_label("Tested in the UK").is_checked()

        page.get_by_role("link", name="Clear filters").click()
        assert page.get_by_role("heading", name="5 interventions").is_visible()
        assert "govuk-frontend-supported" not in page.eval_on_selector("body", "b => b.className")
    finally:
        context.close()


def test_the_filtered_list_and_an_empty_result_have_no_axe_violations(page, axe, catalogue):
    problems = watch_for_problems(page)

    page.goto("/interventions/?age=3-4&uk_tested=yes&cost=3&q=behaviour&outcome=behaviour")
    assert result_names(page) == [WANTED]
    assert_no_axe_violations(axe, page)

    page.goto("/interventions/?age=12-17&cost=1&outcome=reading")
    assert page.get_by_text("would give").first.is_visible()
    assert_no_axe_violations(axe, page)

    page.goto("/")
    assert_no_axe_violations(axe, page)
    assert problems == []
