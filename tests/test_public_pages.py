"""The public pages: what a commissioner sees, what they must never see, and how fast."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from html import unescape
from html.parser import HTMLParser

import pytest
from django.template import loader

from interventions.models import AgeBand, Catalogue, Intervention
from publishing.publish import archive
from ratings.models import Finding, RatingScale
from tests import factories
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db

EVIDENCE, COST = RatingScale.EVIDENCE, RatingScale.COST
# Never published: a draft, or one waiting for review. (Archived ones were published:
# they leave the list and keep their page, with a notice.)
NEVER_PUBLISHED = [Intervention.Status.DRAFT, Intervention.Status.IN_REVIEW]


def text_of(response) -> str:
    """The page as a reader sees it: tags gone, whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def rated_intervention(publish: bool = True, **overrides) -> Intervention:
    """An intervention with evidence and cost ratings and a unit cost, published."""
    intervention = factories.make_intervention(**overrides)
    factories.rate(intervention, EVIDENCE, "3", reason="One rigorous UK trial.")
    factories.rate(intervention, COST, "3")
    factories.make_cost(intervention)
    if publish:
        factories.publish(intervention)
    return intervention


def studied_intervention(
    studies: int = 1, findings_per_study: int = 2, publish: bool = True, **overrides
):
    """A rated intervention with studies and findings, and a superseded evidence rating,
    published."""
    intervention = factories.make_intervention(**overrides)
    factories.rate(intervention, EVIDENCE, "2", rated_on=date(2024, 5, 1), reason="Pre-post.")
    factories.rate(intervention, EVIDENCE, "3", rated_on=date(2025, 6, 1), reason="A trial.")
    factories.rate(intervention, COST, "3")
    factories.make_cost(intervention)
    for _ in range(studies):
        study = factories.make_study(intervention)
        for _ in range(findings_per_study):
            factories.make_finding(study, intervention)
    if publish:
        factories.publish(intervention)
    return intervention


# --- Home ---------------------------------------------------------------------


def test_home_has_search_ways_in_ratings_guide_and_recent_updates(client, scales):
    AgeBand.objects.create(name="3 to 4 years", slug="3-to-4", min_age_months=36, max_age_months=59)
    rated_intervention(name="Hearthstone Parent Group", slug="hearthstone-parent-group")
    factories.make_intervention(name="Secret Draft", status=Intervention.Status.DRAFT)
    factories.make_intervention(name="Never Published")  # a working copy only

    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert 'action="/interventions/"' in html
    assert 'name="q"' in html
    assert 'href="/interventions/?age=3-to-4"' in html
    text = text_of(response)
    assert "How to read the ratings" in text
    assert "not a recommendation" in text
    assert "Evidence of a short-term effect" in text  # the levels, from the scale data
    assert "Hearthstone Parent Group" in text
    assert "(version 1)" in text  # the recent update says which version it is
    assert "Secret Draft" not in text
    assert "Never Published" not in text


# --- List ----------------------------------------------------------------------


def test_list_shows_published_interventions_with_ratings_costs_and_ages(client, scales):
    rated_intervention(
        name="Hearthstone Parent Group",
        slug="hearthstone-parent-group",
        min_age_months=36,
        max_age_months=132,
    )
    factories.publish(
        factories.make_intervention(
            name="Unrated Family Service", min_age_months=-9, max_age_months=24
        )
    )

    response = client.get("/interventions/")

    assert response.status_code == 200
    text = text_of(response)
    assert "2 interventions" in text
    assert "Hearthstone Parent Group" in text
    assert "3 to 11 years" in text
    assert "3 Evidence of a short-term effect" in text
    assert "3 Medium, £850 per child (2025 to 2026 prices)" in text
    assert "Pre-birth to 2 years" in text
    assert "Not rated yet" in text
    assert 'href="/interventions/hearthstone-parent-group/"' in response.content.decode()


@pytest.mark.parametrize("status", NEVER_PUBLISHED)
def test_list_leaves_out_interventions_that_are_not_published(client, scales, status):
    rated_intervention(name="Visible Programme")
    rated_intervention(name="Hidden Programme", status=status, publish=False)
    # Marked published but never published as a version: still not public.
    rated_intervention(name="Unversioned Programme", publish=False)

    text = text_of(client.get("/interventions/"))

    assert "Visible Programme" in text
    assert "Hidden Programme" not in text
    assert "Unversioned Programme" not in text
    assert "1 intervention " in text


def test_list_leaves_out_archived_interventions_unless_asked(client, scales):
    rated_intervention(name="Visible Programme")
    archived = rated_intervention(name="Archived Programme")
    archive(archived, reason="No longer delivered.")

    text = text_of(client.get("/interventions/"))
    with_archived = text_of(client.get("/interventions/", {"archived": "yes"}))

    assert "Visible Programme" in text
    assert "Archived Programme" not in text
    assert "1 intervention " in text
    assert "Archived Programme" in with_archived


def test_an_evidence_level_code_always_comes_with_its_label(client, scales):
    for code in ["NE", "NL2"]:
        intervention = factories.make_intervention()
        factories.rate(intervention, EVIDENCE, code)
        factories.publish(intervention)

    text = text_of(client.get("/interventions/"))

    assert "NE Found not to be effective" in text
    assert "NL2 Not level 2" in text


def test_list_shows_only_current_ratings(client, scales):
    intervention = rated_intervention(name="Rerated Programme")
    factories.rate(intervention, EVIDENCE, "4", reason="A second trial.")
    unpublished = text_of(client.get("/interventions/"))
    factories.publish(intervention, note="Rated 4 after a second trial.")

    text = text_of(client.get("/interventions/"))

    # Until the new rating is published, the list shows the published one.
    assert "3 Evidence of a short-term effect" in unpublished
    assert "4 Evidence of a long-term effect" not in unpublished
    assert "4 Evidence of a long-term effect" in text
    assert "3 Evidence of a short-term effect" not in text


def test_list_paginates_and_keeps_the_query_in_page_links(client, scales):
    for n in range(25):
        factories.publish(factories.make_intervention(name=f"Parenting Programme {n:02d}"))

    first = client.get("/interventions/", {"q": "parenting"})
    second = client.get("/interventions/", {"q": "parenting", "page": "2"})

    assert "Parenting Programme 00" in text_of(first)
    assert "Parenting Programme 20" not in text_of(first)
    assert 'href="?q=parenting&amp;page=2"' in first.content.decode()
    assert "Parenting Programme 20" in text_of(second)
    assert "Showing 21 to 25, page 2 of 2" in text_of(second)


@pytest.mark.parametrize(
    "page", ["abc", "0", "-1", "1.5", "²", "9" * 40, "%00", "\x00", "", " ", "1e3"]
)
def test_a_bad_page_number_gives_a_clear_message_not_an_error(client, scales, page):
    factories.publish(factories.make_intervention(name="Only Programme"))

    response = client.get("/interventions/", {"page": page})

    assert response.status_code == 200
    text = text_of(response)
    assert "That page number is not valid, so the first page is shown." in text
    assert "Only Programme" in text


def test_a_page_past_the_end_shows_the_last_page_and_says_so(client, scales):
    factories.publish(factories.make_intervention(name="Only Programme"))

    response = client.get("/interventions/", {"page": "999"})

    assert response.status_code == 200
    assert "There is no page 999. The last page is 1" in text_of(response)
    assert "Only Programme" in text_of(response)


def test_search_filters_by_name_or_summary_and_survives_odd_input(client, scales):
    for name, summary in [
        ("Hearthstone Parent Group", "Groups for parents."),
        ("Riverside Mentoring", "Mentors for teenagers."),
    ]:
        factories.publish(factories.make_intervention(name=name, summary=summary))

    by_name = text_of(client.get("/interventions/", {"q": "hearthstone"}))
    by_summary = text_of(client.get("/interventions/", {"q": "teenagers"}))
    odd = client.get("/interventions/", {"q": "\x00'; drop table--%_" + "x" * 5000})

    assert "Hearthstone Parent Group" in by_name and "Riverside Mentoring" not in by_name
    assert "Riverside Mentoring" in by_summary and "Hearthstone" not in by_summary
    assert odd.status_code == 200
    assert "0 interventions" in text_of(odd)


def test_age_way_in_filters_by_overlapping_ages_and_unknown_age_says_so(client, scales):
    AgeBand.objects.create(name="3 to 4 years", slug="3-to-4", min_age_months=36, max_age_months=59)
    for name, low, high in [("Toddler Talk", 12, 40), ("Teen Steps", 156, 216)]:
        factories.publish(
            factories.make_intervention(name=name, min_age_months=low, max_age_months=high)
        )

    for_band = text_of(client.get("/interventions/", {"age": "3-to-4"}))
    unknown = client.get("/interventions/", {"age": "../etc\x00"})

    assert "Toddler Talk" in for_band and "Teen Steps" not in for_band
    assert "Remove this filter: Age, 3 to 4 years" in for_band
    assert unknown.status_code == 200
    assert "We do not recognise that age group" in text_of(unknown)
    assert "Teen Steps" in text_of(unknown)


# --- Intervention page -----------------------------------------------------------


def test_intervention_page_shows_the_summary_then_the_sections(client, scales):
    intervention = factories.make_intervention(
        name="Hearthstone Parent Group",
        slug="hearthstone-parent-group",
        summary="A 12-week group for parents of children with behaviour problems.",
        min_age_months=36,
        max_age_months=132,
        available_in_uk=True,
        evidence_last_reviewed=date(2026, 1, 15),
        eligibility_criteria="Parents worried about their child's behaviour.",
        workforce="Two trained facilitators.",
        change_mechanism="Consistent, warm parenting reduces conflict.",
    )
    factories.rate(
        intervention, EVIDENCE, "2", rated_on=date(2023, 3, 1), reason="Before-and-after study."
    )
    factories.rate(
        intervention, EVIDENCE, "3", rated_on=date(2025, 6, 1), reason="One rigorous UK trial."
    )
    factories.rate(intervention, COST, "3", rated_on=date(2025, 6, 1))
    factories.make_cost(intervention, unit_cost=Decimal("850.00"), price_year=2025)
    study = factories.make_study(intervention, title="The Hearthstone trial")
    factories.publish(intervention, when=datetime(2026, 2, 3, 10, tzinfo=UTC))

    response = client.get("/interventions/hearthstone-parent-group/")

    assert response.status_code == 200
    text = text_of(response)
    summary = text[text.index("Summary") : text.index("On this page")]
    assert "3 to 11 years" in summary
    assert "3 Evidence of a short-term effect" in summary
    assert "Evidence of a short-term effect." in summary  # the level's plain meaning
    assert "About £850 per child, at 2025 to 2026 prices." in summary
    assert "Available in the UK: yes, it can be bought or delivered in the UK now" in summary
    assert "1 study, 1 of them in the UK" in summary
    assert "15 January 2026" in summary
    assert "This is version 1, published 3 February 2026" in summary
    for section in ["About", "Who it is for", "How it is delivered", "Theory of change"]:
        assert f"{section} " in text[text.index("On this page") :]
    assert "Parents worried about their child's behaviour." in text
    assert "Two trained facilitators." in text
    assert "Consistent, warm parenting reduces conflict." in text
    assert f'href="/studies/{study.pk}/"' in response.content.decode()
    history = text[text.index("Rating history") :]
    assert history.index("1 Jun 2025") < history.index("1 Mar 2023")
    assert "Before-and-after study." in history
    assert "One rigorous UK trial." in history
    assert "test-1" in history  # the standards version


def test_intervention_page_says_pre_birth_in_words(client, scales):
    factories.publish(
        factories.make_intervention(slug="bump-start", min_age_months=-6, max_age_months=24)
    )

    assert "Pre-birth to 2 years" in text_of(client.get("/interventions/bump-start/"))


@pytest.mark.parametrize("status", [*NEVER_PUBLISHED, Intervention.Status.PUBLISHED])
def test_intervention_page_is_not_found_unless_published(client, scales, status):
    # Whatever its status, a working copy with no published version has no page.
    factories.make_intervention(slug="not-yet", status=status)

    response = client.get("/interventions/not-yet/")

    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_an_archived_intervention_keeps_its_page_with_a_notice(client, scales):
    intervention = rated_intervention(slug="old-programme")
    archive(intervention, reason="The developer no longer supports it.")

    response = client.get("/interventions/old-programme/")

    assert response.status_code == 200
    text = text_of(response)
    assert "This intervention was archived on" in text
    assert "The developer no longer supports it." in text


def test_unknown_slug_gives_the_custom_not_found_page(client, db):
    response = client.get("/interventions/no-such-thing/")

    assert response.status_code == 404
    assert [t.name for t in response.templates][0] == "404.html"
    text = text_of(response)
    assert "Page not found" in text
    assert "If you typed the web address, check it is correct." in text
    assert "Skip to main content" in text


# --- Study page -----------------------------------------------------------------------


def test_study_page_shows_citation_design_sample_findings_and_interventions(client, scales):
    published = factories.make_intervention(name="Hearthstone Parent Group")
    draft = factories.make_intervention(name="Secret Draft", status=Intervention.Status.DRAFT)
    study = factories.make_study(
        published,
        draft,
        authors="Okafor, A., Reid, J.",
        year=2021,
        title="The Hearthstone trial",
        publication="Journal of Family Studies",
        doi="10.1234/jfs.2021.01",
        follow_up_months=12,
        population="Parents in three English cities.",
    )
    outcome = factories.make_outcome(name="Behaviour problems")
    factories.make_finding(study, published, outcome=outcome, timepoint="End of KS2")
    factories.make_finding(
        study,
        published,
        measure="Entered care",
        statistics_form=Finding.StatisticsForm.BINARY,
        intervention_mean=None,
        intervention_sd=None,
        comparison_mean=None,
        comparison_sd=None,
        intervention_events=31,
        intervention_n=100,
        comparison_events=40,
        comparison_n=100,
        p_value=0.0002,
    )
    factories.make_finding(study, draft, measure="Finding about the draft")
    factories.publish(published)

    response = client.get(f"/studies/{study.pk}/")

    assert response.status_code == 200
    text = text_of(response)
    assert "Okafor, A., Reid, J. (2021). The Hearthstone trial." in text
    assert 'href="https://doi.org/10.1234/jfs.2021.01"' in response.content.decode()
    assert "Randomised controlled trial" in text
    assert "United Kingdom (in the UK)" in text
    assert "120 in the group that got the intervention" in text
    assert "118 in the comparison group" in text
    assert "1 year" in text  # follow-up
    assert "Yes, the evaluators had no stake" in text
    assert "Parents in three English cities." in text
    assert "Behaviour problems" in text
    assert "Average 11.2" in text and "Average 13.4" in text
    assert "Lower scores are better." in text
    assert "31 of 100 (31%)" in text and "40 of 100 (40%)" in text
    assert "less than 0.001" in text
    assert "Findings, 2 in all" in text
    assert "When: End of KS2." in text  # as entered: acronyms keep their capitals
    assert "Hearthstone Parent Group" in text
    assert "Secret Draft" not in text
    assert "Finding about the draft" not in text


def test_study_page_explains_its_numbers_in_plain_words(client, scales):
    intervention = factories.make_intervention()
    study = factories.make_study(intervention, design="qed")
    factories.make_finding(study, intervention, outcome=factories.make_outcome(name="Tantrums"))
    factories.publish(intervention)

    response = client.get(f"/studies/{study.pk}/")

    html = response.content.decode()
    text = text_of(response)
    assert "but chance did not decide who was in which group" in text  # the design
    assert "What these numbers mean" in text
    assert "The standard deviation shows how spread out the scores were" in text
    assert "standard deviation 5.1, 110 children" in text
    assert " SD" not in text
    assert "p-value lower means less likely to be chance" in text
    # Each row is headed by its outcome; the table is named by its caption.
    assert re.search(r'<th scope="row" class="govuk-table__header"[^>]*>\s*Tantrums', html)
    assert (
        '<caption class="govuk-table__caption govuk-table__caption--s" id="findings-caption">'
        in html
    )
    assert 'role="region" aria-labelledby="findings-caption"' in html


def test_study_of_only_unpublished_interventions_is_not_found(client, scales):
    draft = factories.make_intervention(status=Intervention.Status.DRAFT)
    unversioned = factories.make_intervention()  # marked published, never published
    study = factories.make_study(draft, unversioned)

    response = client.get(f"/studies/{study.pk}/")

    assert response.status_code == 404
    assert "Page not found" in text_of(response)


def test_unknown_study_is_not_found(client, db):
    assert client.get("/studies/999999/").status_code == 404
    assert client.get("/studies/99999999999999999999/").status_code == 404


# --- Every page -------------------------------------------------------------------------


def every_page(published: Intervention) -> list[str]:
    study = published.studies.first()
    return [
        "/",
        "/interventions/",
        published.get_absolute_url(),
        study.get_absolute_url(),
        "/interventions/no-such-thing/",
    ]


DEMO_NOTICE = "This site shows demonstration data. It is made up."


def test_demo_notice_is_on_every_page_when_the_catalogue_is_demonstration_data(client, scales):
    Catalogue.objects.create(pk=1, is_demonstration=True)
    published = studied_intervention()

    for url in every_page(published):
        text = text_of(client.get(url))
        assert DEMO_NOTICE in text, url
        assert "Do not use its interventions, studies, ratings or costs" in text, url


@pytest.mark.parametrize("row", ["real", "missing"])
def test_no_demo_notice_for_a_real_catalogue(client, scales, row):
    if row == "real":
        Catalogue.objects.create(pk=1, is_demonstration=False)
    published = studied_intervention()

    for url in every_page(published):
        assert DEMO_NOTICE not in text_of(client.get(url)), url


class _Scripts(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.inline_handlers: list[str] = []

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        self.inline_handlers += [name for name in attributes if name.startswith("on")]


def test_every_page_has_a_csp_header_and_no_inline_script(client, scales):
    published = studied_intervention()

    for url in every_page(published):
        response = client.get(url)
        csp = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp, url
        assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0], url
        parser = _Scripts()
        parser.feed(response.content.decode())
        assert parser.scripts == [{"type": "module", "src": "/static/js/init.js"}], url
        assert parser.inline_handlers == [], url


def test_every_page_has_the_service_name_skip_link_phase_banner_and_no_crown(client, scales):
    published = studied_intervention()

    for url in every_page(published):
        html = client.get(url).content.decode()
        assert '<html lang="en-GB"' in html, url
        assert 'href="#main-content" class="govuk-skip-link"' in html, url
        assert 'id="main-content"' in html, url
        assert ">Evidence Store</a>" in html, url
        assert "govuk-phase-banner" in html and ">Beta<" in html, url
        assert "This is a new service. We are still building it." in html, url
        assert "feedback" not in html, url  # there is nowhere to send it yet
        assert 'rel="icon"' in html, url
        assert "/static/build/main.css" in html, url
        assert "govuk-footer__crown" not in html and "govuk-logo" not in html, url
        assert "Crown copyright" not in html and "Open Government Licence" not in html, url


def test_current_page_is_marked_in_the_navigation(client, scales):
    html = client.get("/interventions/").content.decode()

    assert re.search(r'href="/interventions/" aria-current="page"', html)
    assert 'href="/" aria-current' not in html


def test_server_error_page_renders_without_the_database_or_a_request(
    django_assert_num_queries,
):
    with django_assert_num_queries(0):
        html = loader.get_template("500.html").render()

    assert "Sorry, there is a problem with the service" in html
    assert "Evidence Store" in html
    assert "<script" not in html


# --- Query counts -----------------------------------------------------------------------
# Each page runs a fixed number of queries whatever the catalogue size: pinned here
# for a catalogue of one intervention and one of thirty, each with studies,
# findings, superseded and current ratings, and costs.


@pytest.fixture(params=[1, 30], ids=["one-intervention", "thirty-interventions"])
def catalogue_of(request, scales):
    Catalogue.objects.create(pk=1, is_demonstration=True)
    AgeBand.objects.create(name="3 to 4 years", slug="3-to-4", min_age_months=36, max_age_months=59)
    size = request.param
    interventions = [
        studied_intervention(studies=2 if size > 1 else 1, findings_per_study=3, publish=False)
        for _ in range(size)
    ]
    # One study informs every intervention, so the study page grows with the catalogue.
    shared = factories.make_study(*interventions, title="A shared multi-site trial")
    for intervention in interventions:
        factories.make_finding(shared, intervention)
        factories.publish(intervention)
    return interventions, shared


def test_home_runs_a_fixed_number_of_queries(client, catalogue_of):
    with assert_queries(6):
        # 1 the catalogue row (context processor: demonstration notice), 2 outcome domains
        # some listed intervention uses, 3 age bands, 4 topics some listed intervention
        # uses, 5 the recently published listing rows (each carries its ratings and cost),
        # 6 the glossary, for the cards' abbreviations (1 and 6 are kept until the
        # catalogue changes, publishing/catalogue_state.py)
        response = client.get("/")
    assert response.status_code == 200


# The list's pin is in test_list_page.py, with its filters' queries named.


def test_intervention_page_runs_a_fixed_number_of_queries(client, catalogue_of):
    interventions, _ = catalogue_of
    with assert_queries(4):
        # 1 the listing row with its latest version (the snapshot holds everything the
        # page shows: ratings, costs, terms, studies and findings, so no more queries),
        # 2 the page history (every version, without its snapshot), 3 the catalogue row,
        # 4 the glossary, to explain the measures' abbreviations
        response = client.get(interventions[-1].get_absolute_url())
    assert response.status_code == 200
    # The evidence was all there to draw: each study's findings, pooled in a forest plot.
    studies = 2 if len(interventions) == 1 else 3  # its own, and the shared trial
    html = response.content.decode()
    assert 'class="app-forest-plot__chart"' in html
    assert f"Average of {studies} studies" in html


def test_study_page_runs_a_fixed_number_of_queries(client, catalogue_of):
    interventions, shared = catalogue_of
    with assert_queries(3):
        # 1 the listing rows whose latest version shows the study, with those versions
        # (the study and its findings come from their snapshots), 2 the catalogue row,
        # 3 the glossary, to explain the measures' abbreviations
        response = client.get(shared.get_absolute_url())
    assert response.status_code == 200
    assert text_of(response).count("A shared multi-site trial") >= 1
    assert f"Findings, {len(interventions)} in all" in text_of(response)


def test_favicon_address_leads_to_our_icon_without_a_permanent_redirect(client):
    response = client.get("/favicon.ico")
    # 302: the hashed static name changes with the icon, so browsers must not cache the move.
    assert response.status_code == 302
    assert response["Location"] == "/static/images/favicon.svg"
