"""Error pages are in the site's own style and say what happened in plain words."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_post_to_a_public_page_gets_a_plain_refusal():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/interventions/", {"q": "anything"})
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot do that here" in page
    assert "Nothing was changed." in page
    assert "Evidence Store" in page


def test_a_page_number_past_the_end_says_so_however_large(client):
    response = client.get("/interventions/", {"page": "1000000"})
    assert response.status_code == 200
    assert "There is no page 1000000." in response.content.decode()
