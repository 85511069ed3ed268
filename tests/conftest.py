import pytest

from tests import factories


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
