import pytest

from publishing import catalogue_state
from tests import factories


@pytest.fixture(autouse=True)
def fresh_kept_data():
    """Each test's database starts again from nothing, perhaps under the catalogue
    token a test before it left in the cache: what a process keeps per catalogue state
    (the facet index, the filters' options, the glossary) is read afresh."""
    catalogue_state.forget()
    yield
    catalogue_state.forget()


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
