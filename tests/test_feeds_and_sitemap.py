"""Feeds of major versions, the sitemap, robots.txt and canonical links: findable and
followable, with nothing but published versions."""

import xml.etree.ElementTree as ET

import pytest
from django.urls import reverse

from interventions.models import OutcomeDomain
from publishing.publish import archive
from tests import factories
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def entries(response) -> list[dict]:
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "summary": entry.findtext(f"{ATOM}summary"),
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


@pytest.fixture
def programme(scales):
    intervention = factories.make_intervention(
        name="Hearthstone Parent Group", slug="hearthstone-parent-group"
    )
    domain = OutcomeDomain.objects.create(slug="behaviour", name="Behaviour")
    outcome = factories.make_outcome(slug="conduct", name="Conduct problems", domain=domain)
    intervention.target_outcomes.add(outcome)
    # A rigorous trial found it improved conduct: the list's outcome filters ask that.
    factories.make_finding(factories.make_study(intervention), intervention, outcome=outcome)
    factories.publish(intervention, note="First published.")
    intervention.summary = "Now also for fathers."
    intervention.save()
    factories.publish(intervention, note="Wording only.", change="minor")
    factories.rate(intervention, "evidence-strength", "3", reason="A rigorous trial.")
    factories.publish(intervention, note="Rated 3 after a new trial.")
    intervention.name = "A draft name nobody published"
    intervention.save()
    return intervention


def test_the_catalogue_feed_has_major_versions_with_links_to_what_changed(client, programme):
    found = entries(client.get("/feeds/major-changes.atom"))
    assert [e["title"] for e in found] == [
        "Hearthstone Parent Group: version 3",
        "Hearthstone Parent Group: version 1",
    ]
    assert found[0]["link"].endswith("/interventions/hearthstone-parent-group/versions/3/")
    assert "Rated 3 after a new trial." in found[0]["summary"]
    assert "/interventions/hearthstone-parent-group/changes/?from=2&amp;to=3" in found[0]["summary"]
    assert "Wording only." not in client.get("/feeds/major-changes.atom").content.decode()
    assert b"A draft name nobody published" not in client.get("/feeds/major-changes.atom").content


def test_area_and_topic_feeds_hold_only_their_interventions(client, programme):
    other = factories.make_intervention(name="Riverside Mentoring", slug="riverside")
    factories.publish(other)
    area = entries(client.get("/feeds/outcome-areas/behaviour.atom"))
    assert {e["title"].split(":")[0] for e in area} == {"Hearthstone Parent Group"}
    topic = entries(client.get("/feeds/topics/parenting.atom"))
    assert {e["title"].split(":")[0] for e in topic} == {
        "Hearthstone Parent Group",
        "Riverside Mentoring",
    }
    assert client.get("/feeds/outcome-areas/no-such-area.atom").status_code == 404
    assert client.get("/feeds/topics/no-such-topic.atom").status_code == 404


def test_the_list_offers_a_feed_for_its_search_and_it_follows_the_filters(client, programme):
    other = factories.make_intervention(name="Riverside Mentoring", slug="riverside")
    factories.publish(other)
    page = client.get(reverse("interventions:list") + "?domain=behaviour").content.decode()
    assert "Get updates for this search" in page
    assert 'href="/feeds/search.atom?domain=behaviour"' in page
    found = entries(client.get("/feeds/search.atom?domain=behaviour"))
    assert {e["title"].split(":")[0] for e in found} == {"Hearthstone Parent Group"}
    bad = client.get("/feeds/search.atom?evidence=9")
    assert bad.status_code == 400
    assert "We do not recognise that evidence strength" in bad.content.decode()


def test_feeds_run_a_fixed_number_of_queries(client, programme):
    for n in range(3):
        factories.publish(factories.make_intervention(name=f"Counted {n}", slug=f"counted-{n}"))
    # The versions with their interventions and listings.
    with assert_queries(1):
        client.get("/feeds/major-changes.atom")
    # The topic, then the versions.
    with assert_queries(2):
        client.get("/feeds/topics/parenting.atom")
    # The filter options in one query, then the versions.
    with assert_queries(2):
        client.get("/feeds/search.atom?topic=parenting")


def test_an_archived_interventions_versions_stay_in_the_feed(client, programme):
    archive(programme, reason="No longer offered.")
    assert entries(client.get("/feeds/major-changes.atom"))


def test_the_sitemap_lists_published_pages_and_every_version_but_no_draft(client, programme):
    factories.make_intervention(name="Never published", slug="never-published")
    # For interventions and for versions: a count, then the rows; and the demo notice's
    # catalogue row (the template context processor).
    with assert_queries(5):
        response = client.get("/sitemap.xml")
    assert response.status_code == 200
    text = response.content.decode()
    for path in [
        "/interventions/hearthstone-parent-group/",
        "/interventions/hearthstone-parent-group/versions/1/",
        "/interventions/hearthstone-parent-group/versions/3/",
        "/methods/",
        "/data/",
        "/api/v1/docs",
    ]:
        assert f"{path}</loc>" in text, path
    assert "never-published" not in text


def test_robots_points_to_the_sitemap_and_keeps_crawlers_out_of_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_a_version_page_names_itself_as_canonical(client, programme, settings):
    settings.SITE_URL = "https://evidence-store.example.org"
    site = settings.SITE_URL
    version = client.get("/interventions/hearthstone-parent-group/versions/1/").content.decode()
    assert (
        f'<link rel="canonical" href="{site}/interventions/hearthstone-parent-group/versions/1/">'
        in version
    )
    latest = client.get("/interventions/hearthstone-parent-group/?utm=x").content.decode()
    assert f'<link rel="canonical" href="{site}/interventions/hearthstone-parent-group/">' in latest


def test_without_a_site_address_the_canonical_link_uses_the_request(client, programme, settings):
    settings.SITE_URL = None
    page = client.get("/interventions/hearthstone-parent-group/").content.decode()
    assert (
        '<link rel="canonical" href="http://testserver/interventions/hearthstone-parent-group/">'
        in page
    )
