"""What every template may need from the project's configuration."""

from django.conf import settings


def site_address(request) -> dict:
    """The public address pages name themselves by (canonical links): SITE_URL when set,
    so every app server behind one name, and every cached copy, says the same."""
    configured = (settings.SITE_URL or "").rstrip("/")
    return {"site_address": configured or f"{request.scheme}://{request.get_host()}"}
