"""Content Security Policy: strict on the public site, relaxed for styles in the admin only."""

from __future__ import annotations

from csp.middleware import CSPMiddleware, PolicyParts
from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponseBase

# Some of the Django admin's own templates use inline styles (a <style> block on
# change lists without actions; a style attribute on django-simple-history's
# history pages), so admin pages allow them. Styles cannot run code; scripts stay strict.
UNSAFE_INLINE = "'unsafe-inline'"


def is_admin_request(request: HttpRequest) -> bool:
    """True for any page the admin site's URLs answered, including its login page."""
    match = getattr(request, "resolver_match", None)
    return match is not None and "admin" in match.namespaces


class EvidenceStoreCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, adding 'unsafe-inline' to style-src on admin pages only.

    django-csp 4 reads per-response changes from `response._csp_update` in
    `get_policy_parts`, the hook its docstring offers for subclassing. A view's own
    `@csp_update` is kept and added to.
    """

    def get_policy_parts(
        self,
        request: HttpRequest,
        response: HttpResponseBase,
        report_only: bool = False,
    ) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and is_admin_request(request):
            update = dict(parts.update or {})
            sources = update.get("style-src") or ()
            if isinstance(sources, str):
                sources = (sources,)
            update["style-src"] = [*sources, UNSAFE_INLINE]
            parts.update = update
        return parts


class RefuseNulInAdminQueries:
    """PostgreSQL cannot store or search for NUL characters, and some admin views
    (autocomplete) pass the search straight to the database: refuse with a 400.
    The public pages handle such input themselves, with a message on the page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> None:
        if is_admin_request(request) and any(
            "\x00" in key or any("\x00" in value for value in values)
            for key, values in request.GET.lists()
        ):
            raise BadRequest("The address contains a NUL character.")


# Browser features no page here uses, turned off for the page and anything it embeds.
# Only names Chromium recognises: it reports unknown ones as console errors.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in [
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    ]
)


class PermissionsPolicy:
    """Send a Permissions-Policy header on every response, static files and errors included."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response
