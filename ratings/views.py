from django.http import HttpRequest, HttpResponse


def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return HttpResponse(str(pk))
