"""Every response turns off browser features the site never uses."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

OFF = ["camera", "microphone", "geolocation", "payment", "usb", "browsing-topics"]


def features(response) -> dict[str, str]:
    header = response.headers["Permissions-Policy"]
    return dict(item.strip().split("=", 1) for item in header.split(","))


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/", 200),
        ("/interventions/", 200),
        ("/methods/", 200),
        ("/no-such-page/", 404),
        ("/admin/login/", 200),
        ("/admin/", 302),
    ],
)
def test_every_response_turns_off_camera_microphone_and_location(path, status):
    response = Client().get(path)
    assert response.status_code == status
    policy = features(response)
    for feature in OFF:
        assert policy[feature] == "()", (path, feature)


def test_a_refused_request_has_the_header_too():
    response = Client(raise_request_exception=False).get(
        "/", CONTENT_TYPE="text/plain; charset=rot13"
    )
    assert response.status_code == 400
    assert features(response)["camera"] == "()"
