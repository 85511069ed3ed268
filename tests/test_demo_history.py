"""The demo catalogue comes with realistic histories of published versions."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.db.models import Count
from django.urls import reverse

from interventions.models import Intervention
from publishing.models import Listing, Version
from tests.page_text import text_of


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo as `make run` loads it, rolled back at the module's end."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_demo_catalogue", verbosity=0)
        yield
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_several_interventions_have_two_to_four_versions_major_and_minor(demo):
    counts = Intervention.objects.annotate(n=Count("versions")).filter(n__gte=2)
    assert counts.count() >= 5
    assert max(counts.values_list("n", flat=True)) <= 4
    changes = set(Version.objects.filter(number__gte=2).values_list("change", flat=True))
    assert changes == {"major", "minor"}
    assert not Version.objects.filter(change_note="").exists()


@pytest.mark.django_db
def test_a_re_rating_is_a_major_version_whose_note_says_what_changed(demo, client):
    version = Version.objects.get(intervention__slug="keel-parent-groups", number=2)
    assert version.change == "major"
    assert "Evidence strength changed from 4" in version.change_note
    page = text_of(client.get(reverse("interventions:version", args=["keel-parent-groups", 1])))
    assert "This is version 1 of 3" in page


@pytest.mark.django_db
def test_the_archived_entry_keeps_its_address_with_its_reason(demo, client):
    listing = Listing.objects.get(archived_at__isnull=False)
    text = text_of(client.get(listing.get_absolute_url()))
    assert "This intervention was archived on" in text
    assert listing.archive_reason in text


@pytest.mark.django_db
def test_loading_the_demo_again_leaves_the_database_alone(demo):
    versions = Version.objects.count()
    call_command("load_demo_catalogue", verbosity=0)
    assert Version.objects.count() == versions
