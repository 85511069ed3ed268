"""Published versions: nothing changes under a reader, and every version stays citable.

The story of the issue: a curator edits a published intervention and adds a study.
The public site is unchanged until they publish version 2 with a change note; then
the page shows version 2, version 1 is still at its permalink exactly as it was,
and the comparison says what changed.
"""

import re
from datetime import date

import pytest
from django.db import IntegrityError, InternalError, transaction
from django.test import override_settings
from django.urls import reverse

from publishing.models import Listing, Version
from publishing.publish import CannotPublish, archive, publish
from ratings.models import Study
from tests import factories
from tests.page_text import text_of
from tests.query_counts import assert_queries

NEWER_BANNER = re.compile(
    r'<div class="govuk-notification-banner" role="region" aria-labelledby="older-version-title".*?'
    r"</div> </div> ",
    re.S,
)


def main_of(response) -> str:
    html = response.content.decode()
    return re.sub(r"\s+", " ", html[html.index("<main") : html.index("</main>")])


@pytest.fixture
def programme(db):
    """A published intervention with one study, one finding and ratings: version 1."""
    intervention = factories.make_intervention(
        name="Hearthstone Parent Group", slug="hearthstone-parent-group"
    )
    study = factories.make_study(intervention, title="A first trial of Hearthstone")
    factories.make_finding(study, intervention)
    factories.rate(intervention, "evidence-strength", "3", reason="One rigorous study.")
    factories.make_cost(intervention)
    factories.publish(intervention, note="First published.")
    return intervention


def detail(client, slug="hearthstone-parent-group"):
    return client.get(reverse("interventions:detail", args=[slug]))


def version_page(client, number, slug="hearthstone-parent-group"):
    return client.get(reverse("interventions:version", args=[slug, number]))


def test_an_edit_and_a_new_study_are_not_public_until_published(client, programme):
    before = main_of(detail(client))
    programme.summary = "A rewritten summary nobody has reviewed."
    programme.save()
    study = factories.make_study(programme, title="A second trial, not yet reviewed")
    factories.make_finding(study, programme)

    assert main_of(detail(client)) == before
    for url in [
        reverse("interventions:list"),
        reverse("interventions:list") + "?q=rewritten",
        reverse("interventions:download_csv"),
        reverse("interventions:download_json"),
    ]:
        page = client.get(url).getvalue().decode()
        assert "A second trial" not in page and "rewritten summary" not in page
    assert client.get(reverse("ratings:study", args=[study.pk])).status_code == 404


def test_publishing_shows_the_new_version_and_keeps_the_old_one(client, programme):
    first = main_of(version_page(client, 1))
    programme.summary = "A group programme for parents of children aged 3 to 8."
    programme.save()
    study = factories.make_study(programme, title="A second trial of Hearthstone")
    factories.make_finding(study, programme)
    factories.publish(programme, note="Added a second trial from Leeds.")

    current = text_of(detail(client))
    assert "aged 3 to 8" in current
    assert "A second trial of Hearthstone" in current
    assert "This is version 2, published" in current
    assert "Added a second trial from Leeds." in current  # the page history

    old = version_page(client, 1)
    assert old.status_code == 200
    assert "This is version 1 of 2" in text_of(old)
    # Exactly as published: only the notice pointing to the newer version was added.
    assert NEWER_BANNER.sub("", main_of(old), count=1) == first
    assert client.get(reverse("ratings:study", args=[study.pk])).status_code == 200


def test_the_comparison_says_what_changed_in_plain_words(client, programme):
    programme.summary = "A group programme for parents of toddlers."
    programme.save()
    study = factories.make_study(programme, title="A second trial of Hearthstone")
    factories.make_finding(study, programme)
    factories.rate(programme, "evidence-strength", "4", reason="Two rigorous studies.")
    factories.publish(programme, note="New trial; rating up to 4.")

    page = client.get(reverse("interventions:changes", args=["hearthstone-parent-group"]))
    assert page.status_code == 200
    text = text_of(page)
    assert "What changed from version 1 to version 2" in text
    assert "Evidence strength changed from 3" in text and "to 4" in text
    assert "Study added: Okafor (2021), “A second trial of Hearthstone”, with 1 finding." in text
    assert "New trial; rating up to 4." in text
    html = page.content.decode()
    assert "toddlers" in re.search(r"<ins[^>]*>.*?</ins>", html, re.S).group()
    assert "young children" in re.search(r"<del[^>]*>.*?</del>", html, re.S).group()


@pytest.mark.parametrize(
    "query",
    ["?from=abc", "?from=2&to=1", "?to=99", "?from=-1", "?from=1&to=1", "?to=%00"],
)
def test_comparing_versions_that_do_not_exist_is_a_clear_400(client, programme, query):
    programme.summary = "Changed."
    programme.save()
    factories.publish(programme, note="Shorter summary.", change="minor")
    page = client.get(reverse("interventions:changes", args=["hearthstone-parent-group"]) + query)
    assert page.status_code == 400
    assert "We could not compare those versions" in text_of(page)


def test_a_version_that_was_never_published_is_a_404(client, programme):
    assert version_page(client, 2).status_code == 404
    assert version_page(client, 10**30).status_code == 404


def test_a_draft_is_on_no_public_address(client, db):
    draft = factories.make_intervention(
        name="Secret Draft", slug="secret-draft", status="draft", summary="Do not show me."
    )
    study = factories.make_study(draft, title="A study only the draft uses")
    factories.make_finding(study, draft)
    for url in [
        reverse("interventions:home"),
        reverse("interventions:list") + "?q=secret",
        reverse("interventions:list") + "?archived=yes",
        reverse("interventions:download_csv"),
        reverse("interventions:download_json"),
    ]:
        assert "Secret Draft" not in client.get(url).getvalue().decode()
    assert detail(client, "secret-draft").status_code == 404
    assert version_page(client, 1, "secret-draft").status_code == 404
    assert client.get(reverse("ratings:study", args=[study.pk])).status_code == 404


def test_nothing_changed_means_nothing_to_publish(programme):
    with pytest.raises(CannotPublish, match="Nothing has changed since version 1"):
        publish(programme, user=None, change="minor", note="Again.")
    with pytest.raises(CannotPublish, match="change note"):
        publish(programme, user=None, change="minor", note="   ")


@override_settings(PUBLISH_REQUIRES_SECOND_CURATOR=True)
def test_a_second_curator_must_publish_the_last_change(programme):
    casey = factories.make_curator("casey")
    robin = factories.make_curator("robin")
    programme.summary = "Casey's clearer summary."
    programme._history_user = casey  # who django-simple-history records, as the admin does
    programme.save()

    with pytest.raises(CannotPublish, match="second curator"):
        publish(programme, user=casey, change="minor", note="Clearer summary.")
    version = publish(programme, user=robin, change="minor", note="Clearer summary.")
    assert version.number == 2 and version.publisher_name == "robin"


def test_archived_entries_keep_every_address_with_a_notice(client, programme):
    replacement = factories.make_intervention(name="Hearthstone Two", slug="hearthstone-two")
    factories.publish(replacement)
    programme.summary = "Second wording."
    programme.save()
    factories.publish(programme, note="Reworded.", change="minor")
    archive(programme, reason="The developer no longer offers it.", replaced_by=replacement)

    for page in (detail(client), version_page(client, 1), version_page(client, 2)):
        assert page.status_code == 200
        text = text_of(page)
        assert "This intervention was archived on" in text
        assert "The developer no longer offers it." in text
        assert "It has been replaced by Hearthstone Two" in text
    listed = text_of(client.get(reverse("interventions:list")))
    assert "Hearthstone Parent Group" not in listed and "Hearthstone Two" in listed
    with_archived = text_of(client.get(reverse("interventions:list") + "?archived=yes"))
    assert "Hearthstone Parent Group" in with_archived and "Archived" in with_archived


def test_the_database_refuses_to_change_or_delete_a_version(programme):
    version = Version.objects.get(intervention=programme, number=1)
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Version.objects.filter(pk=version.pk).update(change_note="Rewritten history.")
    with pytest.raises((IntegrityError, InternalError)), transaction.atomic():
        Version.objects.filter(pk=version.pk).delete()
    assert Version.objects.get(pk=version.pk).change_note == "First published."


def test_deleting_the_publishers_account_keeps_the_version(programme):
    casey = factories.make_curator("casey")
    programme.summary = "Changed by Casey."
    programme.save()
    version = publish(programme, user=casey, change="minor", note="Wording.")
    casey.delete()
    version.refresh_from_db()
    assert version.published_by is None and version.publisher_name == "casey"


def test_cite_this_version_names_the_permalink(client, programme):
    text = text_of(detail(client))
    assert "Cite this version" in text
    assert "/interventions/hearthstone-parent-group/versions/1/" in text
    assert f"Published {date.today():%-d %B %Y}" in text


def test_version_pages_run_a_fixed_number_of_queries(client, programme):
    # 1 the catalogue notice, 2 the listing, 3 the version, 4 the page history,
    # 5 the glossary that explains the measures' abbreviations.
    with assert_queries(5):
        version_page(client, 1)
    for n in range(3):
        study = factories.make_study(programme, title=f"Trial {n}")
        factories.make_finding(study, programme)
        factories.rate(programme, "evidence-strength", "3", reason=f"Review {n}.")
        factories.publish(programme, note=f"Review {n}.")
    with assert_queries(5):
        version_page(client, 1)
    # 1 the notice, 2 the listing, 3 the page history, 4 the two versions compared.
    with assert_queries(4):
        client.get(reverse("interventions:changes", args=["hearthstone-parent-group"]))
    assert Study.objects.count() == 4 and Listing.objects.count() == 1


def test_a_study_dropped_from_the_current_version_keeps_its_page(client, programme):
    study = programme.studies.get()
    url = reverse("ratings:study", args=[study.pk])
    assert client.get(url).status_code == 200
    study.interventions.remove(programme)
    study.findings.all().delete()
    factories.publish(programme, note="Removed a study that was withdrawn.")

    page = client.get(url)
    assert page.status_code == 200
    text = text_of(page)
    assert "No intervention's current page uses this study any more" in text
    assert "version 1 of Hearthstone Parent Group" in text
    assert "A first trial of Hearthstone" in text
