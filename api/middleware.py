"""Open, cache-friendly answers for /api/: CORS for reading, ETags and 304s.

The API is public and read-only, so any web page may read it (CORS open for GET
and HEAD, never for anything that changes data). An ETag from the body lets a
client ask again cheaply with If-None-Match and get 304 Not Modified.
"""

from django.http import HttpResponse
from django.utils.cache import get_conditional_response, set_response_etag

PREFIX = "/api/"
READ = ("GET", "HEAD")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag",
}
PREFLIGHT = {
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


class OpenApiHeaders:
    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse(status=204)
            for name, value in (CORS | PREFLIGHT).items():
                response[name] = value
            return response
        response = self.get_response(request)
        if request.method in READ:
            for name, value in CORS.items():
                response[name] = value
            if response.status_code == 200 and not response.streaming:
                set_response_etag(response)
                response = get_conditional_response(
                    request, etag=response["ETag"], response=response
                )
        return response
