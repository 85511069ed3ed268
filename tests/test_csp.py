"""Content Security Policy: strict on public pages; 'unsafe-inline' styles only in the admin."""

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories

pytestmark = pytest.mark.django_db


def directives(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    policy = response.headers["Content-Security-Policy"]
    parts = [part.split() for part in policy.split(";") if part.strip()]
    return {name: sources for name, *sources in parts}


def test_public_pages_have_no_unsafe_inline_anywhere(client, scales):
    intervention = factories.make_intervention()
    study = factories.make_study(intervention)
    factories.make_finding(study, intervention)

    for url in [
        "/",
        "/interventions/",
        intervention.get_absolute_url(),
        study.get_absolute_url(),
        "/interventions/no-such-thing/",
    ]:
        response = client.get(url)
        assert "unsafe-inline" not in response.headers["Content-Security-Policy"], url
        policy = directives(response)
        assert policy["style-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url


def test_admin_pages_allow_inline_styles_but_never_inline_scripts(curator_client):
    intervention = factories.make_intervention()
    study = factories.make_study(intervention)

    responses = {
        "login": Client().get(reverse("admin:login")),  # signed out
        "index": curator_client.get(reverse("admin:index")),
        "intervention": curator_client.get(
            reverse("admin:interventions_intervention_change", args=[intervention.pk])
        ),
        "study": curator_client.get(reverse("admin:ratings_study_change", args=[study.pk])),
    }

    for name, response in responses.items():
        assert response.status_code == 200, name
        policy = directives(response)
        assert policy["style-src"] == ["'self'", "'unsafe-inline'"], name
        assert "'unsafe-inline'" not in policy["script-src"], name
        others = {key: value for key, value in policy.items() if key != "style-src"}
        assert not any("'unsafe-inline'" in sources for sources in others.values()), name


def test_the_publication_styles_come_from_a_file_not_an_inline_style(curator_client):
    intervention = factories.make_intervention()

    response = curator_client.get(
        reverse("admin:interventions_intervention_change", args=[intervention.pk])
    )

    html = response.content.decode()
    assert "<style" not in html
    assert "/static/admin-extra/publication.css" in html
