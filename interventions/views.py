"""Public pages of the catalogue: home, the list of interventions, one intervention."""

import re

from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from interventions.models import AgeBand, Intervention
from ratings.models import RatingLevel, RatingScale

PAGE_SIZE = 20
SLUG = re.compile(r"[-a-zA-Z0-9_]+")
PAGE_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only: int() accepts others
RECENTLY_UPDATED = 5


def home(request: HttpRequest) -> HttpResponse:
    recent = Intervention.objects.published().for_list().order_by("-updated_at", "name")
    return render(
        request,
        "interventions/home.html",
        {
            "recent": recent[:RECENTLY_UPDATED],
            "age_bands": AgeBand.objects.all(),
            "evidence_levels": RatingLevel.objects.filter(
                scale__slug=RatingScale.EVIDENCE
            ).order_by("-rank"),
        },
    )


def _page_number(raw: str | None) -> int | None:
    """The page number asked for, or None when it is not a whole number of 1 or more."""
    if raw is None:
        return 1
    raw = raw.strip()
    if not PAGE_NUMBER.fullmatch(raw) or int(raw) < 1:
        return None
    return int(raw)


def intervention_list(request: HttpRequest) -> HttpResponse:
    interventions = Intervention.objects.published()
    messages: list[str] = []

    # PostgreSQL refuses NUL characters in text: drop them rather than fail.
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]
    if query:
        # A simple filter until the full-text search lands (issue 4).
        interventions = interventions.filter(Q(name__icontains=query) | Q(summary__icontains=query))

    age_band = None
    age_slug = request.GET.get("age", "").strip()
    if age_slug:
        if SLUG.fullmatch(age_slug) and len(age_slug) <= 120:
            age_band = AgeBand.objects.filter(slug=age_slug).first()
        if age_band is None:
            messages.append("We do not recognise that age group, so all ages are shown.")
        else:
            interventions = interventions.for_age_band(age_band)

    paginator = Paginator(interventions.for_list().order_by("name"), PAGE_SIZE)
    asked = _page_number(request.GET.get("page"))
    if asked is None:
        messages.append("That page number is not valid, so the first page is shown.")
        asked = 1
    elif asked > paginator.num_pages:
        messages.append(
            f"There is no page {asked}. "
            f"The last page is {paginator.num_pages}, and it is shown here."
        )
        asked = paginator.num_pages
    page = paginator.page(asked)

    return render(
        request,
        "interventions/list.html",
        {
            "page": page,
            "query": query,
            "age_band": age_band,
            "messages_for_user": messages,
        },
    )


def intervention_detail(request: HttpRequest, slug: str) -> HttpResponse:
    intervention = get_object_or_404(Intervention.objects.published().for_detail(), slug=slug)
    return render(request, "interventions/detail.html", {"intervention": intervention})
