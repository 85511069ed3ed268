import pytest

from publishing.filters import facets
from tests import factories


@pytest.fixture(autouse=True)
def fresh_facet_index():
    """Each test's database starts again from nothing, perhaps under the catalogue
    token a test before it left in the cache: the list's facet index is read afresh."""
    facets.forget()
    yield
    facets.forget()


@pytest.fixture
def scales(db):
    """The evidence-strength and cost scales."""
    return factories.make_scales()


@pytest.fixture
def published_intervention(db):
    return factories.make_intervention(
        name="Hearthstone Parent Group", slug="hearthstone-parent-group"
    )


@pytest.fixture
def curator(db):
    return factories.make_curator()


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client
