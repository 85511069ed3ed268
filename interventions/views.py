"""Public pages of the catalogue: home, the list of interventions, one intervention."""

import re

from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render

from interventions import downloads, filters
from interventions.models import AgeBand, Intervention, OutcomeDomain, Topic
from ratings import evidence
from ratings.models import RatingLevel, RatingScale

PAGE_SIZE = 20
PAGE_NUMBER = re.compile(r"[0-9]{1,18}")  # ASCII digits only: int() accepts others
RECENTLY_UPDATED = 5


def home(request: HttpRequest) -> HttpResponse:
    recent = Intervention.objects.published().for_list().order_by("-updated_at", "name")
    published = Intervention.objects.published()
    return render(
        request,
        "interventions/home.html",
        {
            "recent": recent[:RECENTLY_UPDATED],
            "age_bands": AgeBand.objects.all(),
            # Ways in that lead somewhere: terms some published intervention uses.
            "domains": OutcomeDomain.objects.filter(
                Exists(published.filter(target_outcomes__domain=OuterRef("pk")))
            ),
            "topics": Topic.objects.filter(Exists(published.filter(topics=OuterRef("pk")))),
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
    filterset, messages = filters.find(request.GET)
    counts = filterset.count_options()
    filterset.show_counts(counts)

    paginator = Paginator(filterset.ordered(filterset.qs).for_list(), PAGE_SIZE)
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
            "filters": filterset,
            "form": filterset.form,
            "query": filterset.chosen.get("q", ""),
            "tags": filterset.tags(),
            "relax": filterset.relaxations(counts) if not counts.total else [],
            "state": filterset.query_string(),
            "messages_for_user": messages,
        },
    )


def intervention_download(request: HttpRequest, file_format: str) -> HttpResponse:
    """The results of the list's filters and sort, all pages, as CSV or JSON."""
    filterset, problems = filters.find(request.GET)
    if problems:
        return HttpResponseBadRequest(
            "We could not make this download: " + " ".join(problems),
            content_type="text/plain; charset=utf-8",
        )
    interventions = filterset.ordered(filterset.qs).for_download()
    return downloads.response(file_format, interventions, request)


def intervention_detail(request: HttpRequest, slug: str) -> HttpResponse:
    interventions = evidence.with_findings(Intervention.objects.published().for_detail())
    intervention = get_object_or_404(interventions, slug=slug)
    return render(
        request,
        "interventions/detail.html",
        {
            "intervention": intervention,
            "evidence": evidence.summarise(intervention.evidence_findings),
            "page_url": request.build_absolute_uri(intervention.get_absolute_url()),
        },
    )


def methods(request: HttpRequest) -> HttpResponse:
    """How to read the ratings: every level of both scales, and the terms the pages use."""
    levels = RatingLevel.objects.filter(
        scale__slug__in=[RatingScale.EVIDENCE, RatingScale.COST]
    ).select_related("scale")
    evidence_levels = [level for level in levels if level.scale.slug == RatingScale.EVIDENCE]
    cost_levels = [level for level in levels if level.scale.slug == RatingScale.COST]
    return render(
        request,
        "interventions/methods.html",
        {
            "evidence_scale": evidence_levels[0].scale if evidence_levels else None,
            "evidence_levels": sorted(evidence_levels, key=lambda level: -level.rank),
            "cost_scale": cost_levels[0].scale if cost_levels else None,
            "cost_levels": sorted(cost_levels, key=lambda level: level.rank),
            "disagreement_i_squared": round(evidence.DISAGREEMENT_I_SQUARED),
        },
    )
