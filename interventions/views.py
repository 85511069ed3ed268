from django.http import HttpRequest, HttpResponse


def home(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Evidence Store")


def intervention_list(request: HttpRequest) -> HttpResponse:
    return HttpResponse("list")


def intervention_detail(request: HttpRequest, slug: str) -> HttpResponse:
    return HttpResponse(slug)
