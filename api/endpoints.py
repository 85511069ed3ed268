"""The read-only JSON API, version 1, built with django-ninja.

Every answer comes from published listings and versions (api/represent.py).
The list takes the same query string as /interventions/ and answers 400 with
the same words when part of it cannot be used, where the page shows a message.
"""

from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import ValidationError

from api import represent, schemas
from api.listing_search import matching
from interventions.models import AgeBand, DeliveryModel, NeedLevel, Outcome, Setting, Topic
from publishing import filters
from publishing.filters.state import PAGE_SIZE
from publishing.filters.state import page_number as _page_number
from publishing.models import Listing, Version
from ratings.models import RatingLevel, RatingScale

api = NinjaAPI(
    title="Evidence Store API",
    version="1",
    description=(
        "Read-only open data about interventions for children and families: published "
        "versions, ratings with their history, costs, studies and findings with effect sizes. "
        "Free to reuse under the Open Government Licence v3.0."
    ),
    urls_namespace="api-v1",
    docs_url=None,
    openapi_url="/openapi.json",
)

MANY = "Repeat the parameter for more than one: any of them matches."


class ListQuery(Schema):
    q: str | None = Field(None, description="Words to search for, ranked by best match.")
    age: list[str] = Field([], description="Age group slugs (see /taxonomies). " + MANY)
    domain: list[str] = Field([], description="Outcome area slugs. " + MANY)
    outcome: list[str] = Field([], description="Specific outcome slugs. " + MANY)
    evidence: str | None = Field(None, description="At least this evidence level code.")
    cost: str | None = Field(None, description="At most this cost rating code.")
    uk_tested: str | None = Field(None, description='"yes": only those tested in the UK.')
    available: str | None = Field(None, description='"yes": only those available in the UK.')
    need: list[str] = Field([], description="Level of need slugs. " + MANY)
    setting: list[str] = Field([], description="Setting slugs. " + MANY)
    delivery: list[str] = Field([], description="Delivery model slugs. " + MANY)
    topic: list[str] = Field([], description="Topic slugs. " + MANY)
    archived: str | None = Field(None, description='"yes": include archived interventions.')
    sort: str | None = Field(
        None, description="One of: " + ", ".join(filters.SORTS) + ". Relevance needs q."
    )
    page: str | None = Field(None, description=f"Page number, from 1; {PAGE_SIZE} a page.")


@api.exception_handler(ValidationError)
def bad_parameters(request: HttpRequest, exc: ValidationError):
    problems = [f"{'.'.join(map(str, e.get('loc', [])))}: {e.get('msg')}" for e in exc.errors]
    return api.create_response(request, {"detail": problems}, status=400)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, exc: Http404):
    return api.create_response(request, {"detail": [str(exc) or "Not found."]}, status=404)


def _page_link(request: HttpRequest, number: int | None) -> str | None:
    if number is None:
        return None
    query = request.GET.copy()
    query["page"] = str(number)
    return request.build_absolute_uri(request.path + "?" + query.urlencode())


@api.get(
    "/interventions",
    response={200: schemas.InterventionPage, 400: schemas.Problem},
    url_name="interventions",
    summary="Interventions, filtered, searched and sorted as on /interventions/",
)
def interventions(request: HttpRequest, params: Query[ListQuery]):
    rows, problems = matching(request.GET)
    asked = _page_number(request.GET.get("page"))
    if asked is None:
        problems.append("That page number is not valid.")
    if problems:
        return Status(400, {"detail": problems})
    paginator = Paginator(rows, PAGE_SIZE)
    if asked > paginator.num_pages:
        return Status(
            400, {"detail": [f"There is no page {asked}. The last page is {paginator.num_pages}."]}
        )
    page = paginator.page(asked)
    return {
        "count": paginator.count,
        "page": page.number,
        "pages": paginator.num_pages,
        "next": _page_link(request, page.next_page_number() if page.has_next() else None),
        "previous": _page_link(
            request, page.previous_page_number() if page.has_previous() else None
        ),
        "results": [represent.listing_summary(row, request) for row in page],
    }


def _listing(slug: str) -> Listing:
    return get_object_or_404(Listing.objects.defer(*filters.LISTING_SEARCH_FIELDS), slug=slug)


@api.get(
    "/interventions/{slug:slug}",
    response={200: schemas.InterventionVersion, 404: schemas.Problem},
    url_name="intervention",
    summary="An intervention's current published version",
)
def intervention(request: HttpRequest, slug: str):
    listing = get_object_or_404(
        Listing.objects.select_related("version").defer(*filters.LISTING_SEARCH_FIELDS),
        slug=slug,
    )
    return represent.version_detail(listing.version, listing, request)


@api.get(
    "/interventions/{slug:slug}/versions",
    response={200: list[schemas.VersionSummary], 404: schemas.Problem},
    url_name="versions",
    summary="Every published version of an intervention, newest first",
)
def versions(request: HttpRequest, slug: str):
    listing = _listing(slug)
    rows = (
        Version.objects.filter(intervention_id=listing.intervention_id)
        .defer("content")
        .order_by("-number")
    )
    return [represent.version_summary(v, listing.slug, request) for v in rows]


@api.get(
    "/interventions/{slug:slug}/versions/{int:number}",
    response={200: schemas.InterventionVersion, 404: schemas.Problem},
    url_name="version",
    summary="One published version of an intervention, exactly as it was published",
)
def version(request: HttpRequest, slug: str, number: int):
    listing = _listing(slug)
    found = get_object_or_404(Version, intervention_id=listing.intervention_id, number=number)
    return represent.version_detail(found, listing, request)


@api.get(
    "/studies/{int:study_id}",
    response={200: schemas.StudyShown, 404: schemas.Problem},
    url_name="study",
    summary="A study with its findings, as the latest published versions show it",
)
def study(request: HttpRequest, study_id: int):
    if study_id > 2**63 - 1:
        raise Http404("No published intervention shows that study.")
    listings = list(
        Listing.objects.filter(study_ids__contains=[study_id])
        .select_related("version")
        .defer(*filters.LISTING_SEARCH_FIELDS)
        .order_by("name")
    )
    earlier = None
    if listings:
        shown_in = [(listing.version, listing.slug) for listing in listings]
    else:
        # Only earlier versions showed it: the newest of those, as the study page does.
        earlier = (
            Version.objects.filter(content__contains={"studies": [{"id": study_id}]})
            .select_related("intervention__listing")
            .order_by("-published_at")
            .first()
        )
        if earlier is None:
            raise Http404("No published intervention shows that study.")
        shown_in = [(earlier, earlier.intervention.listing.slug)]
    shown, findings = None, []
    for shown_version, slug in shown_in:
        content = shown_version.content
        record = next(s for s in content["studies"] if s["id"] == study_id)
        shown = shown or represent.study(record, content, request)
        findings += [
            represent.finding(f, content) | {"intervention": slug} for f in record["findings"]
        ]
    shown["findings"] = findings
    return {
        "study": shown,
        "interventions": [listing.slug for listing in listings],
        "only_in_earlier_version": None
        if earlier is None
        else represent.version_summary(earlier, shown_in[0][1], request),
    }


@api.get(
    "/rating-scales",
    response=list[schemas.RatingScale],
    url_name="rating_scales",
    summary="The rating scales, with every level",
)
def rating_scales(request: HttpRequest):
    return [
        {
            "slug": scale.slug,
            "name": scale.name,
            "description": scale.description,
            "version": scale.version,
            "levels": [
                {
                    "code": level.code,
                    "label": level.label,
                    "rank": level.rank,
                    "plain_meaning": level.plain_meaning,
                    "technical_meaning": level.technical_meaning,
                    "min_cost": None if level.min_cost is None else str(level.min_cost),
                    "max_cost": None if level.max_cost is None else str(level.max_cost),
                }
                for level in scale.levels.all()
            ],
        }
        for scale in RatingScale.objects.prefetch_related(
            Prefetch("levels", queryset=RatingLevel.objects.order_by("rank"))
        ).order_by("slug")
    ]


def _terms(model) -> list[dict]:
    return [{"slug": term.slug, "name": term.name} for term in model.objects.all()]


@api.get(
    "/taxonomies",
    response=schemas.Taxonomies,
    url_name="taxonomies",
    summary="Age groups, outcome areas with their outcomes, and every other term",
)
def taxonomies(request: HttpRequest):
    areas: dict = {}
    for outcome in Outcome.objects.select_related("domain"):
        area = areas.setdefault(
            outcome.domain.pk,
            {"slug": outcome.domain.slug, "name": outcome.domain.name, "outcomes": []},
        )
        area["outcomes"].append({"slug": outcome.slug, "name": outcome.name})
    return {
        "age_bands": [
            {
                "slug": band.slug,
                "name": band.name,
                "min_age_months": band.min_age_months,
                "max_age_months": band.max_age_months,
            }
            for band in AgeBand.objects.all()
        ],
        "outcome_areas": list(areas.values()),
        "need_levels": _terms(NeedLevel),
        "settings": _terms(Setting),
        "delivery_models": _terms(DeliveryModel),
        "topics": _terms(Topic),
    }
