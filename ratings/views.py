"""Public pages of the evidence: one study."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from ratings.models import Study


def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A study is public only while it informs at least one published intervention."""
    study = get_object_or_404(Study.objects.public().for_detail(), pk=pk)
    return render(request, "ratings/study.html", {"study": study})
