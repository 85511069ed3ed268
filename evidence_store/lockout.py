"""The page django-axes shows when logging in is locked (settings.AXES_LOCKOUT_CALLABLE).

The only login is the admin's, so the page is in the admin's look, with the
admin's context (site header, colour theme), and says plainly what happened,
for how long, and what to do.
"""

from axes.helpers import get_cool_off, get_failure_limit
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

# 429 Too Many Requests, as django-axes answers by default.
LOCKED = 429


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    cool_off = get_cool_off(request)
    minutes = round(cool_off.total_seconds() / 60)
    response = TemplateResponse(
        request,
        "admin/locked_out.html",
        {
            **admin.site.each_context(request),
            "failure_limit": get_failure_limit(request, credentials),
            "cooloff_minutes": minutes,
        },
        status=LOCKED,
    )
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response.render()
