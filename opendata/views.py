"""The Data page, the bulk files, and robots.txt."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from opendata import files


@require_safe
def data_page(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/data.html",
        {
            "licence": files.LICENCE,
            "licence_url": files.LICENCE_URL,
            "last_updated": files.last_updated(),
            "tables": [
                (name, columns, reverse("data_file", args=[name]))
                for name, columns in files.TABLES.items()
            ],
        },
    )


@require_safe
def data_file(request: HttpRequest, name: str) -> HttpResponse:
    if name not in files.NAMES:
        raise Http404("There is no data file with that name.")
    stored = files.current(name, request)
    response = HttpResponse(bytes(stored.content), content_type=stored.content_type)
    response["Last-Modified"] = http_date(stored.built_at.timestamp())
    response["Content-Disposition"] = f'attachment; filename="evidence-store-{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def robots(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "Disallow: /alerts/", f"Sitemap: {sitemap}"]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
