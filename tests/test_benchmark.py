"""The benchmark command measures every public page and leaves the database as it was."""

import pytest
from django.core.management import CommandError, call_command

from interventions.models import Intervention
from publishing import benchmark, snapshot
from publishing.models import Listing, Version
from publishing.publish import archive
from ratings.models import Finding, Rating, Study
from tests import factories


@pytest.fixture
def small_catalogue(scales):
    """One intervention published twice; an archived one; a draft never published."""
    intervention = factories.make_intervention(name="Hearthstone Parent Group")
    study = factories.make_study(intervention)
    factories.make_finding(study, intervention)
    factories.publish(intervention)
    factories.rate(intervention, "evidence-strength", "3")
    factories.make_cost(intervention)
    factories.publish(intervention, note="Rated 3, with a unit cost.")
    old = factories.make_intervention(name="Old Approach")
    factories.publish(old)
    archive(old, reason="No longer offered.", replaced_by=intervention)
    factories.make_intervention(name="Kelmscombe Draft", status=Intervention.Status.DRAFT)
    return intervention


def _counts():
    return (
        Intervention.objects.count(),
        Study.objects.count(),
        Finding.objects.count(),
        Rating.objects.count(),
        Version.objects.count(),
        Listing.objects.count(),
    )


def test_benchmark_at_three_times_the_size_reports_every_page_and_rolls_back(
    small_catalogue, capsys
):
    before = _counts()

    # Timing is the command's job, not the test's: a generous budget keeps it steady.
    call_command("benchmark", times=3, repeat=1, budget=60_000)

    output = capsys.readouterr().out
    assert "6 published interventions" in output
    for page in ("Home", "All interventions", "Keyword search", "A study"):
        assert page in output
    assert "Intervention with most findings" in output
    assert " 200 " in output and " 400 " not in output and " 500 " not in output
    assert _counts() == before


def test_benchmark_fails_when_a_page_is_over_budget(small_catalogue, capsys):
    with pytest.raises(CommandError, match="Over the 0.001 ms budget: Home"):
        call_command("benchmark", repeat=1, budget=0.001)
    assert "<- over budget" in capsys.readouterr().out


def test_benchmark_refuses_nonsense_arguments(db):
    with pytest.raises(CommandError, match="1 or more"):
        call_command("benchmark", times=0)


def test_benchmark_says_when_there_is_nothing_to_measure(db):
    with pytest.raises(CommandError, match="no published interventions"):
        call_command("benchmark", repeat=1)


def test_the_copies_are_published_with_their_own_versions_and_pages(small_catalogue, client):
    slug = small_catalogue.slug
    assert benchmark.inflate(3) == 6
    copies = Listing.objects.filter(name="Hearthstone Parent Group (copy 2)")
    (listing,) = copies
    assert (listing.slug, listing.version_number, listing.evidence_code) == (
        f"{slug}-2",
        2,
        "3",
    )
    assert Listing.objects.current().count() == 3 and Listing.objects.count() == 6
    archived = Listing.objects.get(slug=f"{Listing.objects.get(name='Old Approach').slug}-1")
    assert archived.is_archived
    assert archived.replaced_by.slug == f"{slug}-1"

    # Each copy's versions show the copy, with its own studies and findings.
    versions = Version.objects.filter(intervention=listing.intervention).order_by("number")
    assert [version.number for version in versions] == [1, 2]
    study = Study.objects.get(interventions=listing.intervention)
    for version in versions:
        assert version.content["intervention"]["slug"] == f"{slug}-2"
        assert [s["id"] for s in version.content["studies"]] == [study.pk]
        assert version.content_hash == snapshot.content_hash(version.content)
    assert listing.study_ids == [study.pk]

    page = client.get(listing.get_absolute_url())
    assert page.status_code == 200
    assert "Hearthstone Parent Group (copy 2)" in page.content.decode()
    assert client.get(versions[0].get_absolute_url()).status_code == 200
    page = client.get(study.get_absolute_url())
    assert page.status_code == 200
    assert "Hearthstone Parent Group (copy 2)" in page.content.decode()
    search = client.get("/interventions/", {"q": "Hearthstone"}).content.decode()
    assert "Hearthstone Parent Group (copy 1)" in search
