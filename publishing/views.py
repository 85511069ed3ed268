"""The public site. Every page reads published versions (or the listing built from
them), never a working copy, so nothing a curator saves is public until published."""

import re

from django.db.models import Exists, F, OuterRef
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, QueryDict
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from interventions.models import AgeBand, GlossaryTerm, NeedLevel, Outcome, OutcomeDomain, Topic
from publishing import derived, downloads, evidence_map, filters
from publishing.changes import between
from publishing.filters.links import Links
from publishing.models import Listing, Version
from publishing.restore import restore
from ratings import evidence
from ratings.models import RatingLevel, RatingScale

VERSION_NUMBER = re.compile(r"[0-9]{1,9}")
RECENTLY_UPDATED = 5
BIGGEST_ID = 2**63 - 1  # PostgreSQL's bigint


def _in_use(column: str) -> Exists:
    """Whether some current (not archived) intervention lists the term: an index probe
    per term, so the home page does not read every listing."""
    return Exists(Listing.objects.current().filter(**{f"{column}__contains": [OuterRef("slug")]}))


def home(request: HttpRequest) -> HttpResponse:
    recent = Listing.objects.current().defer(*filters.LISTING_SEARCH_FIELDS)
    return render(
        request,
        "interventions/home.html",
        {
            "recent": recent.order_by("-published_at", "name")[:RECENTLY_UPDATED],
            "age_bands": AgeBand.objects.all(),
            # Ways in that lead somewhere: terms some published intervention uses.
            "domains": OutcomeDomain.objects.filter(_in_use("improved_domains")),
            "topics": Topic.objects.filter(_in_use("topics")),
        },
    )


def intervention_list(request: HttpRequest) -> HttpResponse:
    state = filters.list_state(request.GET)
    return render(
        request,
        "interventions/list.html",
        {
            "page": state.page,
            "page_numbers": state.page_numbers,
            "form": state.form,
            "query": state.query,
            "tags": state.tags,
            "tag_count": state.tag_count,
            "relax": state.relaxations,
            "links": state.links,
            "outcome_meanings": list(filters.OUTCOME_MEANINGS.items()),
            "outcomes_meaning": state.filterset.outcome_meaning,
            "messages_for_user": state.messages,
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
    return downloads.response(file_format, filterset.ordered(filterset.qs), request)


def _version_page(request: HttpRequest, listing: Listing, version: Version) -> HttpResponse:
    """One version of an intervention's page, with its page history and notices."""
    restored = restore(version.content, listing.intervention_id)
    # The page as it was published: its history ends with itself. Each version's
    # address is built from the listing's slug (page_history.html), so no joins.
    history = list(
        Version.objects.filter(intervention_id=listing.intervention_id, number__lte=version.number)
        .defer("content")
        .order_by("-number")
    )
    latest = version.number == listing.version_number
    summary = evidence.summarise(restored.findings)
    improved = derived.improved_by(restored.findings, version.content, summary.assessment)
    return render(
        request,
        "interventions/detail.html",
        {
            "intervention": restored.intervention,
            "evidence": summary,
            "improved": improved.sizes,
            "listing": listing,
            "version": version,
            "history": history,
            "is_latest": latest,
            "page_url": request.build_absolute_uri(
                reverse("interventions:version", args=[listing.slug, version.number])
            ),
        },
    )


def _page_rows():
    """Listing rows as an intervention's page needs them: without the search columns,
    and with the replacement's slug and name (when archived) as two columns, not two
    joined rows. Few columns keep the query quick to build as well as to run."""
    return Listing.objects.defer(*filters.LISTING_SEARCH_FIELDS).annotate(
        replacement_slug=F("replaced_by__listing__slug"),
        replacement_name=F("replaced_by__listing__name"),
    )


def intervention_detail(request: HttpRequest, slug: str) -> HttpResponse:
    """The latest published version: two queries, whatever the catalogue's size."""
    listing = get_object_or_404(_page_rows().select_related("version"), slug=slug)
    return _version_page(request, listing, listing.version)


def _listing(slug: str) -> Listing:
    return get_object_or_404(_page_rows().defer("version"), slug=slug)


def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    """A version's permanent address: exactly as it was published, for ever."""
    listing = _listing(slug)
    version = get_object_or_404(Version, intervention_id=listing.intervention_id, number=number)
    return _version_page(request, listing, version)


def _version_number(raw: str | None, default: int) -> int | None:
    if raw is None or raw == "":
        return default
    raw = raw.strip()
    return int(raw) if VERSION_NUMBER.fullmatch(raw) else None


def intervention_changes(request: HttpRequest, slug: str) -> HttpResponse:
    """What changed between any two versions (by default the latest and the one before)."""
    listing = _listing(slug)
    history = list(
        Version.objects.filter(intervention_id=listing.intervention_id)
        .defer("content")
        .order_by("-number")
    )
    latest = history[0].number
    numbers = {version.number for version in history}
    new = _version_number(request.GET.get("to"), latest)
    old = _version_number(request.GET.get("from"), (new or latest) - 1)
    problems = []
    if new not in numbers:
        problems.append(f"Choose a version from 1 to {latest} to compare to.")
    if old not in numbers:
        problems.append(f"Choose a version from 1 to {latest} to compare from.")
    if not problems and old >= new:
        problems.append("The version to compare from must be earlier than the one to compare to.")
    context = {"listing": listing, "history": history, "problems": problems}
    if latest == 1:
        return render(request, "interventions/changes.html", context)
    if problems:
        return render(request, "interventions/changes.html", context, status=400)
    versions = {
        v.number: v
        for v in Version.objects.filter(
            intervention_id=listing.intervention_id, number__in=[old, new]
        )
    }
    before, after = versions[old], versions[new]
    context.update(
        {
            "before": before,
            "after": after,
            "changes": between(before.content, after.content),
            "between": [v for v in history if old < v.number <= new][::-1],
        }
    )
    return render(request, "interventions/changes.html", context)


def study_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """A study as the latest published versions of the interventions it informs show it.
    A study that only earlier versions showed keeps its page, saying so: nothing that
    has been published gives a 404."""
    if pk > BIGGEST_ID:
        raise Http404("No study has that number.")
    listings = list(
        Listing.objects.filter(study_ids__contains=[pk])
        .select_related("version")
        .defer(*filters.LISTING_SEARCH_FIELDS)
        .order_by("-published_at", "name")
    )
    shown_in = [(listing.version, listing.intervention_id) for listing in listings]
    earlier = None
    if not listings:
        earlier = (
            Version.objects.filter(content__contains={"studies": [{"id": pk}]})
            .select_related("intervention__listing")
            .order_by("-published_at")
            .first()
        )
        if earlier is None:
            raise Http404("No published intervention shows this study.")
        shown_in = [(earlier, earlier.intervention_id)]
    findings, study = [], None
    for version, intervention_id in shown_in:
        restored = restore(version.content, intervention_id)
        shown = next(s for s in restored.intervention.studies.all() if s.pk == pk)
        study = study or shown  # the newest publication's account of the study
        findings += list(shown.findings.all())
    study.public_findings = findings
    study.public_interventions = sorted(listings, key=lambda listing: listing.name)
    return render(request, "ratings/study.html", {"study": study, "earlier": earlier})


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


def evidence_gap_map(request: HttpRequest) -> HttpResponse:
    """Outcome areas against age bands and levels of need: counts, strength and gaps."""
    by_age, by_need = evidence_map.build()
    return render(
        request,
        "interventions/evidence_map.html",
        {"grids": [by_age, by_need], "strong_level": evidence_map.STRONG_LEVEL},
    )


def what_works(request: HttpRequest, slug: str, age: str | None = None) -> HttpResponse:
    """What was found to improve one outcome area or specific outcome (for one age band),
    strongest evidence first: the list's own filters, so the numbers agree."""
    area = OutcomeDomain.objects.filter(slug=slug).first()
    outcome = (
        None if area else get_object_or_404(Outcome.objects.select_related("domain"), slug=slug)
    )
    params = QueryDict(mutable=True)
    params["domain" if area else "outcome"] = slug
    band = None
    if age is not None:
        band = get_object_or_404(AgeBand, slug=age)
        params["age"] = age
    params["sort"] = "evidence"
    filterset, _ = filters.find(params)
    rows = list(filterset.ordered(filterset.qs))
    # The outcomes this page is about: the area's, or the one outcome.
    wanted = {o.slug for o in filterset.options.outcomes if area and o.domain_id == area.pk}
    wanted = wanted or {slug}
    for row in rows:
        row.shown_improvements = [i for i in row.improvements if i["slug"] in wanted]
    return render(
        request,
        "interventions/what_works.html",
        {
            "name": area.name if area else outcome.name,
            "area": area or outcome.domain,
            "outcome": outcome,
            "band": band,
            "rows": rows,
            "age_bands": filterset.options.age_bands,
            "slug": slug,
            "list_link": reverse("interventions:list") + Links(filterset).query_string(),
        },
    )


def glossary(request: HttpRequest) -> HttpResponse:
    """Every level of need and abbreviation the pages use, in plain words, and how the
    ways into the list by outcome differ."""
    return render(
        request,
        "interventions/glossary.html",
        {
            "need_levels": NeedLevel.objects.all(),
            "terms": GlossaryTerm.objects.all(),
            "topics": Topic.objects.prefetch_related("outcomes"),
        },
    )
