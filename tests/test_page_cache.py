"""Public pages come from the page cache until a publication, with ETag, 304s and gzip.

The cache is the production default (files on this machine), in a folder of each
test's own, so each test starts with it empty. The cache is on here as in production (PUBLIC_CACHE).
"""

import gzip
import re

import pytest

from evidence_store.release import release
from interventions.models import Catalogue, GlossaryTerm, Topic
from publishing.publish import archive
from tests import factories
from tests.page_text import text_of
from tests.query_counts import assert_queries

pytestmark = pytest.mark.django_db

LIST = "/interventions/"


@pytest.fixture(autouse=True)
def page_cache_on(settings, tmp_path):
    """The production default, files, in a folder of the test's own."""
    settings.PUBLIC_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "cache"),
        }
    }


@pytest.fixture
def hearthstone(scales):
    intervention = factories.make_intervention(
        name="Hearthstone Parent Group", slug="hearthstone-parent-group"
    )
    factories.publish(intervention)
    return intervention


def test_a_public_page_is_served_from_the_cache_without_the_database(client, hearthstone):
    first = client.get(LIST)
    with assert_queries(0):
        # Nothing: the page, as rendered for the first visitor.
        second = client.get(LIST)
    assert second.status_code == 200
    assert second.content == first.content
    assert "Hearthstone Parent Group" in text_of(second)


def test_a_publication_shows_at_once(client, hearthstone):
    assert "Kin Together" not in text_of(client.get(LIST))
    page = f"/interventions/{hearthstone.slug}/"
    assert "A summary written after" not in text_of(client.get(page))  # now cached

    factories.publish(factories.make_intervention(name="Kin Together"))
    hearthstone.summary = "A summary written after the first version."
    hearthstone.save()
    factories.publish(hearthstone, note="New summary.")

    assert "Kin Together" in text_of(client.get(LIST))
    assert "A summary written after the first version." in text_of(client.get(page))


def test_archiving_shows_at_once(client, hearthstone):
    assert "Hearthstone Parent Group" in text_of(client.get(LIST))
    archive(hearthstone, reason="No longer offered.")
    assert "Hearthstone Parent Group" not in text_of(client.get(LIST))


def test_renaming_a_topic_shows_at_once_without_publishing(client, hearthstone):
    topic = Topic.objects.create(name="Kinship care", slug="kinship-care")
    hearthstone.topics.add(topic)
    factories.publish(hearthstone, note="Topic added.")
    assert "Kinship care" in text_of(client.get(LIST))

    topic.name = "Family and friends care"
    topic.save()

    assert "Family and friends care" in text_of(client.get(LIST))


def test_a_glossary_edit_shows_at_once_without_publishing(client, hearthstone):
    hearthstone.summary = "For parents of children with ADHD."
    hearthstone.save()
    factories.publish(hearthstone, note="Summary.")
    assert "a child finds it much harder" in client.get(LIST).content.decode()

    term = GlossaryTerm.objects.get(term="ADHD")
    term.meaning = "Attention deficit hyperactivity disorder, in new words."
    term.save()

    assert "in new words" in client.get(LIST).content.decode()


def test_the_demonstration_notice_follows_the_catalogue_row(client, hearthstone):
    before = text_of(client.get("/"))
    Catalogue.objects.create(pk=1, is_demonstration=True)
    assert text_of(client.get("/")) != before


def test_public_pages_carry_validators_and_answer_conditional_requests(client, hearthstone):
    response = client.get(LIST)
    etag, modified = response["ETag"], response["Last-Modified"]
    assert etag.startswith('W/"')
    assert "public" in response["Cache-Control"]
    assert "max-age=60" in response["Cache-Control"]
    assert "stale-while-revalidate" in response["Cache-Control"]

    again = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert client.get(LIST, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304

    factories.publish(factories.make_intervention(name="Kin Together"))

    changed = client.get(LIST, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Kin Together" in text_of(changed)


def test_downloads_carry_validators_too(client, hearthstone):
    response = client.get("/interventions/download.csv")
    assert response.status_code == 200
    assert (
        client.get("/interventions/download.csv", HTTP_IF_NONE_MATCH=response["ETag"]).status_code
        == 304
    )


def test_public_pages_are_compressed(client, hearthstone):
    plain = client.get(LIST)
    packed = client.get(LIST, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert packed["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in packed["Vary"]
    assert gzip.decompress(packed.content) == plain.content
    assert len(packed.content) < len(plain.content) / 3


def test_a_curator_is_never_served_a_cached_page(client, curator, hearthstone):
    client.get(LIST)  # cached for visitors
    client.force_login(curator)
    response = client.get(LIST)
    assert response.status_code == 200
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_the_admin_is_never_cached_or_compressed(client, curator):
    response = client.get("/admin/login/", HTTP_ACCEPT_ENCODING="gzip")
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "ETag" not in response
    assert "public" not in response.get("Cache-Control", "")


def test_errors_are_not_cached(client, hearthstone):
    missing = client.get("/interventions/no-such-thing/")
    assert missing.status_code == 404
    assert "ETag" not in missing
    factories.publish(factories.make_intervention(name="No Such Thing", slug="no-such-thing"))
    assert client.get("/interventions/no-such-thing/").status_code == 200


def test_a_cache_folder_that_cannot_be_written_costs_the_cache_not_the_page(
    client, hearthstone, settings, tmp_path
):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(blocked / "cache"),
        }
    }

    response = client.get(LIST)

    assert response.status_code == 200
    assert "Hearthstone Parent Group" in text_of(response)


def test_a_deploy_shows_at_once_and_browsers_fetch_the_new_pages(client, hearthstone, settings):
    settings.RELEASE = "release-1"
    first = client.get(LIST)
    etag = first["ETag"]
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 304

    settings.RELEASE = "release-2"
    with assert_queries(1, warm=True):
        # Rendered afresh for the new code (its page of rows), not the old code's page.
        second = client.get(LIST)
    assert second.status_code == 200
    assert second["ETag"] != etag
    assert client.get(LIST, HTTP_IF_NONE_MATCH=etag).status_code == 200


def test_without_a_named_release_the_code_names_it():
    assert re.fullmatch(r"[0-9a-f]{12}", release())
